import { clientRequestId, gatewayEventId, poolEventId, poolRequestId } from '../../../lib/gateway/streaming/wire-ids';

describe('ids that name their pool', () => {
  it.each([0, 42, 'abc', 'with:colons"and quotes'])('GIVEN pool request id %p WHEN made client-facing THEN pool and id come back from the id alone', (id) => {
    expect(poolRequestId(clientRequestId('desk', id))).toEqual({ pool: 'desk', id });
  });

  it.each([7, 'server-1', 'mcpf:', 'mcpf:desk', 'mcpf:desk:{"x":1}', 'mcpf:desk:not json'])('GIVEN %p, not made by the gateway WHEN decoded THEN undefined', (id) => {
    expect(poolRequestId(id)).toBeUndefined();
  });

  it('GIVEN a pool event id WHEN made client-facing THEN Last-Event-ID leads back to the pool and its id', () => {
    expect(poolEventId(gatewayEventId('desk', 'stream-1:42'))).toEqual({ pool: 'desk', id: 'stream-1:42' });
    expect(poolEventId('no-pool')).toBeUndefined();
  });
});
