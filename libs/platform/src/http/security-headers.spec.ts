import type { Request, Response } from 'express';
import { API_CSP, HSTS, PAGE_CSP, securityHeadersMiddleware } from './security-headers';

function run(path: string, headers: Record<string, string> = {}, secure = false): Record<string, string> {
  const set: Record<string, string> = {};
  const req = { path, secure, header: (name: string) => headers[name.toLowerCase()] } as unknown as Request;
  const res = { setHeader: (name: string, value: string) => (set[name.toLowerCase()] = value) } as unknown as Response;
  let nexted = false;
  securityHeadersMiddleware()(req, res, () => (nexted = true));
  expect(nexted).toBe(true);
  return set;
}

describe('security headers', () => {
  it('an API answer: the fixed headers, the strict CSP, no-store, no HSTS over http', () => {
    expect(run('/api/v1/orders/O1/track-to-cash')).toEqual({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': API_CSP,
      'cache-control': 'no-store',
    });
  });

  it('a page (dashboard, /docs): the page CSP and no Cache-Control of ours', () => {
    const set = run('/docs');
    expect(set['content-security-policy']).toBe(PAGE_CSP);
    expect(set['cache-control']).toBeUndefined();
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).not.toMatch(/unsafe-eval|\*/);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
  });

  it('HSTS only when the request came over https (directly or through the proxy)', () => {
    expect(run('/health', {}, true)['strict-transport-security']).toBe(HSTS);
    expect(run('/health', { 'x-forwarded-proto': 'https' })['strict-transport-security']).toBe(HSTS);
    expect(run('/health', { 'x-forwarded-proto': 'HTTPS, http' })['strict-transport-security']).toBe(HSTS);
    expect(run('/health', { 'x-forwarded-proto': 'http' })['strict-transport-security']).toBeUndefined();
    expect(run('/health')['strict-transport-security']).toBeUndefined();
  });
});
