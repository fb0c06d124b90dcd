import { FleetSpecError, parseFleetSpec, validateFleetSpec, DEFAULTS } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

describe('validateFleetSpec', () => {
  test('GIVEN the example spec WHEN validated THEN it has no problems', () => {
    expect(validateFleetSpec(threePoolSpec)).toEqual([]);
  });

  test('GIVEN many mistakes WHEN validated THEN every one is reported with its path', () => {
    const problems = validateFleetSpec({
      name: 'Bad Name',
      pools: [
        { name: 'a', image: 'x', tools: ['ok_*', 'bad name'] },
        { name: 'b', image: 'y', tools: [], port: 70000 },
      ],
      unknown: true,
    });
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'pools[0].tools[1]', 'pools[1].tools', 'pools[1].port', '']));
    expect(problems.find((p) => p.path === '')?.message).toMatch(/unknown/);
  });

  test('GIVEN overlapping tool patterns in two pools WHEN validated THEN the later pattern is named', () => {
    const problems = validateFleetSpec({
      name: 'f',
      pools: [
        { name: 'a', image: 'x', tools: ['github_*'] },
        { name: 'b', image: 'y', tools: ['slack_*', 'GitHub_issue_?'] },
      ],
    });
    expect(problems).toEqual([{ path: 'pools[1].tools[1]', pool: 'b', message: expect.stringMatching(/"GitHub_issue_\?" overlaps "github_\*" of pool "a"/) }]);
  });

  test('GIVEN a priority pool WHEN its patterns overlap an owner THEN that is allowed', () => {
    expect(
      validateFleetSpec({
        name: 'f',
        pools: [
          { name: 'a', image: 'x', tools: ['*'] },
          { name: 'fast', image: 'x', tools: ['*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
        ],
      }),
    ).toEqual([]);
  });

  test('GIVEN draining longer than the stop timeout WHEN validated THEN a clear error names both', () => {
    const problems = validateFleetSpec({
      name: 'f',
      pools: [
        { name: 'a', image: 'x', tools: ['a_*'], stopTimeoutSeconds: 130 },
        { name: 'b', image: 'x', tools: ['b_*'], deregistrationDelaySeconds: 100, stopTimeoutSeconds: 90 },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual(['pools[0].stopTimeoutSeconds', 'pools[1].deregistrationDelaySeconds']);
    expect(problems[0]!.message).toMatch(/maximum container stop timeout of 120 s/);
    expect(problems[1]!.message).toMatch(/deregistration delay \(100 s\) must not exceed the container stop timeout \(90 s\)/);
  });

  test('GIVEN invalid Fargate sizing, duplicate names and bad ranges WHEN validated THEN each is reported', () => {
    const problems = validateFleetSpec({
      name: 'f',
      pools: [
        { name: 'a', image: 'x', tools: ['a_*'], cpu: 256, memoryMiB: 4096, minTasks: 5, maxTasks: 2 },
        { name: 'a', image: 'x', tools: ['b_*'], protocolVersion: '2025-06-18', directRouting: true },
      ],
      gateway: { timeoutSeconds: 10, backendTimeoutMs: 20000, maxBodyBytes: 5_000_000, sseKeepaliveSeconds: 600 },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'pools[0].memoryMiB',
      'pools[0].maxTasks',
      'pools[1].name',
      'pools[1].directRouting',
      'gateway.sseKeepaliveSeconds',
      'gateway.backendTimeoutMs',
      'gateway.maxBodyBytes',
    ]);
  });

  test('GIVEN non-object input WHEN validated THEN it says what was expected', () => {
    expect(validateFleetSpec(42)).toEqual([{ path: '', message: expect.stringMatching(/expected object/) }]);
  });
});

describe('parseFleetSpec', () => {
  test('GIVEN a minimal spec WHEN parsed THEN every default is filled in', () => {
    const spec = parseFleetSpec({ name: 'f', pools: [{ name: 'a', image: 'x', tools: ['a_*'] }] });
    expect(spec.pools[0]).toMatchObject({ port: 8080, cpuTargetPercent: 70, sessionMode: 'stateless', directRouting: true, minTasks: 2, maxTasks: 10 });
    expect(spec.rateLimits.perIp).toEqual(DEFAULTS.wafWindow);
    expect(spec.sessionStore.engine).toBe('valkey');
  });

  test('GIVEN "10 tool calls per second per agent" WHEN parsed THEN the bucket says so', () => {
    expect(parseFleetSpec(threePoolSpec).rateLimits.perAgent.toolCalls).toEqual({ perSecond: 10, burst: 20 });
  });

  test('GIVEN an invalid spec WHEN parsed THEN the error lists every problem and names the caller', () => {
    expect(() => parseFleetSpec({ name: 'f', pools: [] }, 'Stack/Fleet')).toThrow(FleetSpecError);
    expect(() => parseFleetSpec({ name: 'f', pools: [] }, 'Stack/Fleet')).toThrow(/^Stack\/Fleet: invalid fleet spec \(1 problem\):\n {2}- pools: /);
  });
});
