/**
 * Where the Docker build context of the gateway service image lives (`npm run build` writes it: a
 * Dockerfile and the CLI bundle). The CDK gateway service builds it as an image asset when the stack
 * is deployed; synthesis only fingerprints the directory, so it needs no Docker.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { GATEWAY_BUNDLE_DIR } from './gateway-bundle';

/** Absolute path of the build context (`Dockerfile`, `mcp-fleet.js`, its licenses). */
export const GATEWAY_IMAGE_DIR: string = path.join(path.dirname(GATEWAY_BUNDLE_DIR), 'gateway-image');

/**
 * Throws a clear error when the build context has not been built.
 * @param where names the caller in the message (a construct path).
 * @returns `GATEWAY_IMAGE_DIR`, for use as an asset directory.
 */
export function assertGatewayImageContext(where?: string): string {
  const dockerfile = path.join(GATEWAY_IMAGE_DIR, 'Dockerfile');
  if (!existsSync(dockerfile)) {
    throw new Error(
      `${where ? `${where}: ` : ''}the gateway service image's build context is missing (${dockerfile}). ` +
        'Run `npm run build` in the mcp-fleet package (npm ci runs it through `prepare`), or give the service an image.',
    );
  }
  return GATEWAY_IMAGE_DIR;
}
