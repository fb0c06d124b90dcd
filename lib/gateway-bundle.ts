/**
 * Where the esbuild bundle of the gateway Lambda lives (`npm run build` writes it; `npm ci` runs the
 * build through `prepare`). The CDK and Pulumi components deploy this directory as the Lambda code, so
 * users need neither Docker nor esbuild when they synthesize.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** File name of the bundled handler inside `GATEWAY_BUNDLE_DIR` (Lambda handler `index.handler`). */
export const GATEWAY_BUNDLE_ENTRY = 'index.js';

/** Lambda handler setting for the bundle. */
export const GATEWAY_BUNDLE_HANDLER = 'index.handler';

/**
 * The package root: this module runs from source (`<root>/lib`, under tsx or jest), compiled
 * (`<root>/dist/lib`) or bundled into the CLI (`<root>/dist/cli`). Computed without touching the
 * file system, so importing this module has no side effects.
 */
function packageRoot(): string {
  const parent = path.dirname(__dirname);
  return path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
}

/** Absolute path of the directory holding the bundled gateway Lambda (`index.js` + licenses). */
export const GATEWAY_BUNDLE_DIR: string = path.join(packageRoot(), 'dist', 'gateway-lambda');

/**
 * Throws a clear error when the bundle has not been built, before a construct hands a missing
 * directory to the asset system.
 * @param where names the caller in the message (a construct path).
 * @returns `GATEWAY_BUNDLE_DIR`, for use as an asset path.
 */
export function assertGatewayBundle(where?: string): string {
  const entry = path.join(GATEWAY_BUNDLE_DIR, GATEWAY_BUNDLE_ENTRY);
  if (!existsSync(entry)) {
    throw new Error(`${where ? `${where}: ` : ''}the gateway Lambda bundle is missing (${entry}). ` + 'Run `npm run build` in the mcp-fleet package (npm ci runs it through `prepare`).');
  }
  return GATEWAY_BUNDLE_DIR;
}
