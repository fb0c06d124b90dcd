import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { McpFleet } from '../../constructs';
import { kindsSpec } from '../fixtures/kinds';
import { CDK_CONTEXT, CERTIFICATE_ARN, ENV } from './support';

interface DockerAsset {
  readonly source: { readonly directory: string; readonly dockerFile?: string; readonly dockerBuildArgs?: Record<string, string>; readonly platform?: string };
}

/** Synthesizes the kinds fleet; returns its template and the docker image assets of its asset manifest. */
function synth(): { template: Template; outdir: string; images: Record<string, DockerAsset> } {
  // CDK's built-in template validation only warns by default (nothing here could fail on it) and costs ~2 s CPU a synthesis.
  const app = new App({ context: { ...CDK_CONTEXT }, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Kinds', { env: ENV });
  new McpFleet(stack, 'Fleet', { spec: kindsSpec, certificateArn: CERTIFICATE_ARN });
  const assembly = app.synth();
  const manifest = JSON.parse(readFileSync(join(assembly.directory, 'Kinds.assets.json'), 'utf8')) as { dockerImages: Record<string, DockerAsset> };
  return { template: Template.fromStack(stack), outdir: assembly.directory, images: manifest.dockerImages };
}

function containerOf(template: Template, family: string): Record<string, any> {
  const [def] = Object.values(template.findResources('AWS::ECS::TaskDefinition', { Properties: { Family: Match.stringLikeRegexp(family) } }));
  return (def as { Properties: { ContainerDefinitions: Array<Record<string, any>> } }).Properties.ContainerDefinitions[0]!;
}

describe('McpFleet renders one image per pool kind', () => {
  let template: Template;
  let outdir: string;
  let images: Record<string, DockerAsset>;
  beforeAll(() => ({ template, outdir, images } = synth()));

  test('GIVEN a registry image WHEN synthesized THEN the task runs it as is and the execution role may pull from its ECR repository', () => {
    expect(containerOf(template, 'Poolregistry').Image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/team/server:1.2.3');
    expect(containerOf(template, 'Poolregistry').HealthCheck).toBeUndefined();
    const pulls = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.includes('Poolregistry'))
      .flatMap(([, p]) => (p as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes('ecr:BatchGetImage'));
    expect(pulls.map((s) => s.Resource)).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/team/server']);
  });

  test('GIVEN a build directory WHEN synthesized THEN it is a linux/amd64 Docker image asset of that directory with its build args (fingerprinted, not built)', () => {
    const built = Object.values(images).find((a) => a.source.dockerBuildArgs?.MODE === 'prod');
    expect(built).toBeDefined();
    expect(built!.source).toMatchObject({ dockerFile: 'Dockerfile', platform: 'linux/amd64' });
    expect(readFileSync(join(outdir, built!.source.directory, 'Dockerfile'), 'utf8')).toContain('ARG MODE=dev');
    expect(JSON.stringify(containerOf(template, 'Poolbuilt').Image)).toContain('cdk-hnb659fds-container-assets');
  });

  test('GIVEN a stdio pool WHEN synthesized THEN its generated context holds the Dockerfile (command under the bridge) and the package CLI, and the task runs it non-root with HOME and /tmp writable', () => {
    const generated = Object.values(images).find((a) => a.source.dockerBuildArgs === undefined);
    expect(generated).toBeDefined();
    const context = join(outdir, generated!.source.directory);
    const dockerfile = readFileSync(join(context, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('FROM node:22-bookworm-slim');
    expect(dockerfile).toContain(
      'ENTRYPOINT ["node","/opt/mcp-fleet/bin/mcp-fleet.js","bridge","--host","0.0.0.0","--port","8080","--","npx","-y","@modelcontextprotocol/server-filesystem","/home/mcp"]',
    );
    expect(readFileSync(join(context, 'mcp-fleet/dist/cli/mcp-fleet.js'), 'utf8').length).toBeGreaterThan(100_000);
    expect(JSON.parse(readFileSync(join(context, 'mcp-fleet/package.json'), 'utf8')).name).toBe('mcp-fleet');

    const container = containerOf(template, 'Poolfs');
    expect(container).toMatchObject({ User: '1000:1000', ReadonlyRootFilesystem: true, HealthCheck: { Command: ['CMD', 'node', '-e', expect.stringContaining('/health')], StartPeriod: 60 } });
    expect(container.MountPoints).toEqual([
      { SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false },
      { SourceVolume: 'home', ContainerPath: '/home/mcp', ReadOnly: false },
    ]);
    expect(container.Environment).toEqual(expect.arrayContaining([{ Name: 'HOME', Value: '/home/mcp' }]));
  });

  test('GIVEN the same spec twice WHEN synthesized THEN the image assets are the same (content-addressed, no clock)', () => {
    expect(Object.keys(synth().images).sort()).toEqual(Object.keys(images).sort());
  });

  test('GIVEN connectionsPerTask on the stdio pool WHEN synthesized THEN it scales on the pool gauge from the plan', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 40,
        CustomizedMetricSpecification: Match.objectLike({ MetricName: 'OpenConnections', Dimensions: Match.arrayWith([{ Name: 'Pool', Value: 'fs' }]) }),
      }),
    });
  });

  test('GIVEN every kind WHEN synthesized THEN each pool admits exactly the plan ingress: the load balancer and the gateway on its port', () => {
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => (r as { Properties: { Description: string; FromPort: number } }).Properties);
    for (const pool of ['registry', 'built', 'fs']) {
      expect(ingress.filter((r) => r.Description.endsWith(`pool ${pool}`) || r.Description.includes(`pool ${pool} `)).map((r) => r.FromPort)).toEqual([8080, 8080]);
    }
  });

  test('GIVEN a build directory that does not exist WHEN synthesized THEN a validation error names the pool construct and the directory (not a deploy-time Docker failure)', () => {
    const app = new App({ context: { ...CDK_CONTEXT } });
    const stack = new Stack(app, 'Missing', { env: ENV });
    const spec = { ...kindsSpec, pools: [{ name: 'gone', build: 'test/fixtures/images/not-built', tools: ['gone_*'] }] };
    expect(() => new McpFleet(stack, 'Fleet', { spec, certificateArn: CERTIFICATE_ARN })).toThrow('Missing/Fleet/Pool-gone: the build directory test/fixtures/images/not-built');
  });
});
