import { createTelemetry, METRIC_DIMENSION_SETS, METRICS_NAMESPACE, requestIdOf, REQUEST_ID_HEADER } from '../../../lib/gateway/telemetry';

/** Captures what the process writes to stdout and stderr (where Powertools writes EMF and logs), line by line. */
function captureOutput() {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line !== ''),
    );
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  return {
    json: () => lines.map((line) => JSON.parse(line) as Record<string, any>),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

describe('requestIdOf', () => {
  test('GIVEN a sane x-request-id WHEN read THEN it is reused', () => {
    expect(requestIdOf({ [REQUEST_ID_HEADER]: 'req-42.a:b', 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793' })).toBe('req-42.a:b');
  });

  test('GIVEN only the ALB trace header WHEN read THEN its Root is the id, also after Self=', () => {
    expect(requestIdOf({ 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' })).toBe('1-5759e988-bd862e3fe1be46a994272793');
    expect(requestIdOf({ 'x-amzn-trace-id': 'Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678' })).toBe('1-67891233-abcdef012345678912345678');
  });

  test('GIVEN nothing usable (or a log-injection attempt) WHEN read THEN a new UUID is made', () => {
    expect(requestIdOf({})).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const id = requestIdOf({ [REQUEST_ID_HEADER]: 'x"\n{"level":"ERROR"}' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf({})).not.toBe(requestIdOf({}));
  });
});

describe('telemetry EMF metrics (captured from stdout)', () => {
  test('GIVEN tool calls and a list call WHEN flushed THEN one EMF record per pool/tool pair with exactly the documented dimension sets', () => {
    const output = captureOutput();
    try {
      const telemetry = createTelemetry({ fleet: 'agents' });
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: true, ms: 12.5 });
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: false, ms: 30 });
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: true, ms: 7 });
      telemetry.recordCall({ pool: 'slack', ok: true, ms: 3 });
      telemetry.recordRejection('rate-limited');
      telemetry.recordRejection('rate-limited');
      telemetry.recordRejection('unauthenticated');
      telemetry.flush();
      telemetry.flush(); // nothing new: nothing written
      const records = output.json();
      expect(records).toHaveLength(4);
      expect(records[0]).toEqual({
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [[...METRIC_DIMENSION_SETS.perTool], [...METRIC_DIMENSION_SETS.perPool]],
              Metrics: [
                { Name: 'Calls', Unit: 'Count' },
                { Name: 'Errors', Unit: 'Count' },
                { Name: 'Latency', Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        Fleet: 'agents',
        Tool: 'github_search',
        Pool: 'github',
        Calls: 3,
        Errors: 1,
        Latency: [12.5, 30, 7],
      });
      expect(records[1]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Namespace: 'McpFleet', Dimensions: [['Fleet', 'Pool']] }] }, Fleet: 'agents', Pool: 'slack', Calls: 1, Errors: 0, Latency: 3 });
      expect(records[1]).not.toHaveProperty('Tool');
      expect(records[2]).toMatchObject({ _aws: { CloudWatchMetrics: [{ Dimensions: [['Fleet', 'Reason']], Metrics: [{ Name: 'Rejected', Unit: 'Count' }] }] }, Reason: 'rate-limited', Rejected: 2 });
      expect(records[3]).toMatchObject({ Reason: 'unauthenticated', Rejected: 1 });
    } finally {
      output.restore();
    }
  });

  test('GIVEN 150 calls of one tool WHEN recorded THEN a record is written at 100 and the rest at flush, losing no call', () => {
    const output = captureOutput();
    try {
      const telemetry = createTelemetry({ fleet: 'agents' });
      for (let i = 0; i < 150; i += 1) telemetry.recordCall({ pool: 'images', tool: 'image_resize', ok: i % 10 !== 0, ms: i });
      expect(output.json()).toHaveLength(1);
      telemetry.close();
      const [first, second] = output.json();
      expect(first).toMatchObject({ Tool: 'image_resize', Pool: 'images', Calls: 100, Errors: 10 });
      expect(first!.Latency).toHaveLength(100);
      expect(second).toMatchObject({ Calls: 50, Errors: 5 });
      expect(second!.Latency).toEqual([...Array(50)].map((_, i) => 100 + i));
    } finally {
      output.restore();
    }
  });

  test('GIVEN a flush interval WHEN it passes THEN the server publishes without being asked; close() stops it', async () => {
    const output = captureOutput();
    try {
      const telemetry = createTelemetry({ fleet: 'agents', flushIntervalMs: 30 });
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: true, ms: 1 });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(output.json()).toHaveLength(1);
      telemetry.close();
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: true, ms: 1 });
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(output.json()).toHaveLength(1);
    } finally {
      output.restore();
    }
  });

  test('GIVEN disabled telemetry WHEN used THEN nothing is written', () => {
    const output = captureOutput();
    try {
      const telemetry = createTelemetry({ fleet: 'agents', disabled: true });
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: true, ms: 1 });
      telemetry.recordRejection('circuit-open');
      telemetry.forRequest({}).log.error('not shown');
      telemetry.close();
      expect(output.json()).toEqual([]);
    } finally {
      output.restore();
    }
  });

  test('GIVEN metrics turned off (the CLI on a terminal) WHEN used THEN no EMF is written but logs are', () => {
    const output = captureOutput();
    try {
      const telemetry = createTelemetry({ fleet: 'agents', metrics: false });
      telemetry.recordCall({ pool: 'github', tool: 'github_search', ok: true, ms: 1 });
      telemetry.recordRejection('circuit-open');
      telemetry.log.warn('still shown');
      telemetry.close();
      expect(output.json()).toEqual([expect.objectContaining({ message: 'still shown', level: 'WARN' })]);
    } finally {
      output.restore();
    }
  });
});

describe('telemetry logs', () => {
  test('GIVEN a request WHEN logged THEN every line is JSON with level, fleet, the request id and the fields; errors keep their cause', () => {
    const output = captureOutput();
    try {
      const telemetry = createTelemetry({ fleet: 'agents', logLevel: 'INFO' });
      const { requestId, log } = telemetry.forRequest({ 'x-request-id': 'req-1' });
      expect(requestId).toBe('req-1');
      log.info('routed', { pool: 'github', tool: 'github_search' });
      log.child({ pool: 'slack' }).warn('pool left out of tools/list', { error: new Error('connect ECONNREFUSED', { cause: new Error('socket') }) });
      log.debug('below the level');
      const [info, warn] = output.json();
      expect(output.json()).toHaveLength(2);
      expect(info).toMatchObject({ level: 'INFO', message: 'routed', service: 'mcp-fleet-gateway', fleet: 'agents', requestId: 'req-1', pool: 'github', tool: 'github_search' });
      expect(typeof info!.timestamp).toBe('string');
      expect(warn).toMatchObject({ level: 'WARN', requestId: 'req-1', pool: 'slack', error: { name: 'Error', message: 'connect ECONNREFUSED', cause: { message: 'socket' } } });
    } finally {
      output.restore();
    }
  });
});
