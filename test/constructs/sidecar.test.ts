import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpSidecar } from '../../constructs';
import { testStack } from './support';

describe('McpSidecar', () => {
  function taskWithSidecar() {
    const stack = testStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    const app = task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('registry.example.com/agent:1.0.0'), environment: {} });
    const files = new McpSidecar(stack, 'Files', {
      taskDefinition: task,
      server: { name: 'files', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], port: 9100 },
    });
    const search = new McpSidecar(stack, 'Search', {
      taskDefinition: task,
      server: { name: 'search', image: 'registry.example.com/mcp/search:2.0.0' },
      healthCheck: { command: ['CMD', '/bin/healthcheck'], intervalSeconds: 10, timeoutSeconds: 3, retries: 2, startPeriodSeconds: 5 },
    });
    files.startBefore(app);
    return { template: Template.fromStack(stack), files, search };
  }

  test('GIVEN an existing task WHEN a stdio and a container server are added THEN both run non-root on read-only roots with their own volumes, logs and health checks, and the app waits for the stdio one', () => {
    const { template, files } = taskWithSidecar();
    expect(files.url).toBe('http://localhost:9100/mcp');
    const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as Array<{ Properties: { ContainerDefinitions: Array<Record<string, any>>; Volumes: Array<{ Name: string }> } }>;
    const byName = Object.fromEntries(task!.Properties.ContainerDefinitions.map((c) => [c.Name, c]));
    expect(task!.Properties.Volumes.map((v) => v.Name)).toEqual(['files-tmp', 'files-home', 'search-tmp']);
    expect(byName.files).toMatchObject({
      User: '1000:1000',
      ReadonlyRootFilesystem: true,
      Essential: true,
      PortMappings: [{ ContainerPort: 9100, Name: 'files' }],
      HealthCheck: { Command: ['CMD', 'node', '-e', expect.stringContaining('127.0.0.1:9100/health')], StartPeriod: 60 },
      MountPoints: [
        { SourceVolume: 'files-tmp', ContainerPath: '/tmp', ReadOnly: false },
        { SourceVolume: 'files-home', ContainerPath: '/home/mcp', ReadOnly: false },
      ],
      LogConfiguration: { LogDriver: 'awslogs', Options: expect.objectContaining({ 'awslogs-stream-prefix': 'files' }) },
    });
    expect(JSON.stringify(byName.files.Image)).toContain('container-assets');
    expect(byName.search).toMatchObject({
      Image: 'registry.example.com/mcp/search:2.0.0',
      User: '1000:1000',
      ReadonlyRootFilesystem: true,
      HealthCheck: { Command: ['CMD', '/bin/healthcheck'], Interval: 10 },
    });
    expect(byName.app!.DependsOn).toEqual([{ ContainerName: 'files', Condition: 'HEALTHY' }]);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
  });

  test('GIVEN a bad server WHEN added THEN a validation error names the construct and the server path', () => {
    const stack = testStack();
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    expect(() => new McpSidecar(stack, 'Bad', { taskDefinition: task, server: { name: 'bad', kind: 'stdio', command: [] } })).toThrow(
      /^Test\/Bad: invalid fleet spec \(1 problem\):\n {2}- server\.command: must be a non-empty array of strings/,
    );
  });
});
