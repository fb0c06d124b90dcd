/**
 * Errors of the Pulumi components. They are `pulumi.RunError`s, which the Pulumi language host
 * prints as their message alone — `pulumi up` shows `McpFleet agents: invalid fleet spec (2 problems):`
 * and the list, with no stack trace of mcp-fleet's internals.
 */
import * as pulumi from '@pulumi/pulumi';
import { FleetPlanError } from '../lib/plan/errors';
import { FleetSpecError, type SpecProblem } from '../lib/spec/validate';

/** Wrong inputs of a component, named by `where` (`McpFleet agents`). */
export class McpComponentError extends pulumi.RunError {
  constructor(
    /** The component, e.g. `McpToolPool agents-github`. */
    public readonly where: string,
    message: string,
    /** The spec problems, when the spec is what is wrong. @default - not a spec problem */
    public readonly problems?: readonly SpecProblem[],
  ) {
    super(message.startsWith(`${where}: `) ? message : `${where}: ${message}`);
    this.name = 'McpComponentError';
  }
}

/** Runs spec parsing or planning for a component; spec and plan problems become an `McpComponentError`. */
export function plannedFor<T>(where: string, plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof FleetSpecError) throw new McpComponentError(where, error.message, error.problems);
    if (error instanceof FleetPlanError) throw new McpComponentError(where, error.message);
    throw error;
  }
}
