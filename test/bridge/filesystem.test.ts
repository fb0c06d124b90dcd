/**
 * The bridge over the official `@modelcontextprotocol/server-filesystem` (stdio), with SDK v1 and v2
 * clients on a temporary directory; its stderr arrives as structured log lines.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startBridge, type BridgeHandle } from '../../lib/bridge';
import { connectV1, connectV2 } from '../support/clients';
import { filesystemStdio, quietLogger, textOf, waitFor, type LogLine } from './support';

let dir: string;
let bridge: BridgeHandle;
const lines: LogLine[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bridge-fs-'));
  writeFileSync(path.join(dir, 'hello.txt'), 'hello from disk\n');
  bridge = await startBridge({ ...filesystemStdio(dir), children: 1, logger: quietLogger(lines) });
});
afterAll(async () => {
  await bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

test('SDK v1 session: list, read and write files', async () => {
  const { client } = await connectV1(bridge.mcpUrl);
  try {
    const listing = textOf(await client.callTool({ name: 'list_directory', arguments: { path: dir } }));
    expect(listing).toContain('hello.txt');
    expect(textOf(await client.callTool({ name: 'read_text_file', arguments: { path: path.join(dir, 'hello.txt') } }))).toContain('hello from disk');
    await client.callTool({ name: 'write_file', arguments: { path: path.join(dir, 'v1.txt'), content: 'written by v1' } });
    expect(readFileSync(path.join(dir, 'v1.txt'), 'utf8')).toBe('written by v1');
  } finally {
    await client.close();
  }
});

test('SDK v2 (2026-07-28): the same tools through the pool', async () => {
  const client = await connectV2(bridge.mcpUrl);
  try {
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(expect.arrayContaining(['read_text_file', 'write_file', 'list_directory']));
    await client.callTool({ name: 'write_file', arguments: { path: path.join(dir, 'v2.txt'), content: 'written by v2' } });
    expect(textOf(await client.callTool({ name: 'read_text_file', arguments: { path: path.join(dir, 'v2.txt') } }))).toBe('written by v2');
    const outside = await client.callTool({ name: 'read_text_file', arguments: { path: '/etc/hostname' } });
    expect(outside.isError).toBe(true);
  } finally {
    await client.close();
  }
});

test('the server stderr becomes structured log lines tagged with the process', async () => {
  await waitFor(() => lines.some((l) => l.message === 'server stderr'));
  const line = lines.find((l) => l.message === 'server stderr')!;
  expect(line.fields).toMatchObject({ child: expect.stringMatching(/^pool-0$|^session$/), pid: expect.any(Number), stderr: expect.stringContaining('Secure MCP Filesystem Server') });
});
