/**
 * The multi-region example (examples/cdk/multi-region.ts in the root cdk.json app: one McpFleet stack
 * per region and the global routing) deployed with the pinned CDK CLI onto the emulator, in dependency order, then
 * read back with the AWS SDK in each region: every region runs its own fleet, and Route 53 routes by
 * latency to each region's load balancer behind a health check of its deep health path. The cross-
 * region endpoint reads (AwsCustomResource) are made by the harness's server, see
 * test/deploy/emulator/moto_server_with_models.py.
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { ListHealthChecksCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import * as path from 'node:path';
import { planFleet } from '../../lib/plan';
import { GATEWAY_ENV } from '../../lib/spec';
import { GLOBAL_STACK_NAME, MULTI_REGION_REGIONS, recordNameIn, regionalStackName } from '../../examples/cdk/multi-region';
import { exampleFleetSpec } from '../../examples/cdk/fleet-spec';
import {
  EmulatorClients,
  EmulatorDeployment,
  createAccountFixtures,
  emulatorCoverage,
  issueCertificate,
  listenersOf,
  loadBalancerNamed,
  type AccountFixtures,
  type DeployedStack,
  REGISTRY_IMAGES_CONTEXT,
} from './support';

const PROJECT_DIR = path.resolve(__dirname, '../..');
const ZONE_NAME = 'multi-region-deploy-test.example.com';
// The multi-region example runs the example spec under its own fleet name (examples/cdk/app.ts).
const plan = planFleet({ ...exampleFleetSpec, name: `${exampleFleetSpec.name}-global` });

describe('multi-region fleet with global routing deployed on the emulator', () => {
  let emulator: EmulatorDeployment | undefined;
  const clients = new Map<string, EmulatorClients>();
  let fixtures: AccountFixtures;
  const deployed = new Map<string, DeployedStack>();

  beforeAll(async () => {
    emulator = await EmulatorDeployment.start();
    for (const region of MULTI_REGION_REGIONS) clients.set(region, new EmulatorClients(emulator.clientConfigFor(region)));
    fixtures = await createAccountFixtures(emulator.clientConfigFor(MULTI_REGION_REGIONS[0]), ZONE_NAME);
    const context: Record<string, string> = { account: emulator.account, hostedZoneId: fixtures.hostedZoneId, zoneName: fixtures.zoneName, ...REGISTRY_IMAGES_CONTEXT };
    // A certificate per region, issued in that region, as a real deployment needs.
    for (const region of MULTI_REGION_REGIONS) {
      context[`certificateArn-${region}`] = await issueCertificate(emulator.clientConfigFor(region), recordNameIn(ZONE_NAME));
    }
    await emulator.bootstrap(PROJECT_DIR, MULTI_REGION_REGIONS);
    // One synthesis of the whole app, then each stack after the ones it depends on.
    const assemblyDir = await emulator.synth({ projectDir: PROJECT_DIR, context });
    for (const stackName of [...MULTI_REGION_REGIONS.map(regionalStackName), GLOBAL_STACK_NAME]) {
      deployed.set(stackName, await emulator.deploy({ stackName, projectDir: PROJECT_DIR, assemblyDir }));
    }
  });

  afterAll(async () => {
    for (const client of clients.values()) client.destroy();
    await emulator?.stop();
  });

  test.each([...MULTI_REGION_REGIONS.map(regionalStackName), GLOBAL_STACK_NAME])('GIVEN %s THEN every template resource was created, or its type is a documented emulator gap', (stackName) => {
    const stack = deployed.get(stackName)!;

    expect(emulatorCoverage(stack.template, stack.resources).unexplained).toEqual([]);
  });

  test.each(MULTI_REGION_REGIONS)('GIVEN %s THEN its own fleet runs there: a TLS 1.3 load balancer and a gateway that knows its region', async (region) => {
    const regionClients = clients.get(region)!;
    const listeners = await listenersOf(regionClients, plan.loadBalancer.name);
    const gateway = await regionClients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: plan.gateway.functionName }));

    expect(deployed.get(regionalStackName(region))!.region).toBe(region);
    expect(listeners.find((listener) => listener.Port === plan.loadBalancer.httpsPort)?.SslPolicy).toBe(plan.loadBalancer.tlsPolicy);
    expect(gateway.Environment?.Variables?.[GATEWAY_ENV.region]).toBe(region);
  });

  test("GIVEN the global routing THEN one latency alias record per region points at that region's load balancer, behind its health check", async () => {
    const route53 = clients.get(MULTI_REGION_REGIONS[0])!.route53;
    const { ResourceRecordSets } = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: fixtures.hostedZoneId }));
    const { HealthChecks } = await route53.send(new ListHealthChecksCommand({}));
    const latencyRecords = (ResourceRecordSets ?? []).filter((record) => record.Region !== undefined);

    expect(latencyRecords.map((record) => record.Region).sort()).toEqual([...MULTI_REGION_REGIONS].sort());
    for (const record of latencyRecords) {
      const loadBalancer = await loadBalancerNamed(clients.get(record.Region!)!, plan.loadBalancer.name);
      const healthCheck = HealthChecks?.find((check) => check.Id === record.HealthCheckId);

      expect(record).toMatchObject({
        Name: `${recordNameIn(ZONE_NAME)}.`,
        Type: 'A',
        AliasTarget: {
          DNSName: `dualstack.${loadBalancer.DNSName}`,
          HostedZoneId: loadBalancer.CanonicalHostedZoneId,
          EvaluateTargetHealth: true,
        },
      });
      expect(healthCheck?.HealthCheckConfig).toMatchObject({
        Type: 'HTTPS',
        Port: plan.loadBalancer.httpsPort,
        ResourcePath: plan.healthPath,
        FullyQualifiedDomainName: loadBalancer.DNSName,
      });
    }
  });
});
