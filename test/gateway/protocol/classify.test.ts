import type { GatewayRequest } from '../../../lib/gateway/http';
import { checkAccept } from '../../../lib/gateway/protocol/classify';
import { isModernVersion } from '../../../lib/gateway/protocol/versions';

const request = (accept: string | undefined): GatewayRequest => ({ method: 'POST', path: '/mcp', query: '', headers: accept === undefined ? {} : { accept }, body: '' });

describe('Accept check', () => {
  it('GIVEN an Accept that passed (remembered) WHEN other values follow THEN each is judged on its own', () => {
    for (let round = 0; round < 2; round++) {
      expect(() => checkAccept(request('application/json, text/event-stream'))).not.toThrow();
      expect(() => checkAccept(request('application/json'))).toThrow(expect.objectContaining({ status: 406 }));
      expect(() => checkAccept(request(undefined))).toThrow(expect.objectContaining({ status: 406, message: expect.stringContaining('got none') }));
      expect(() => checkAccept(request('*/*'))).not.toThrow();
      expect(() => checkAccept(request('text/event-stream'))).toThrow(expect.objectContaining({ status: 406 }));
    }
  });
});

describe('protocol eras', () => {
  it.each([
    ['2026-07-28', true],
    ['2027-01-01', true],
    ['2025-11-25', false],
    ['2026-07-28x', false],
    ['', false],
  ])('GIVEN revision %p WHEN classified THEN modern is %p', (version, modern) => {
    expect(isModernVersion(version)).toBe(modern);
  });
});
