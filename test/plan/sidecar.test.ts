import { planSidecar } from '../../lib/plan';
import { FleetSpecError } from '../../lib/spec';

describe('planSidecar', () => {
  test('GIVEN a stdio server WHEN planned THEN it runs the generated bridge image on localhost, non-root, with prefixed scratch volumes and the bridge health check', () => {
    const plan = planSidecar({ name: 'fs', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], port: 9100 });
    expect(plan).toMatchObject({ name: 'fs', port: 9100, url: 'http://localhost:9100/mcp', user: '1000:1000', readonlyRootFilesystem: true, image: { kind: 'generated' } });
    expect(plan.scratchVolumes).toEqual([
      { name: 'fs-tmp', containerPath: '/tmp' },
      { name: 'fs-home', containerPath: '/home/mcp' },
    ]);
    expect(plan.healthCheck?.command.join(' ')).toContain("fetch('http://127.0.0.1:9100/health')");
    expect(plan.environment).toMatchObject({ PORT: '9100', HOME: '/home/mcp' });
  });

  test('GIVEN a container server WHEN planned THEN its registry image and paths are used and no health check is assumed', () => {
    const plan = planSidecar({ name: 'search', image: 'registry.example.com/mcp/search:2.0.0', mcpPath: '/rpc', healthPath: '/ready' });
    expect(plan).toMatchObject({
      url: 'http://localhost:8080/rpc',
      image: { kind: 'registry', image: 'registry.example.com/mcp/search:2.0.0' },
      environment: { MCP_FLEET_MCP_PATH: '/rpc', MCP_FLEET_HEALTH_PATH: '/ready' },
    });
    expect(plan.healthCheck).toBeUndefined();
  });

  test('GIVEN a bad server WHEN planned THEN every problem is named under server, with the caller', () => {
    let error: unknown;
    try {
      planSidecar({ name: 'Bad Name', kind: 'stdio', command: [] }, 'Stack/Task/Sidecar');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FleetSpecError);
    expect((error as FleetSpecError).problems.map((p) => p.path).sort()).toEqual(['server.command', 'server.name']);
    expect((error as Error).message).toMatch(/^Stack\/Task\/Sidecar: invalid fleet spec \(2 problems\)/);
  });

  test('GIVEN a queue server WHEN planned THEN it is refused: a sidecar serves MCP on localhost', () => {
    expect(() => planSidecar({ name: 'q', kind: 'queue' } as never)).toThrow('server.kind: a sidecar runs a "container" or "stdio" server, not "queue"');
  });
});
