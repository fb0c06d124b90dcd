/**
 * The README's sidecar snippet, verbatim between the markers (snippets.test.ts checks that, type-checking
 * covers it, and the test runs this file without AWS credentials). Before the markers: the stack, task
 * definition and app container the snippet leaves to the reader; after them: synthesis and a summary.
 */
import { App, Stack, aws_ecs as ecs } from 'aws-cdk-lib';

const app = new App();
const stack = new Stack(app, 'Sidecar', { env: { region: 'us-east-1' } });
const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
const appContainer = taskDefinition.addContainer('app', { image: ecs.ContainerImage.fromRegistry('registry.example.com/app:1.0.0') });
// README:begin
import { McpSidecar } from 'mcp-fleet/cdk';

const files = new McpSidecar(stack, 'Files', {
  taskDefinition, // your ecs.TaskDefinition
  server: { name: 'files', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'], port: 9100 },
});
files.startBefore(appContainer); // the app starts once the server answers /health
files.url; // http://localhost:9100/mcp
// README:end

const template = app.synth().getStackByName(stack.stackName).template as {
  Resources: Record<string, { Type: string; Properties: { ContainerDefinitions?: { Name: string; DependsOn?: { ContainerName: string; Condition: string }[] }[] } }>;
};
const task = Object.values(template.Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition')!;
const containers = task.Properties.ContainerDefinitions ?? [];
const appDefinition = containers.find((c) => c.Name === 'app');
process.stdout.write(`${JSON.stringify({ url: files.url, containers: containers.map((c) => c.Name).sort(), appDependsOn: appDefinition?.DependsOn ?? [] })}\n`);
