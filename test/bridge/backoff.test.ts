import { Backoff } from '../../lib/bridge/backoff';

test('GIVEN a process that keeps dying WHEN restarts are scheduled THEN the delay doubles up to the cap, and resets after a stable run', () => {
  const backoff = new Backoff({ baseMs: 100, maxMs: 1000, stableMs: 5000 });
  expect([0, 0, 0, 0, 0, 0].map(() => backoff.next(10))).toEqual([100, 200, 400, 800, 1000, 1000]);
  expect(backoff.next(5000)).toBe(100);
  expect(backoff.next(10)).toBe(200);
});
