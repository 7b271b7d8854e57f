/**
 * Bearer tokens at the HTTP level, the cases test/e2e/auth.e2e-spec.ts does not already cover
 * (it has: no token, empty bearer, another scheme, garbage, a wrong secret, alg none, expired,
 * not yet valid, no roles claim, no sub claim, unknown role and no role on a command): malformed
 * compact serialisations, algorithm confusion, a tampered payload (roles edited), claims of the
 * wrong type, the clock leeway's edge, and unknown or miscased roles on queries. Each refusal is
 * problem+json, 401 UNAUTHENTICATED (bad credentials) or 403 FORBIDDEN (role not allowed), and a
 * refused command appends nothing.
 */
import { createHmac } from 'node:crypto';
import { signHs256 } from '../../libs/platform/src/auth/jwt';
import { type Api, type Reply, TEST_SECRET, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;
let anonymous: Api;

beforeAll(async () => {
  t = await startTestSystem();
  anonymous = t.api.as(null);
});

afterAll(async () => {
  await t?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const hmac = (input: string, secret = TEST_SECRET) =>
  createHmac('sha256', secret).update(input).digest().toString('base64url');
/** A token with this header and payload, HMAC-signed with the test secret whatever the header says. */
const signed = (header: unknown, payload: unknown) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${hmac(input)}`;
};
const admin = () => ({ sub: 'x', roles: ['admin'], exp: now() + 600 });

async function head(): Promise<string> {
  const p = await t.system.store.headPosition();
  return `${p.major}/${p.minor}`;
}

function expectProblem(reply: Reply, status: number, code: string): void {
  expect([reply.status, (reply.body as { code?: string }).code]).toEqual([status, code]);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
}

const ORDER = {
  orderId: 'O-tok',
  customerId: 'C1',
  amount: { amount: 10000, currency: 'USD' },
  bookedAt: '2026-01-10T00:00:00Z',
};

describe('401 UNAUTHENTICATED: tokens auth.e2e-spec does not try', () => {
  const valid = () => tokenFor({ roles: ['admin'] });
  const cases: Array<[string, () => string]> = [
    ['two segments', () => valid().split('.').slice(0, 2).join('.')],
    ['four segments', () => `${valid()}.${hmac('x')}`],
    ['a header that is not JSON', () => `${b64('{alg:HS256')}.${valid().split('.').slice(1).join('.')}`],
    [
      'a payload that is not JSON',
      () => {
        const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64('not json')}`;
        return `${input}.${hmac(input)}`;
      },
    ],
    ['a payload that is a JSON array', () => signed({ alg: 'HS256' }, [admin()])],
    ['characters outside base64url', () => valid().replace(/^./, '+')],
    ['alg "None"', () => `${b64({ alg: 'None' })}.${b64(admin())}.`],
    ['alg "NONE" with a signature', () => signed({ alg: 'NONE' }, admin())],
    [
      'alg none with the HS256 signature kept',
      () => `${b64({ alg: 'none' })}.${valid().split('.')[1]}.${valid().split('.')[2]}`,
    ],
    ['alg HS512 (not accepted)', () => signed({ alg: 'HS512', typ: 'JWT' }, admin())],
    ['alg RS256 HMAC-signed with the secret (algorithm confusion)', () => signed({ alg: 'RS256' }, admin())],
    ['a crit header extension', () => signed({ alg: 'HS256', crit: ['exp'] }, admin())],
    ['an HS256 header with the signature stripped', () => `${valid().split('.').slice(0, 2).join('.')}.`],
    [
      'a tampered payload: roles edited to admin, signature of the original',
      () => {
        const [h, , s] = tokenFor({ sub: 'rep-1', roles: ['rep'] }).split('.');
        return `${h}.${b64({ sub: 'rep-1', roles: ['admin'], exp: now() + 600 })}.${s}`;
      },
    ],
    ['roles as a string', () => signHs256({ sub: 'x', roles: 'admin', exp: now() + 600 }, TEST_SECRET)],
    ['roles holding a number', () => signHs256({ sub: 'x', roles: ['admin', 1], exp: now() + 600 }, TEST_SECRET)],
    ['exp as a string', () => signHs256({ sub: 'x', roles: ['admin'], exp: `${now() + 600}` }, TEST_SECRET)],
    ['a blank sub', () => signHs256({ sub: '  ', roles: ['admin'], exp: now() + 600 }, TEST_SECRET)],
    ['a sub over 200 characters', () => signHs256({ sub: 'u'.repeat(201), roles: ['admin'] }, TEST_SECRET)],
    ['expired 61 s ago (just past the 60 s leeway)', () => tokenFor({ roles: ['admin'], exp: now() - 62 })],
    ['a token of another secret with a valid shape', () => tokenFor({ roles: ['admin'] }, `${TEST_SECRET}x`)],
  ];

  it.each(cases)('%s: a command is refused and appends nothing', async (_name, token) => {
    const before = await head();
    const r = await anonymous.as(token()).post('/api/v1/orders', ORDER);
    expectProblem(r, 401, 'UNAUTHENTICATED');
    expect(r.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await head()).toBe(before);
  });

  it.each(cases)('%s: a query is refused', async (_name, token) => {
    expectProblem(await anonymous.as(token()).get('/api/v1/projections'), 401, 'UNAUTHENTICATED');
  });

  it.each<[string, string]>([
    ['two tokens', `Bearer ${tokenFor({ roles: ['admin'] })} ${tokenFor({ roles: ['admin'] })}`],
    ['no space after Bearer', `Bearer${tokenFor({ roles: ['admin'] })}`],
    ['a token without the scheme', tokenFor({ roles: ['admin'] })],
  ])('an Authorization header with %s is 401 invalid_request', async (_name, authorization) => {
    const r = await anonymous.get('/api/v1/projections', { authorization });
    expectProblem(r, 401, 'UNAUTHENTICATED');
    expect(r.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"');
  });

  it('a token over 16 KiB (headers too large for the HTTP parser) is 431 problem+json, nothing appended', async () => {
    const before = await head();
    const r = await anonymous.as(tokenFor({ roles: ['admin'], pad: 'a'.repeat(17_000) })).post('/api/v1/orders', ORDER);
    expectProblem(r, 431, 'HEADERS_TOO_LARGE');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await head()).toBe(before);
  });

  it('the answer never echoes the token', async () => {
    const token = tokenFor({ roles: ['admin'] }, 'a-secret-nobody-configured-0123456789');
    const r = await anonymous.as(token).get('/api/v1/projections');
    expectProblem(r, 401, 'UNAUTHENTICATED');
    expect(JSON.stringify(r.body)).not.toContain(token.split('.')[2]!);
  });
});

