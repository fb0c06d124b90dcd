/** How every construct combines its settings: defaults < user overrides < enforced settings. */

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

/** An error raised in a construct's constructor, naming its path first. */
export function constructError(path: string, message: string): Error {
  return new Error(`${path}: ${message}`);
}
