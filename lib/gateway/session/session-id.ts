/** Gateway session ids: 192 random bits, prefixed with the region that minted them. */
import { randomBytes } from 'node:crypto';

/** Visible ASCII only, as `Mcp-Session-Id` requires; the region lets operators see where a session lives. */
export function mintSessionId(region: string): string {
  return `${region}.${randomBytes(24).toString('base64url')}`;
}
