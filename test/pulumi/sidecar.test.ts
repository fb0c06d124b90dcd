/** McpSidecar (Pulumi) under mocks: a server container for a task definition the user declares. */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { declare, oneResource, quiesce, resetRecording, valueOf, type RecordedResource } from './harness';
import { McpSidecar } from '../../pulumi';

const named = (name: string) => (r: RecordedResource) => r.name === name;

describe('McpSidecar (Pulumi)', () => {
  let sidecar: McpSidecar;
  beforeAll(async () => {
    resetRecording();
    sidecar = (
      await declare((options) => {
        const role = new aws.iam.Role('task-execution', { assumeRolePolicy: '{}' });
        const component = new McpSidecar(
          'files',
          { server: { name: 'files', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'] }, executionRoleName: role.name },
          options,
        );
        const app = { name: 'app', image: 'registry.example.com/agent:1.0.0', essential: true, dependsOn: [component.dependency] };
        new aws.ecs.TaskDefinition('task', {
          family: 'agent',
          cpu: '512',
          memory: '1024',
          networkMode: 'awsvpc',
          requiresCompatibilities: ['FARGATE'],
          executionRoleArn: role.arn,
          volumes: [...component.volumes],
          containerDefinitions: pulumi.jsonStringify([app, component.containerDefinition]),
        });
        return component;
      })
    ).component;
    await valueOf(sidecar.containerDefinition);
    await quiesce();
  });

  test('GIVEN a stdio server WHEN added to a task THEN its container runs the built bridge image non-root on a read-only root with its volumes, health check and logs, and the app waits for it', async () => {
    const containers = JSON.parse(await valueOf(oneResource('aws:ecs/taskDefinition:TaskDefinition', named('task')).inputs.containerDefinitions as string)) as Array<Record<string, any>>;
    const files = containers.find((c) => c.name === 'files')!;
    expect(files).toMatchObject({
      user: '1000:1000',
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: 8080 }],
      healthCheck: { command: ['CMD', 'node', '-e', expect.stringContaining('/health')], startPeriod: 60 },
      mountPoints: [
        { sourceVolume: 'files-tmp', containerPath: '/tmp', readOnly: false },
        { sourceVolume: 'files-home', containerPath: '/home/mcp', readOnly: false },
      ],
      logConfiguration: { logDriver: 'awslogs', options: expect.objectContaining({ 'awslogs-stream-prefix': 'files' }) },
    });
    expect(files.image).toMatch(/files-images:files@sha256:/);
    expect(containers.find((c) => c.name === 'app')!.dependsOn).toEqual([{ containerName: 'files', condition: 'HEALTHY' }]);
    expect(sidecar.url).toBe('http://localhost:8080/mcp');
  });

  test('GIVEN the execution role WHEN added THEN it may write the sidecar logs and pull its image, nothing more', () => {
    const statements = JSON.parse(oneResource('aws:iam/rolePolicy:RolePolicy', named('files-execution')).inputs.policy).Statement as Array<Record<string, any>>;
    expect(statements.map((s) => s.Sid)).toEqual(['WriteSidecarLogs', 'EcrLogin', 'EcrPull']);
  });

  test('GIVEN a bad server WHEN declared THEN it throws synchronously with the path under server', () => {
    expect(() => new McpSidecar('bad', { server: { name: 'bad', image: 'has space' } })).toThrow(
      /McpSidecar bad: invalid fleet spec[\s\S]*server\.image: must be a container image reference without spaces/,
    );
  });
});
