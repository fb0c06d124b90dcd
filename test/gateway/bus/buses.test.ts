/** The gateway bus adapters (memory, and Redis pub/sub against the real Redis) and the rendezvous on top of them. */
import { randomUUID } from 'node:crypto';
import { createRedisClient } from '../../../lib/gateway/adapters/redis';
import { MemoryBusHub, MemoryGatewayBus } from '../../../lib/gateway/bus/memory-bus';
import { RedisGatewayBus } from '../../../lib/gateway/bus/redis-bus';
import { Rendezvous } from '../../../lib/gateway/cross-era/rendezvous';
import type { GatewayBus } from '../../../lib/gateway/ports';
import { RequestStates } from '../../../lib/gateway/protocol/request-state';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function received(bus: GatewayBus, instance: string): Promise<string> {
  return new Promise((resolve) => void bus.listen(instance, resolve));
}

/** Two buses that reach each other, and what to close besides them. */
type Pair = () => { buses: [GatewayBus, GatewayBus]; done(): Promise<void> };

const memoryPair: Pair = () => {
  const hub = new MemoryBusHub();
  return { buses: [new MemoryGatewayBus(hub), new MemoryGatewayBus(hub)], done: async () => undefined };
};

const redisPair: Pair = () => {
  const keyPrefix = `test-${randomUUID()}:`;
  const clients = [createRedisClient(REDIS_URL), createRedisClient(REDIS_URL)];
  return {
    buses: [new RedisGatewayBus({ client: clients[0]!, fleet: 'bus', region: 'local', keyPrefix }), new RedisGatewayBus({ client: clients[1]!, fleet: 'bus', region: 'local', keyPrefix })],
    done: async () => void (await Promise.all(clients.map((c) => c.quit()))),
  };
};

describe.each([
  ['memory', memoryPair],
  ['redis', redisPair],
])('%s gateway bus', (_name, pair) => {
  it('GIVEN two instances WHEN one sends to the other THEN it arrives; to an instance nobody listens as THEN false at once', async () => {
    const { buses, done } = pair();
    const [a, b] = buses;
    const arrival = received(b, 'instance-b');
    await new Promise((r) => setTimeout(r, 50));
    expect(await a.send('instance-b', 'hello')).toBe(true);
    expect(await arrival).toBe('hello');
    expect(await a.send('instance-gone', 'hello')).toBe(false);
    await b.close();
    expect(await a.send('instance-b', 'again')).toBe(false);
    await a.close();
    await done();
  });
});

describe('rendezvous', () => {
  it('GIVEN a mailbox on another instance WHEN a letter for it arrives after it closed THEN the sender is told it is gone', async () => {
    const hub = new MemoryBusHub();
    const [here, there] = [new Rendezvous(new MemoryGatewayBus(hub)), new Rendezvous(new MemoryGatewayBus(hub))];
    await Promise.all([here.ready(), there.ready()]);
    const letters: unknown[] = [];
    const box = there.open((letter) => void letters.push(letter));
    const replies: unknown[] = [];
    const reply = here.open((letter) => void replies.push(letter));
    expect(await here.post(box.address, { k: 'hi' })).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(letters).toEqual([{ k: 'hi' }]);
    box.close();
    expect(await here.post(box.address, { k: 'resume', replyTo: reply.address })).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(replies).toEqual([{ k: 'gone' }]);
    await Promise.all([here.close(), there.close()]);
  });
});

describe('request states of held calls', () => {
  it('GIVEN a state for a held call WHEN opened THEN it names the pool and the holder; altered THEN refused', () => {
    const states = new RequestStates({ fleet: 'f', key: 'k'.repeat(32) });
    const sealed = states.sealPending('desk', { instance: 'i1', token: 't1' });
    expect(states.open(sealed)).toEqual({ pool: 'desk', state: undefined, pending: { instance: 'i1', token: 't1' } });
    const [version, , tag] = sealed.split('.');
    const forged = `${version}.${Buffer.from(JSON.stringify(['desk', null, 'i2', 't1'])).toString('base64url')}.${tag}`;
    expect(() => states.open(forged)).toThrow(/signature/);
    expect(states.open(states.seal('desk', 'own'))).toEqual({ pool: 'desk', state: 'own' });
  });
});
