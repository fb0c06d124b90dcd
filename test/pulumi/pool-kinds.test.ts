/** McpFleet (Pulumi) under mocks renders one image per pool kind: registry as is, builds to ECR via docker-build. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { declare, oneResource, resetRecording, resourcesOfType, valueOf, type RecordedResource } from './harness';
import { McpFleet } from '../../pulumi';
import { ECHO_BUILD_DIR, kindsSpec } from '../fixtures/kinds';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const named = (name: string) => (r: RecordedResource) => r.name === name;

describe('McpFleet (Pulumi) with every pool kind', () => {
  let fleet: McpFleet;
  beforeAll(async () => {
    resetRecording();
    fleet = (await declare((options) => new McpFleet('kinds', { spec: kindsSpec, certificateArn: CERTIFICATE_ARN }, options))).component;
  });

  const containerOf = (pool: string) => JSON.parse(oneResource('aws:ecs/taskDefinition:TaskDefinition', named(`kinds-pool-${pool}-task`)).inputs.containerDefinitions)[0];
  const policyOf = (pool: string) => JSON.parse(oneResource('aws:iam/rolePolicy:RolePolicy', named(`kinds-pool-${pool}-execution`)).inputs.policy).Statement as Array<Record<string, any>>;

  test('GIVEN a registry image WHEN declared THEN the task runs it as is, nothing is built, and the execution role may pull from its repository', () => {
    expect(containerOf('registry').image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/team/server:1.2.3');
    expect(
      resourcesOfType('docker-build:index:Image')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['kinds-pool-built-image', 'kinds-pool-fs-image']);
    expect(policyOf('registry').find((s) => s.Sid === 'EcrPull')!.Resource).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/team/server']);
  });

  test('GIVEN a build directory WHEN declared THEN docker-build builds it for linux/amd64 with its args and pushes it to the pool ECR repository, whose digest the task runs', async () => {
    const build = oneResource('docker-build:index:Image', named('kinds-pool-built-image')).inputs;
    expect(build).toMatchObject({
      context: { location: ECHO_BUILD_DIR },
      dockerfile: { location: join(ECHO_BUILD_DIR, 'Dockerfile') },
      buildArgs: { MODE: 'prod' },
      platforms: ['linux/amd64'],
      push: true,
    });
    expect(build.registries[0]).toMatchObject({ username: 'AWS' });
    const repository = oneResource('aws:ecr/repository:Repository', named('kinds-pool-built-images')).inputs;
    expect(repository).toMatchObject({ imageScanningConfiguration: { scanOnPush: true } });
    expect(containerOf('built').image).toMatch(/^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/kinds-pool-built-images:built@sha256:0{64}$/);
    expect(await valueOf(fleet.pools.built!.image.ref)).toBe(containerOf('built').image);
    expect(policyOf('built').find((s) => s.Sid === 'EcrPull')!.Resource).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/kinds-pool-built-images']);
  });

  test('GIVEN a stdio pool WHEN declared THEN the generated context (a stable relative path) is built, and the task runs it non-root with its health check and writable HOME', () => {
    const build = oneResource('docker-build:index:Image', named('kinds-pool-fs-image')).inputs;
    expect(build.context.location).toMatch(/^\.mcp-fleet\/images\/context-[0-9a-f]{32}$/);
    expect(existsSync(join(build.context.location, 'mcp-fleet/dist/cli/mcp-fleet.js'))).toBe(true);
    expect(readFileSync(build.dockerfile.location, 'utf8')).toContain('"bridge","--host","0.0.0.0","--port","8080","--","npx","-y","@modelcontextprotocol/server-filesystem","/home/mcp"]');
    const container = containerOf('fs');
    expect(container).toMatchObject({ user: '1000:1000', readonlyRootFilesystem: true, healthCheck: { command: ['CMD', 'node', '-e', expect.stringContaining('/health')], startPeriod: 60 } });
    expect(container.mountPoints.map((m: { containerPath: string }) => m.containerPath)).toEqual(['/tmp', '/home/mcp']);
  });

  test('GIVEN connectionsPerTask WHEN declared THEN the pool scales on its gauge, from the plan', () => {
    expect(fleet.pools.fs!.connectionsPerTask).toBe(40);
    const policy = oneResource('aws:appautoscaling/policy:Policy', named('kinds-pool-fs-connection-scaling')).inputs;
    expect(policy.targetTrackingScalingPolicyConfiguration.targetValue).toBe(40);
  });

  test('GIVEN a build directory without its Dockerfile WHEN declared THEN it throws naming the pool component and the file', () => {
    const spec = { ...kindsSpec, pools: [{ name: 'nofile', build: { directory: ECHO_BUILD_DIR, dockerfile: 'Missing.Dockerfile' }, tools: ['n_*'] }] };
    expect(() => new McpFleet('missing', { spec, certificateArn: CERTIFICATE_ARN })).toThrow(`missing-pool-nofile: the build directory ${ECHO_BUILD_DIR} has no Missing.Dockerfile`);
  });
});
