/**
 * The deploy harness on a small stack of its own (test/deploy/fixtures/probe-app.ts): that a
 * deployment with a file asset lands in the emulator, and that a deployment with a broken reference
 * fails with a message that says why.
 */
import { ElasticLoadBalancingV2Client, DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as path from 'node:path';
import { DeployFailure, EmulatorDeployment, createAccountFixtures, emulatorCoverage, type AccountFixtures } from './support';

const PROJECT_DIR = path.resolve(__dirname, '../..');
const PROBE_APP = `${path.join(PROJECT_DIR, 'node_modules', '.bin', 'tsx')} ${path.join(__dirname, 'fixtures', 'probe-app.ts')}`;

describe('deploy harness (probe stack on the emulator)', () => {
  let emulator: EmulatorDeployment | undefined;
  let fixtures: AccountFixtures;

  beforeAll(async () => {
    emulator = await EmulatorDeployment.start();
    fixtures = await createAccountFixtures(emulator.clientConfig, 'probe.example.com');
    await emulator.bootstrap(PROJECT_DIR);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  test('GIVEN a stack with a Lambda file asset WHEN deployed THEN the published code and the TLS 1.3 listener exist', async () => {
    const deployed = await emulator!.deploy({
      stackName: 'DeployProbe',
      projectDir: PROJECT_DIR,
      app: PROBE_APP,
      context: { stackName: 'DeployProbe', certificateArn: fixtures.certificateArn },
    });

    expect(emulatorCoverage(deployed.template, deployed.resources).unexplained).toEqual([]);
    const lambda = new LambdaClient(emulator!.clientConfig);
    const elbv2 = new ElasticLoadBalancingV2Client(emulator!.clientConfig);
    try {
      const functionName = physicalIdOf(deployed.resources, 'AWS::Lambda::Function');
      const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
      expect(Configuration?.CodeSize).toBeGreaterThan(0);
      const { Listeners } = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: physicalIdOf(deployed.resources, 'AWS::ElasticLoadBalancingV2::LoadBalancer') }));
      expect(Listeners).toEqual([
        expect.objectContaining({
          Port: 443,
          Protocol: 'HTTPS',
          SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
          Certificates: [{ CertificateArn: fixtures.certificateArn }],
        }),
      ]);
    } finally {
      lambda.destroy();
      elbv2.destroy();
    }
  });

  test('GIVEN a listener that names a certificate missing from the account WHEN deployed THEN the failure says which reference broke', async () => {
    const missingCertificate = `arn:aws:acm:${emulator!.region}:${emulator!.account}:certificate/00000000-0000-0000-0000-000000000000`;

    const deployment = emulator!.deploy({
      stackName: 'DeployProbeBroken',
      projectDir: PROJECT_DIR,
      app: PROBE_APP,
      context: { stackName: 'DeployProbeBroken', certificateArn: missingCertificate },
    });

    await expect(deployment).rejects.toThrow(DeployFailure);
    await expect(deployment).rejects.toThrow(/CertificateNotFound/);
    await expect(deployment).rejects.toThrow(/Stack DeployProbeBroken: /);
  });
});

function physicalIdOf(resources: ReadonlyMap<string, { type: string; physicalId: string }>, type: string): string {
  const matches = [...resources.values()].filter((resource) => resource.type === type);
  if (matches.length !== 1) throw new Error(`expected one ${type} in the stack, found ${matches.length}`);
  return matches[0]!.physicalId;
}
