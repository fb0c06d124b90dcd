/**
 * `mcp-fleet bridge`: its command line, and the built CLI bundle serving a real stdio server until
 * SIGTERM, which drains it (exit 0, every server process gone).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { parseCommandLine } from '../../lib/cli/args';
import { UsageError } from '../../lib/cli/errors';
import { connectV1, connectV2 } from '../support/clients';
import { EVERYTHING_STDIO, alive, textOf, waitFor } from '../bridge/support';

const ROOT = path.resolve(__dirname, '..', '..');

describe('parseCommandLine bridge', () => {
  test('GIVEN every flag and a server command with flags of its own WHEN parsed THEN the command is kept whole after --', () => {
    expect(
      parseCommandLine([
        'bridge',
        '--host',
        '0.0.0.0',
        '--port',
        '9000',
        '--children',
        '2',
        '--max-sessions',
        '5',
        '--mcp-path',
        '/x',
        '--health-path',
        '/hc',
        '--',
        'npx',
        '-y',
        '@modelcontextprotocol/server-filesystem',
        '--port',
        '/data',
      ]),
    ).toEqual({
      command: 'bridge',
      host: '0.0.0.0',
      port: 9000,
      children: 2,
      maxSessions: 5,
      mcpPath: '/x',
      healthPath: '/hc',
      server: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '--port', '/data'],
    });
  });

  test('GIVEN no flags WHEN parsed THEN loopback, port 8080, 4 pooled processes and 32 sessions', () => {
    expect(parseCommandLine(['bridge', '--', 'srv'])).toEqual({ command: 'bridge', host: '127.0.0.1', port: 8080, children: 4, maxSessions: 32, server: ['srv'] });
  });

  test.each([
    [['bridge'], /give the stdio server to run after --/],
    [['bridge', 'npx', 'srv'], /Unexpected argument 'npx'|give the stdio server/],
    [['bridge', '--'], /give the stdio server to run after --/],
    [['bridge', '--children', '0', '--', 's'], /--children must be an integer from 1 to 1024 \(got "0"\)/],
    [['bridge', '--children', 'many', '--', 's'], /--children must be an integer/],
    [['bridge', '--mcp-path', 'mcp', '--', 's'], /--mcp-path must be an absolute URL path such as \/mcp \(got "mcp"\)/],
    [['bridge', '--port', '99999', '--', 's'], /--port must be an integer from 0 to 65535/],
  ])('GIVEN %j WHEN parsed THEN a usage error names the problem', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

test('GIVEN the built CLI WHEN it bridges server-everything and gets SIGTERM THEN it serves both eras, drains and exits 0', async () => {
  const cli = spawn(process.execPath, [path.join(ROOT, 'bin', 'mcp-fleet.js'), 'bridge', '--port', '0', '--children', '1', '--', EVERYTHING_STDIO.command, ...EVERYTHING_STDIO.args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MCP_FLEET_NAME: 'agents', MCP_FLEET_POOL: 'everything' },
  });
  const stdout: string[] = [];
  createInterface({ input: cli.stdout! }).on('line', (line) => stdout.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    cli.once('exit', (code) => reject(new Error(`mcp-fleet bridge exited with ${code}`)));
    createInterface({ input: cli.stderr! }).on('line', (line) => {
      const match = / at (http:\S+) \(health/.exec(line);
      if (match) resolve(match[1]!);
    });
  });

  const { client } = await connectV1(url);
  expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'cli' } }))).toBe('Echo: cli');
  const v2 = await connectV2(url);
  expect(textOf(await v2.callTool({ name: 'echo', arguments: { message: 'cli2' } }))).toBe('Echo: cli2');
  const pids = stdout.flatMap((line) => {
    const parsed = JSON.parse(line) as { message?: string; pid?: number };
    return parsed.message === 'server process ready' || parsed.message === 'session started' ? [parsed.pid!] : [];
  });
  expect(pids.length).toBe(2);

  const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
  cli.kill('SIGTERM');
  expect(await exited).toBe(0);
  for (const pid of pids) await waitFor(() => !alive(pid));
  expect(stdout.every((line) => JSON.parse(line))).toBe(true);
  await Promise.all([client.close(), v2.close()]).catch(() => undefined);
});
