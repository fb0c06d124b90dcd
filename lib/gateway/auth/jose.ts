/**
 * jose ships ESM only. From this CommonJS package a dynamic `import()` loads it on every Node 20
 * (static `require` of ESM needs Node ≥ 20.19); esbuild inlines it into the gateway bundle.
 */
const importJose = () => import('jose');

/** The jose module's type. */
export type Jose = Awaited<ReturnType<typeof importJose>>;

let loading: Promise<Jose> | undefined;

/** The jose module, loaded once. */
export function loadJose(): Promise<Jose> {
  loading ??= importJose();
  return loading;
}
