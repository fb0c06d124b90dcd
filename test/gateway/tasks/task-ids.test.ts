/** Gateway task ids: they name the pool and the pool's own id, and open only for the caller they were issued to. */
import { TaskIds, isPoolTaskId } from '../../../lib/gateway/tasks/task-ids';

describe('TaskIds', () => {
  const ids = new TaskIds(async () => 'a shared secret of the fleet');

  beforeAll(() => ids.ready());

  test('GIVEN a wrapped id WHEN its caller opens it THEN the pool and its own id come back', () => {
    const id = ids.wrap('lab', 'task-7', 'api-key:alice');
    expect(isPoolTaskId(id)).toBe(true);
    expect(ids.open(id, 'api-key:alice')).toEqual({ pool: 'lab', taskId: 'task-7' });
  });

  test('GIVEN an id issued to alice WHEN bob opens it THEN "Task not found", saying it was issued to another caller', () => {
    const id = ids.wrap('lab', 'task-7', 'api-key:alice');
    expect(() => ids.open(id, 'api-key:bob')).toThrow(/Task not found: .* issued to another caller/);
  });

  test('GIVEN an id pointed at another pool WHEN opened THEN it is refused (the HMAC covers the pool)', () => {
    const [version, , tag] = ids.wrap('lab', 'task-7', 'api-key:alice').split('.');
    const forged = `${version}.${Buffer.from(JSON.stringify(['desk', 'task-7'])).toString('base64url')}.${tag}`;
    expect(() => ids.open(forged, 'api-key:alice')).toThrow(/Task not found/);
  });

  test('GIVEN another instance with the same secret WHEN it opens the id THEN it agrees; with another secret it refuses', async () => {
    const id = ids.wrap('lab', 'task-7', 'anonymous:anonymous');
    const same = new TaskIds(async () => 'a shared secret of the fleet');
    const other = new TaskIds(async () => 'another secret');
    await Promise.all([same.ready(), other.ready()]);
    expect(same.open(id, 'anonymous:anonymous')).toEqual({ pool: 'lab', taskId: 'task-7' });
    expect(() => other.open(id, 'anonymous:anonymous')).toThrow(/Task not found/);
  });

  test('GIVEN the secret cannot be had WHEN ids are needed THEN a clear 503 error, and the next attempt asks again', async () => {
    let calls = 0;
    const failing = new TaskIds(async () => {
      calls++;
      throw new Error('store down');
    });
    await expect(failing.ready()).rejects.toThrow('Task ids cannot be signed: the shared secret is unavailable (store down)');
    await expect(failing.ready()).rejects.toThrow('store down');
    expect(calls).toBe(2);
    expect(isPoolTaskId('job-123')).toBe(false);
  });
});
