import { describeSpecPath, validateFleetSpec } from '../../lib/spec';

/** Problems as `path: message` lines, as `mcp-fleet validate` prints them. */
const lines = (spec: unknown) => validateFleetSpec(spec).map((p) => `${describeSpecPath(p)}: ${p.message}`);

describe('validation in one pass', () => {
  test('GIVEN structural and cross-field mistakes WHEN validated THEN both are reported together, naming pools and values', () => {
    expect(
      lines({
        name: 'agents',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*', 'bad tool!'], stopTimeoutSeconds: 100, deregistrationDelaySeconds: 110 },
          { name: 'gh', image: 'y', tools: ['github_issues'], sessionMode: 'sticky' },
        ],
      }),
    ).toEqual([
      'pools[0] (pool "github").tools[1]: must be 1-128 of A-Z a-z 0-9 _ . - plus the wildcards * and ? (got "bad tool!")',
      'pools[1] (pool "gh").sessionMode: Invalid option: expected one of "stateless"|"stateful" (got "sticky")',
      'pools[0] (pool "github").deregistrationDelaySeconds: deregistration delay (110 s) must not exceed the container stop timeout (100 s), or ECS kills tasks while the load balancer still drains their SSE streams',
      'pools[1] (pool "gh").tools[0]: "github_issues" overlaps "github_*" of pool "github" (pools[0]); every tool must have exactly one owning pool',
    ]);
  });

  test.each([
    ['cpu', { cpu: 300 }, 'must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units) (got 300)'],
    [
      'logRetentionDays',
      null,
      'must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days: the CloudWatch Logs retention periods) (got 2)',
    ],
    ['windowSeconds', null, 'must be one of 60, 120, 300, 600 (seconds: the WAF rate-based rule windows) (got 30)'],
  ])('GIVEN an enumeration (%s) with a value outside it WHEN validated THEN the message lists the allowed values and the value given', (_, poolExtra, message) => {
    const spec = {
      name: 'agents',
      pools: [{ name: 'github', image: 'x', tools: ['github_*'], ...(poolExtra ?? {}) }],
      ...(poolExtra ? {} : { observability: { logRetentionDays: 2 }, rateLimits: { perIp: { requests: 100, windowSeconds: 30 } } }),
    };
    expect(lines(spec).some((l) => l.endsWith(`: ${message}`))).toBe(true);
  });

  test('GIVEN a malformed field WHEN the rules that read it with another field run THEN no problem is invented from its default', () => {
    expect(
      lines({
        name: 'agents',
        pools: [
          // A bad cpu: the memory (valid for 2048) is not compared with the default 256.
          { name: 'images', image: 'x', tools: ['image_*'], cpu: 'large', memoryMiB: 8192 },
          // A malformed priority route: the pool is not taken for an owner that overlaps github.
          { name: 'fast', image: 'y', tools: ['image_*'], priorityRoute: { header: 'x-priority' } },
        ],
        // A bad timeout: the backend timeout is not compared with the default 30 s.
        gateway: { timeoutSeconds: 2000, backendTimeoutMs: 60_000 },
        // A malformed jwt still counts as given for the tool scopes.
        auth: { jwt: { issuer: 'http://auth.example.com', audience: ['a'] }, toolScopes: [{ tools: 'image_*', scopes: ['images:write'] }] },
      }),
    ).toEqual([
      'pools[0] (pool "images").cpu: must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units) (got "large")',
      'pools[1] (pool "fast").priorityRoute.value: missing (must be a string)',
      'auth.jwt.issuer: must be an https:// URL (got "http://auth.example.com")',
      'gateway.timeoutSeconds: Too big: expected number to be <=900 (got 2000)',
    ]);
  });

  test('GIVEN pools that are not objects or of an unknown kind WHEN validated THEN they are reported and the other pools are still checked', () => {
    expect(
      lines({
        name: 'agents',
        pools: ['github', { name: 'fs', kind: 'socket', tools: ['fs_*'] }, { name: 'a', image: 'x', tools: ['a_*'] }, { name: 'b', image: 'x', tools: ['A_x'] }],
      }),
    ).toEqual([
      'pools[0]: must be a pool object with name, tools and kind (got "github")',
      'pools[1] (pool "fs").kind: must be one of "container", "stdio", "queue" (absent means "container") (got "socket")',
      'pools[3] (pool "b").tools[0]: "A_x" overlaps "a_*" of pool "a" (pools[2]); every tool must have exactly one owning pool',
    ]);
  });

  test('GIVEN something that is not a spec at all WHEN validated THEN one structural problem and no crash', () => {
    expect(lines('fleet')).toEqual(['(spec): Invalid input: expected object, received string (got "fleet")']);
    expect(lines({ name: 'agents', pools: 'github' })).toEqual(['pools: Invalid input: expected array, received string (got "github")']);
  });
});
