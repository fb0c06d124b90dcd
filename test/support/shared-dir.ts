/**
 * Jest global setup: one directory per `jest` run that every worker can see (MCP_FLEET_TEST_SHARED),
 * where expensive fixtures made once per run are kept (see `test/support/once-per-run.ts`).
 * Removed by `test/support/shared-dir-teardown.ts` when the run ends.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const SHARED_DIR_ENV = 'MCP_FLEET_TEST_SHARED';

export default function setup(): void {
  // Workers are started after global setup and inherit the environment.
  process.env[SHARED_DIR_ENV] = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-test-run-'));
}
