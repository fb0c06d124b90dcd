import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('bin/mcp-fleet.js (the built CLI bundle)', () => {
  test('GIVEN a build WHEN the installed command validates the example fleet THEN it runs from the single bundled file', () => {
    // npm ci builds dist/cli through "prepare"; this runs exactly what `npx mcp-fleet` runs.
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mcp-fleet.js'), 'validate', 'examples/fleet.json'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('examples/fleet.json: valid fleet "examples" with 3 pools');
  });

  test('GIVEN a wrong command line WHEN the installed command runs THEN it exits 2 with the usage', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mcp-fleet.js'), 'serve'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('mcp-fleet: unknown command "serve"');
    expect(run.stderr).toContain('Usage: mcp-fleet <command> [options]');
  });

  test('GIVEN --version WHEN the installed command runs THEN it prints the package version and exits 0', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mcp-fleet.js'), '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe((require('../../package.json') as { version: string }).version);
  });

  test('GIVEN no arguments WHEN the installed command runs THEN it prints the usage and exits 2', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mcp-fleet.js')], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('mcp-fleet: no command given');
    expect(run.stderr).toContain('Usage: mcp-fleet <command> [options]');
  });
});
