/** How every construct combines its settings: defaults < user overrides < enforced settings. */
import { UnscopedValidationError } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { validationError } from './errors';

/**
 * Merges construct props in three layers. `defaults` come from the plan, `user` from the typed
 * override props (e.g. `serviceProps`), `enforced` are the security settings the construct never
 * gives up: those win over the user.
 */
export function mergeProps<T extends object>(defaults: Partial<T>, user: Partial<T> | undefined, enforced: Partial<T> = {}): T {
  return { ...defaults, ...definedOnly(user), ...enforced } as T;
}

/** Drops `undefined` values so that `{ x: undefined }` in user props never erases a default. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * An error raised in a construct's constructor, naming its path first: a CDK `ValidationError` of the
 * construct (see `validationError`); given only a path, an `UnscopedValidationError` with that path.
 */
export function constructError(scope: IConstruct | string, message: string): Error {
  if (typeof scope !== 'string') return validationError(scope, 'McpFleetInvalidProps', message);
  return new UnscopedValidationError('McpFleetInvalidProps' as ConstructorParameters<typeof UnscopedValidationError>[0], `${scope}: ${message}`);
}