describe('the clock leeway (60 s) is honoured, not more', () => {
  it('a token expired 30 s ago is still accepted', async () => {
    expect(
      (await anonymous.as(tokenFor({ roles: ['admin'], exp: now() - 30 })).get('/api/v1/projections')).status,
    ).toBe(200);
  });

  it('a token valid from 30 s in the future is already accepted', async () => {
    expect(
      (await anonymous.as(tokenFor({ roles: ['admin'], nbf: now() + 30 })).get('/api/v1/projections')).status,
    ).toBe(200);
  });
});

describe('403 FORBIDDEN: missing or unknown roles on queries', () => {
  it.each<[string, string[]]>([
    ['no role', []],
    ['only unknown roles', ['superuser', 'root']],
    ['a miscased role (roles are case-sensitive)', ['Admin']],
    ['a role with blanks', [' admin ']],
  ])('%s: every kind of route is 403', async (_name, roles) => {
    const api = anonymous.as(tokenFor({ roles, salespersonId: 'alice', teamId: 'east' }));
    for (const path of ['/api/v1/projections', '/api/v1/salespeople/alice/ledger?period=2026-01', '/api/v1/events']) {
      expectProblem(await api.get(path), 403, 'FORBIDDEN');
    }
    const before = await head();
    expectProblem(await api.post('/api/v1/orders', ORDER), 403, 'FORBIDDEN');
    expect(await head()).toBe(before);
  });

  it('an unknown role beside a known one grants nothing more: compliance + superuser still may not write', async () => {
    const api = anonymous.as(tokenFor({ roles: ['compliance', 'superuser'] }));
    expect((await api.get('/api/v1/projections')).status).toBe(200);
    expectProblem(await api.post('/api/v1/orders', ORDER), 403, 'FORBIDDEN');
  });
});
