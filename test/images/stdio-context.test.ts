/**
 * The generated stdio image, without Docker: its build context is written outside the repository
 * (no node_modules to lean on) and its ENTRYPOINT is run as the container would run it — the
 * package's CLI from the context serves the official filesystem server (stdio) through the bridge;
 * `/health` answers and an SDK client lists and calls its tools.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeImageContext } from '../../lib/images';
import { planFleet, STDIO_PACKAGE_DIR } from '../../lib/plan';
import { connectLegacy } from '../examples/support';
import { filesystemStdio } from '../bridge/support';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function healthy(url: string, deadline: number): Promise<unknown> {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return await response.json();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the generated stdio image context', () => {
  const work = mkdtempSync(join(tmpdir(), 'mcp-fleet-stdio-image-'));
  const data = mkdtempSync(join(tmpdir(), 'mcp-fleet-stdio-data-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  test('GIVEN a stdio pool WHEN its context is written and its entrypoint run THEN the bridge from the context serves the server: health, tools, a call; SIGTERM stops it', async () => {
    writeFileSync(join(data, 'hello.txt'), 'hello from the image');
    const server = filesystemStdio(data);
    const plan = planFleet({ name: 'img', pools: [{ name: 'files', kind: 'stdio', command: [server.command, ...server.args], tools: [], discoveryOnly: true }] });
    const image = plan.pools[0]!.container.image;
    if (image.kind !== 'generated') throw new Error(`expected a generated image, got ${image.kind}`);
    const context = writeImageContext(image, work);
    expect(readFileSync(join(context, 'Dockerfile'), 'utf8')).toContain(`ENTRYPOINT ${JSON.stringify(image.entrypoint)}`);

    // The container's view: /opt/mcp-fleet is the context's package directory; loopback instead of 0.0.0.0.
    const port = await freePort();
    const argv = image.entrypoint
      .map((a) => a.replace(STDIO_PACKAGE_DIR, join(context, image.packageDir)))
      .map((a, i, all) => (all[i - 1] === '--host' ? '127.0.0.1' : all[i - 1] === '--port' ? String(port) : a));
    expect(argv.slice(0, 3)).toEqual(['node', join(context, 'mcp-fleet/bin/mcp-fleet.js'), 'bridge']);
    child = spawn(process.execPath, argv.slice(1), { cwd: work, env: { PATH: process.env.PATH, HOME: work }, stdio: ['ignore', 'pipe', 'pipe'] });

    expect(await healthy(`http://127.0.0.1:${port}/health`, Date.now() + 30_000)).toMatchObject({ status: 'ok' });
    const { client } = await connectLegacy(`http://127.0.0.1:${port}/mcp`, 'image-test');
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['read_text_file', 'list_directory']));
      const read = await client.callTool({ name: 'read_text_file', arguments: { path: join(data, 'hello.txt') } });
      expect(JSON.stringify(read.content)).toContain('hello from the image');
    } finally {
      await client.close();
    }
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
  }, 60_000);
});
