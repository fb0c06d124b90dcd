import { HostPolicy, isLoopbackAddress, LOOPBACK_HOSTS } from '../../../lib/gateway/auth/host';
import type { GatewayRequest } from '../../../lib/gateway/http';
import { validateFleetSpec } from '../../../lib/spec/validate';

const request = (headers: Record<string, string>): GatewayRequest => ({ method: 'POST', path: '/mcp', query: '', headers, body: '' });

describe('Host validation (DNS rebinding)', () => {
  const loopback = new HostPolicy(LOOPBACK_HOSTS);

  it.each(['127.0.0.1:8080', 'localhost', 'LOCALHOST:3000', '[::1]:9000'])('GIVEN loopback names only WHEN Host is %s THEN allowed', (host) => {
    expect(() => loopback.check(request({ host }))).not.toThrow();
  });

  it.each<Record<string, string>>([{ host: 'evil.example.com' }, { host: 'evil.example.com:8080' }, {}])('GIVEN loopback names only WHEN the headers are %p THEN 403 naming the Host', (headers) => {
    expect(() => loopback.check(request(headers))).toThrow(expect.objectContaining({ status: 403, message: expect.stringContaining('DNS rebinding protection') }));
  });

  it('GIVEN many distinct Host values (verdicts are remembered, in bounded memory) WHEN checked again THEN each gets the same verdict as the first time', () => {
    const policy = new HostPolicy(LOOPBACK_HOSTS);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 600; i++) expect(() => policy.check(request({ host: `evil${i}.example.com` }))).toThrow(expect.objectContaining({ status: 403 }));
      expect(() => policy.check(request({ host: '127.0.0.1:8080' }))).not.toThrow();
      expect(() => policy.check(request({ host: '127.0.0.1.evil.example.com' }))).toThrow(expect.objectContaining({ status: 403 }));
    }
  });

  it('GIVEN loopback names WHEN a browser page on a loopback origin calls THEN its Origin is the gateway’s own; a foreign origin is not', () => {
    expect(loopback.allowsOrigin(request({ origin: 'http://127.0.0.1:5173' }))).toBe(true);
    expect(loopback.allowsOrigin(request({ origin: 'http://evil.example.com' }))).toBe(false);
  });

  it('GIVEN no allowed hosts (a deployed fleet behind its load balancer) WHEN any Host THEN allowed, and no origin is waved through', () => {
    const open = new HostPolicy([]);
    expect(() => open.check(request({ host: 'mcp.example.com' }))).not.toThrow();
    expect(open.allowsOrigin(request({ origin: 'http://localhost' }))).toBe(false);
  });

  it('GIVEN listen addresses WHEN classified THEN loopback ones are recognised', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '10.0.0.5', '::'].some(isLoopbackAddress)).toBe(false);
  });

  it('GIVEN gateway.allowedHosts with a scheme or port WHEN validated THEN the entry is named', () => {
    const problems = validateFleetSpec({ name: 'f', pools: [{ name: 'a', image: 'x', tools: ['a_*'] }], gateway: { allowedHosts: ['mcp.example.com', 'https://x.com', 'x.com:443'] } });
    expect(problems.map((p) => p.path)).toEqual(['gateway.allowedHosts[1]', 'gateway.allowedHosts[2]']);
  });
});
