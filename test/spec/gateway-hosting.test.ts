import { DEFAULTS, parseFleetSpec, resolveFleetSpec, validateFleetSpec, type FleetSpec } from '../../lib/spec';
import { serviceHostedSpec, threePoolSpec } from '../fixtures/specs';

const withGateway = (gateway: FleetSpec['gateway']): FleetSpec => ({ ...threePoolSpec, gateway });

describe('gateway hosting in the spec', () => {
  test('GIVEN no hosting WHEN resolved THEN the gateway is a Lambda, and the service settings hold their defaults', () => {
    const spec = resolveFleetSpec(threePoolSpec);
    expect(spec.gateway.hosting).toBe('lambda');
    expect(spec.gateway.service).toEqual(DEFAULTS.gatewayService);
  });

  test('GIVEN hosting service with some settings WHEN resolved THEN the rest are defaults and a high minimum raises the maximum', () => {
    const spec = parseFleetSpec(withGateway({ hosting: 'service', service: { minTasks: 30, connectionsPerTask: 250 } }));
    expect(spec.gateway.service).toEqual({ ...DEFAULTS.gatewayService, minTasks: 30, maxTasks: 30, connectionsPerTask: 250 });
    expect(validateFleetSpec(serviceHostedSpec)).toEqual([]);
  });

  test('GIVEN service draining longer than the stop timeout, a stop timeout over 120 s, a bad Fargate size and too few tasks WHEN validated THEN each is named with its path', () => {
    expect(validateFleetSpec(withGateway({ hosting: 'service', service: { cpu: 512, memoryMiB: 512, minTasks: 4, maxTasks: 3, deregistrationDelaySeconds: 100, stopTimeoutSeconds: 90 } }))).toEqual([
      { path: 'gateway.service.memoryMiB', message: '512 MiB is not a valid Fargate memory size for 512 CPU units' },
      { path: 'gateway.service.maxTasks', message: 'maxTasks (3) is below minTasks (4)' },
      { path: 'gateway.service.deregistrationDelaySeconds', message: expect.stringMatching(/^deregistration delay \(100 s\) must not exceed the container stop timeout \(90 s\)/) },
    ]);
    expect(validateFleetSpec(withGateway({ hosting: 'service', service: { stopTimeoutSeconds: 130 } }))).toEqual([
      { path: 'gateway.service.stopTimeoutSeconds', message: '130 s exceeds the Fargate maximum container stop timeout of 120 s' },
    ]);
  });

  test('GIVEN settings of the other hosting WHEN validated THEN they are refused, never silently ignored', () => {
    expect(validateFleetSpec(withGateway({ hosting: 'service', memoryMiB: 2048, timeoutSeconds: 60 })).map((p) => p.path)).toEqual(['gateway.memoryMiB', 'gateway.timeoutSeconds']);
    expect(validateFleetSpec(withGateway({ service: { cpu: 2048 } }))).toEqual([
      { path: 'gateway.service', message: "applies to hosting 'service' only; set gateway.hosting: 'service' or remove it" },
    ]);
  });

  test('GIVEN hosting service WHEN the body limit or backend timeout pass the Lambda limits THEN that is allowed', () => {
    expect(validateFleetSpec(withGateway({ hosting: 'service', maxBodyBytes: 10_000_000, backendTimeoutMs: 300_000 }))).toEqual([]);
    expect(validateFleetSpec(withGateway({ maxBodyBytes: 10_000_000 })).map((p) => p.path)).toEqual(['gateway.maxBodyBytes']);
  });

  test('GIVEN no gateway.inputTimeoutSeconds WHEN resolved THEN it is 5 minutes; out of range or fractional, the path and the allowed range are named', () => {
    expect(resolveFleetSpec(threePoolSpec).gateway.inputTimeoutSeconds).toBe(300);
    expect(parseFleetSpec(withGateway({ hosting: 'service', inputTimeoutSeconds: 3600 })).gateway.inputTimeoutSeconds).toBe(3600);
    for (const inputTimeoutSeconds of [0, 3601, 1.5]) {
      expect(validateFleetSpec(withGateway({ inputTimeoutSeconds }))).toEqual([
        {
          path: 'gateway.inputTimeoutSeconds',
          message: `must be whole seconds between 1 and 3600 (a held cross-era call keeps its pool connection that long) (got ${inputTimeoutSeconds})`,
        },
      ]);
    }
  });

  test('GIVEN an unknown hosting, a privileged port or an unknown service setting WHEN validated THEN each is named', () => {
    const problems = validateFleetSpec(withGateway({ hosting: 'ec2' as 'lambda', service: { port: 80, replicas: 2 } as never }));
    expect(problems.map((p) => p.path).sort()).toEqual(['gateway.hosting', 'gateway.service', 'gateway.service.port']);
  });
});
