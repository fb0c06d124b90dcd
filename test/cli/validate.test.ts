import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnTs } from '../examples/support';

/** Runs the real CLI to completion. */
async function cli(...args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const run = spawnTs('lib/cli/main.ts', args);
  const code = await run.exited();
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('mcp-fleet validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-validate-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN the example fleet WHEN validated THEN exit 0 with a summary of its pools', async () => {
    const { code, stdout } = await cli('validate', 'examples/fleet.json');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'examples/fleet.json: valid fleet "examples" with 3 pools',
        '  github: github_* — MCP 2026-07-28, stateless',
        '  slack: slack_* — MCP 2025-11-25, stateful',
        '  images: image_* — MCP 2025-11-25, stateless',
        '',
      ].join('\n'),
    );
  });

  test('GIVEN a spec with structural and cross-field mistakes WHEN validated THEN all of them are printed at once, with pool names, values and allowed values, and the exit status is 1', async () => {
    const file = path.join(dir, 'bad.json');
    const pools = [
      { name: 'a', image: 'x', tools: ['a_*'], cpu: 300 },
      { name: 'b', image: 'x', tools: ['a_x'], cpu: 256, memoryMiB: 4096 },
    ];
    writeFileSync(file, JSON.stringify({ name: 'Fleet', pools, colour: 'blue', rateLimits: { perIp: { requests: 100, windowSeconds: 30 } } }));
    const { code, stdout } = await cli('validate', file);
    expect(code).toBe(1);
    expect(stdout.split('\n')).toEqual([
      `${file}: 6 problems`,
      '  name: must be lower-case letters, digits and dashes, starting with a letter and not ending with a dash (got "Fleet")',
      '  pools[0] (pool "a").cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units) (got 300)',
      '  rateLimits.perIp.windowSeconds: must be one of 60, 120, 300, 600 (seconds: the WAF rate-based rule windows) (got 30)',
      '  (spec): Unrecognized key: "colour"',
      '  pools[1] (pool "b").memoryMiB: 4096 MiB is not a valid Fargate memory size for 256 CPU units',
      '  pools[1] (pool "b").tools[0]: "a_x" overlaps "a_*" of pool "a" (pools[0]); every tool must have exactly one owning pool',
      '',
    ]);
  });

  test('GIVEN cross-field mistakes only WHEN validated THEN they are all reported', async () => {
    const file = path.join(dir, 'overlap.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'fleet',
        pools: [
          { name: 'a', image: 'x', tools: ['a_*'] },
          { name: 'b', image: 'x', tools: ['a_x'], cpu: 256, memoryMiB: 4096 },
        ],
      }),
    );
    const { code, stdout } = await cli('validate', file);
    expect(code).toBe(1);
    expect(stdout).toContain('pools[1] (pool "b").memoryMiB: 4096 MiB is not a valid Fargate memory size for 256 CPU units');
    expect(stdout).toContain('pools[1] (pool "b").tools[0]: "a_x" overlaps "a_*" of pool "a" (pools[0])');
  });

  test('GIVEN a file that is not JSON WHEN validated THEN the syntax error is the problem', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{"name": "fleet",');
    const { code, stdout } = await cli('validate', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(/\(spec\): not valid JSON: /);
  });

  test('GIVEN a missing file WHEN validated THEN exit 1 naming the file', async () => {
    const { code, stderr } = await cli('validate', path.join(dir, 'nope.json'));
    expect(code).toBe(1);
    expect(stderr).toContain(`mcp-fleet validate: cannot read ${path.join(dir, 'nope.json')}: no such file`);
  });

  test('GIVEN no file WHEN run THEN exit 2 with the usage', async () => {
    const { code, stderr } = await cli('validate');
    expect(code).toBe(2);
    expect(stderr).toContain('mcp-fleet: validate takes exactly one FILE (got 0)');
    expect(stderr).toContain('Usage: mcp-fleet validate FILE');
  });
});
