/**
 * The README's code works as written: each TypeScript snippet a user copies (spec, CDK app, Pulumi
 * program) is mirrored verbatim in a file here — type-checked with the project — and the CDK and
 * Pulumi mirrors run as a user's would, importing the built package by name, without AWS credentials.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const README_BLOCKS = [...readFileSync(path.join(ROOT, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The text between the README markers of a mirror file. */
function mirrored(file: string): string {
  const text = readFileSync(path.join(__dirname, file), 'utf8');
  return text.slice(text.indexOf('// README:begin\n') + '// README:begin\n'.length, text.indexOf('// README:end\n'));
}

/** No credentials of any kind: not from the environment, files, or instance metadata. */
function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')));
  return { ...env, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
}

/**
 * A user's project directory: the spec snippet builds the `images` pool from `servers/images`
 * (relative to where `cdk synth` runs), so the mirrors run where that directory exists.
 */
let project: string;
beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-readme-'));
  mkdirSync(path.join(project, 'servers', 'images'), { recursive: true });
  writeFileSync(path.join(project, 'servers', 'images', 'Dockerfile'), 'FROM node:22-bookworm-slim\n');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

/**
 * CDK_VALIDATION=false turns off CDK's built-in CloudFormation validation (a user's synth has it on): by
 * default it only prints warnings, which nothing here reads, and it cost 9 of the 11 CPU seconds of the
 * two CDK mirrors; cfn-lint checks the example app's templates built from the same constructs.
 */
async function runMirror(file: string): Promise<Record<string, unknown>> {
  const env = { ...credentialFreeEnv(), CDK_VALIDATION: 'false' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, file)], { cwd: project, env, timeout: 110_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('README snippets', () => {
  test.each([
    ['the fleet spec', 'spec-snippet.ts', 'export const spec: FleetSpec'],
    ['the CDK app', 'cdk-snippet.ts', 'new McpFleet(stack'],
    ['the CDK sidecar', 'sidecar-snippet.ts', 'new McpSidecar(stack'],
    ['the Pulumi program', 'pulumi-snippet.ts', "from 'mcp-fleet/pulumi'"],
    ['the Pulumi testing example', 'pulumi-testing.test.ts', 'setFleetMocks'],
  ])('GIVEN %s in the README WHEN compared THEN the tested mirror holds it verbatim', (_, file, marker) => {
    const blocks = README_BLOCKS.filter((b) => b.includes(marker));
    expect(blocks).toHaveLength(1);
    expect(mirrored(file)).toBe(blocks[0]);
  });

  test('GIVEN no AWS credentials WHEN the CDK and Pulumi snippets run as written THEN the CDK app and the sidecar synthesize and the Pulumi program declares the fleet', async () => {
    const [cdk, pulumi, sidecar] = await Promise.all([runMirror('cdk-snippet.ts'), runMirror('pulumi-snippet.ts'), runMirror('sidecar-snippet.ts')]);
    expect(cdk).toEqual({ stack: 'Agents', region: 'us-east-1', resources: expect.any(Number), services: 4 });
    expect(sidecar).toEqual({ url: 'http://localhost:9100/mcp', containers: ['app', 'files'], appDependsOn: [{ ContainerName: 'files', Condition: 'HEALTHY' }] });
    expect(pulumi).toMatchObject({ url: 'https://mcp.example.com/mcp', 'aws:ecs/service:Service': 4, 'aws:lb/loadBalancer:LoadBalancer': 1, 'aws:elasticache/replicationGroup:ReplicationGroup': 1 });
  }, 120_000); // three fresh processes (a CDK synth takes 5 s alone, far more on a busy machine)
});
