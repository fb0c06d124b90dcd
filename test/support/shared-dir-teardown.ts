/** Jest global teardown: removes the run's shared directory (see `test/support/shared-dir.ts`). */
import { rmSync } from 'node:fs';
import { SHARED_DIR_ENV } from './shared-dir';

export default function teardown(): void {
  const dir = process.env[SHARED_DIR_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
