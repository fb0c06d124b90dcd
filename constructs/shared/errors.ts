/**
 * Construct errors the aws-cdk way: aws-cdk-lib's own `ValidationError`, so `Errors.isValidationError`
 * recognizes them, and a failing `cdk synth` prints «id» message, the app's own frames only and the
 * construct path — no Node internals, no second copy of a problem list.
 */
import { sep, resolve } from 'node:path';
import { ValidationError } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { FleetPlanError } from '../../lib/plan/errors';
import { FleetSpecError } from '../../lib/spec/validate';

/** aws-cdk-lib brands the id as a literal string (its `lit` helper is internal); ours are literals too. */
type ErrorId = ConstructorParameters<typeof ValidationError>[0];

/** mcp-fleet's own code (sources or dist/): its frames say nothing a user can act on. */
const OWN_CODE = ['constructs', 'lib', 'pulumi'].map((dir) => `${resolve(__dirname, '..', '..', dir)}${sep}`);

/** Keeps the frames of the user's app, as aws-cdk-lib keeps only frames outside itself. */
function userFramesOnly<E extends Error>(error: E): E {
  error.stack = error.stack
    ?.split('\n')
    .filter((line) => !OWN_CODE.some((dir) => line.includes(dir)))
    .join('\n');
  return error;
}

/**
 * A validation error of `scope`: its construct path leads the message, as in every mcp-fleet error.
 * @param id a short PascalCase identifier of the rule, e.g. 'McpFleetRegionRequired'.
 */
export function validationError(scope: IConstruct, id: string, message: string): Error {
  return userFramesOnly(new ValidationError(id as ErrorId, `${scope.node.path}: ${message}`, scope));
}

/**
 * Runs `plan` (spec parsing and planning) and turns spec and plan problems into a `ValidationError`
 * of `scope` with the same message (every problem listed once, with its path).
 */
export function planned<T>(scope: IConstruct, plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (!(error instanceof FleetSpecError || error instanceof FleetPlanError)) throw error;
    const id = error instanceof FleetSpecError ? 'McpFleetSpecInvalid' : 'McpFleetPlanInvalid';
    // Planners given `where` already name the construct path; the others get it here.
    const path = scope.node.path;
    const message = error.message.startsWith(`${path}: `) ? error.message : `${path}: ${error.message}`;
    throw userFramesOnly(new ValidationError(id as ErrorId, message, scope));
  }
}
