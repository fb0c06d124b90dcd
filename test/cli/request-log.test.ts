import { parseCommandLine, type DevArgs } from '../../lib/cli/args';
import { runDev } from '../../lib/cli/commands/dev';
import type { CliIo } from '../../lib/cli/io';
import { formatRequestLogLine } from '../../lib/cli/request-log';
import { connectLegacy, connectModern } from '../examples/support';

/** Runs `mcp-fleet dev` in this process with its output captured; `stop()` plays Ctrl-C. */
async function startDev(terminal: boolean, argv: string[] = []) {
  const lines: string[] = [];
  const io: CliIo = { out: (line) => lines.push(line), err: (line) => lines.push(`stderr: ${line}`), terminal };
  let signal!: (s: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (signal = resolve));
  const exit = runDev(parseCommandLine(['dev', '--port', '0', ...argv]) as DevArgs, io, stopped);
  for (let i = 0; i < 200 && !lines.some((l) => l.startsWith('MCP endpoint: ')); i++) await new Promise((r) => setTimeout(r, 50));
  const url = lines.find((l) => l.startsWith('MCP endpoint: '))!.slice('MCP endpoint: '.length);
  return { url, lines, stop: () => (signal('SIGINT'), exit) };
}

/** EMF lines written to stdout (the telemetry writes them straight to process.stdout). */
function captureEmf() {
  const records: Array<Record<string, unknown>> = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line.includes('"_aws"')) records.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  });
  return { records, restore: () => spy.mockRestore() };
}

describe('the request log of dev and gateway', () => {
  test('GIVEN a log entry WHEN formatted THEN it reads time, methods, tool, pools, status and whole ms', () => {
    const at = new Date(2026, 0, 2, 12, 4, 31);
    expect(formatRequestLogLine({ httpMethod: 'POST', path: '/mcp', rpcMethods: ['tools/call'], tool: 'github_search_repos', pools: ['github'], status: 200, ms: 14.4 }, at)).toBe(
      '12:04:31 POST tools/call github_search_repos → github 200 14 ms',
    );
    expect(formatRequestLogLine({ httpMethod: 'GET', path: '/mcp', rpcMethods: [], pools: [], status: 405, ms: 0.2 }, at)).toBe('12:04:31 GET /mcp 405 0 ms');
  });

  test('GIVEN dev on a terminal WHEN SDK clients of both eras call tools THEN each request is one readable line naming the pool, and no EMF is written', async () => {
    const emf = captureEmf();
    try {
      const dev = await startDev(true);
      const legacy = await connectLegacy(dev.url, 'log-test');
      await legacy.client.callTool({ name: 'slack_draft_append', arguments: { text: 'hello' } });
      await legacy.client.listTools();
      await legacy.client.close();
      const modern = await connectModern(dev.url);
      await modern.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk#7' } });
      await modern.close();
      expect(await dev.stop()).toBe(0);

      const log = dev.lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l));
      expect(log).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^\d\d:\d\d:\d\d POST initialize( → \S+)? 200 \d+ ms$/),
          expect.stringMatching(/^\d\d:\d\d:\d\d GET \/mcp 200 \d+ ms$/), // the session stream
          expect.stringMatching(/^\d\d:\d\d:\d\d POST tools\/call slack_draft_append → slack 200 \d+ ms$/),
          expect.stringMatching(/^\d\d:\d\d:\d\d POST tools\/list → (github|slack|images),(github|slack|images),(github|slack|images) 200 \d+ ms$/),
          expect.stringMatching(/^\d\d:\d\d:\d\d POST tools\/call github_parse_reference → github 200 \d+ ms$/),
        ]),
      );
      expect(emf.records).toEqual([]);
    } finally {
      emf.restore();
    }
  });

  test('GIVEN dev without a terminal WHEN an SDK session runs (with its GET stream) THEN EMF lines are written and nothing is counted as a rejection', async () => {
    const emf = captureEmf();
    try {
      const dev = await startDev(false);
      const legacy = await connectLegacy(dev.url, 'emf-test');
      await legacy.client.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk#7' } });
      await legacy.client.close();
      expect(await dev.stop()).toBe(0);

      expect(dev.lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l))).toEqual([]);
      expect(emf.records).toEqual(expect.arrayContaining([expect.objectContaining({ Fleet: 'examples', Pool: 'github', Calls: expect.any(Number) })]));
      expect(emf.records.filter((r) => 'Rejected' in r)).toEqual([]);
    } finally {
      emf.restore();
    }
  });

  test('GIVEN --metrics on a terminal WHEN requests are served THEN both the request log and EMF are written', async () => {
    const emf = captureEmf();
    try {
      const dev = await startDev(true, ['--metrics']);
      const modern = await connectModern(dev.url);
      await modern.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk#7' } });
      await modern.close();
      expect(await dev.stop()).toBe(0);
      expect(dev.lines).toEqual(expect.arrayContaining([expect.stringMatching(/ tools\/call github_parse_reference → github 200 \d+ ms$/)]));
      expect(emf.records).toEqual(expect.arrayContaining([expect.objectContaining({ Fleet: 'examples', Pool: 'github' })]));
    } finally {
      emf.restore();
    }
  });
});
