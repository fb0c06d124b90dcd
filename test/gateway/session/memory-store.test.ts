import { MemorySessionStore } from '../../../lib/gateway/session/memory-store';
import type { GatewaySessionRecord } from '../../../lib/gateway/ports';

const record: GatewaySessionRecord = { principal: 'p', region: 'local', protocolVersion: '2025-11-25', clientInfo: {}, clientCapabilities: {}, backends: {}, createdAt: 0 };

describe('MemorySessionStore', () => {
  it('GIVEN maxEntries WHEN more sessions are stored THEN the least recently used go first and memory stays bounded', async () => {
    const store = new MemorySessionStore({ maxEntries: 3 });
    for (const id of ['a', 'b', 'c']) await store.putSession(id, record, 60);
    await store.getSession('a'); // a is now the most recently used
    await store.putSession('d', record, 60);
    expect(await store.getSession('b')).toBeUndefined();
    for (const id of ['a', 'c', 'd']) expect(await store.getSession(id)).toBeDefined();
    for (let i = 0; i < 1000; i++) await store.putPrincipalBackend(`p${i}`, 'pool', { sessionId: 'x', protocolVersion: '2025-11-25' }, 60);
    expect(await store.getPrincipalBackend('p0', 'pool')).toBeUndefined();
    expect(await store.getPrincipalBackend('p999', 'pool')).toBeDefined();
  });

  it('GIVEN a per-principal bound WHEN sessions expire or end THEN their places are free again', async () => {
    let now = 0;
    const store = new MemorySessionStore({ now: () => now });
    expect(await store.createSession('a', record, 10, 2)).toBe(true);
    expect(await store.createSession('b', record, 10, 2)).toBe(true);
    expect(await store.createSession('c', record, 10, 2)).toBe(false);
    expect(await store.createSession('c', { ...record, principal: 'q' }, 10, 2)).toBe(true);
    await store.deleteSession('a');
    expect(await store.createSession('d', record, 10, 2)).toBe(true);
    now += 11_000;
    expect(await store.createSession('e', record, 10, 2)).toBe(true);
    expect(await store.createSession('f', record, 10, 2)).toBe(true);
  });

  it('GIVEN a 10 s TTL WHEN the session is used every 6 s THEN it stays; WHEN idle for 10 s THEN it is gone', async () => {
    let now = 0;
    const store = new MemorySessionStore({ now: () => now });
    await store.putSession('s', record, 10);
    for (let i = 0; i < 3; i++) {
      now += 6_000;
      expect(await store.getSession('s')).toBeDefined();
    }
    now += 10_000;
    expect(await store.getSession('s')).toBeUndefined();
  });

  it('GIVEN backend updates for two pools WHEN applied THEN both are kept; a deleted session is not resurrected', async () => {
    const store = new MemorySessionStore();
    await store.putSession('s', record, 60);
    await Promise.all([
      store.putBackendSession('s', 'a', { sessionId: '1', protocolVersion: '2025-11-25' }, 60),
      store.putBackendSession('s', 'b', { sessionId: '2', protocolVersion: '2025-11-25' }, 60),
    ]);
    expect(Object.keys((await store.getSession('s'))!.backends)).toEqual(['a', 'b']);
    await store.deleteSession('s');
    await store.putBackendSession('s', 'c', { sessionId: '3', protocolVersion: '2025-11-25' }, 60);
    expect(await store.getSession('s')).toBeUndefined();
  });

  it("GIVEN two claims of one pool's backend session WHEN made THEN the first holds and both get it; an ended session gets none", async () => {
    const store = new MemorySessionStore();
    await store.putSession('s', record, 60);
    const [a, b] = await Promise.all([
      store.claimBackendSession('s', 'slack', { sessionId: 'first', protocolVersion: '2025-11-25' }, 60),
      store.claimBackendSession('s', 'slack', { sessionId: 'second', protocolVersion: '2025-11-25' }, 60),
    ]);
    expect([a?.sessionId, b?.sessionId]).toEqual(['first', 'first']);
    expect(await store.claimBackendSession('gone', 'slack', { sessionId: 'x', protocolVersion: '2025-11-25' }, 60)).toBeUndefined();
  });

  it('GIVEN principal backends WHEN put and removed THEN they are kept per principal and pool', async () => {
    const store = new MemorySessionStore();
    await store.putPrincipalBackend('alice', 'slack', { sessionId: 'x', protocolVersion: '2025-11-25' }, 60);
    expect(await store.getPrincipalBackend('alice', 'slack')).toEqual({ sessionId: 'x', protocolVersion: '2025-11-25' });
    expect(await store.getPrincipalBackend('bob', 'slack')).toBeUndefined();
    await store.putPrincipalBackend('alice', 'slack', undefined, 60);
    expect(await store.getPrincipalBackend('alice', 'slack')).toBeUndefined();
  });
});
