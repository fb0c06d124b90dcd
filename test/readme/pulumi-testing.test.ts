/** The README's Pulumi testing snippet, verbatim between the markers (checked by snippets.test.ts). */
// README:begin
import { setFleetMocks } from 'mcp-fleet/testing';

test('the fleet listens on TLS 1.3 only and runs a service per pool', async () => {
  const mocks = setFleetMocks({ config: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/…' } });
  require('./program'); // your program, loaded once the mocks are in place
  await mocks.settled();
  expect(mocks.oneResource('aws:lb/listener:Listener', (r) => r.inputs.port === 443).inputs.sslPolicy).toMatch(/TLS13/);
  expect(mocks.countsByType()['aws:ecs/service:Service']).toBe(4); // the spec's four pools
});
// README:end
