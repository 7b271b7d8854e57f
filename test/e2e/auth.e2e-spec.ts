/**
 * Authentication and roles (api.md § Authentication and roles) through HTTP on real PostgreSQL:
 * bearer tokens (HS256 and JWKS), 401/403 as problem+json, refusals that append nothing, the data
 * scoping of managers and reps, the actor in every event's metadata, and a sweep over every route
 * of the OpenAPI document so that a route without a rule cannot slip in.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { signHs256 } from '../../libs/platform/src/auth/jwt';
import { readSettings } from '../../libs/platform/src/config/settings';
import { adminToken, Api, givenReferenceData, type Reply, TEST_SECRET, tokenFor } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let system: RunningSystem;
let admin: Api;
let anonymous: Api;
let setupPosition: string;

const as = (claims: Parameters<typeof tokenFor>[0]) => anonymous.as(tokenFor(claims));

beforeAll(async () => {
  db = await createTestDatabase();
  system = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
    runner: { retryDelayMs: 100 },
  });
  anonymous = new Api(system.url!);
  admin = anonymous.as(adminToken());
  await givenReferenceData(admin); // alice and bob, team east
  const carol = await admin.post('/api/v1/salespeople', {
    salespersonId: 'carol',
    name: 'Carol',
    teamId: 'west',
    hiredOn: '2025-01-01',
  });
  const dave = await admin.post('/api/v1/salespeople', { salespersonId: 'dave', name: 'Dave', hiredOn: '2025-01-01' });
  expect([carol.status, dave.status]).toEqual([201, 201]);
  setupPosition = dave.body.position as string;
});

afterAll(async () => {
  await system?.close();
  await db?.drop();
});

async function head(): Promise<string> {
  const p = await system.store.headPosition();
  return `${p.major}/${p.minor}`;
}

function expectProblem(reply: Reply, status: number, code: string): void {
  expect(reply.status).toBe(status);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
}

const ORDER = {
  orderId: 'O-auth',
  customerId: 'C1',
  amount: { amount: 10000, currency: 'USD' },
  bookedAt: '2026-01-10T00:00:00Z',
};
const PLAN = {
  planId: 'P-auth',
  name: 'x',
  currency: 'USD',
  basis: 'BOOKING',
  rateBps: 100,
  clawback: { windowDays: 1, percentBps: 1 },
};

describe('401 UNAUTHENTICATED', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const cases: Array<[string, () => Record<string, string>]> = [
    ['no token', () => ({})],
    ['an empty bearer', () => ({ authorization: 'Bearer ' })],
    ['another scheme', () => ({ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` })],
    ['garbage', () => ({ authorization: 'Bearer not-a-jwt' })],
    ['a wrong signature', () => ({ authorization: `Bearer ${tokenFor({ roles: ['admin'] }, 'another-secret')}` })],
    [
      'alg none',
      () => ({ authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', roles: ['admin'] })}.` }),
    ],
    [
      'an expired token',
      () => ({ authorization: `Bearer ${tokenFor({ roles: ['admin'], exp: now() - 120, iat: now() - 3600 })}` }),
    ],
    ['a token not valid yet', () => ({ authorization: `Bearer ${tokenFor({ roles: ['admin'], nbf: now() + 600 })}` })],
    ['no roles claim', () => ({ authorization: `Bearer ${signHs256({ sub: 'x', exp: now() + 600 }, TEST_SECRET)}` })],
    ['no sub claim', () => ({ authorization: `Bearer ${signHs256({ roles: ['admin'] }, TEST_SECRET)}` })],
  ];

  it.each(cases)('%s: a command is refused and appends nothing', async (_name, headers) => {
    const before = await head();
    const r = await anonymous.post('/api/v1/orders', ORDER, headers());
    expectProblem(r, 401, 'UNAUTHENTICATED');
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await head()).toBe(before);
  });

  it.each(cases)('%s: a query is refused', async (_name, headers) => {
    expectProblem(await anonymous.get('/api/v1/salespeople/alice/ledger', headers()), 401, 'UNAUTHENTICATED');
  });
});

describe('403 FORBIDDEN: a role not allowed', () => {
  const cases: Array<[string, string[], string, unknown]> = [
    ['a rep booking a sale', ['rep'], '/api/v1/orders', ORDER],
    ['a manager booking a sale', ['manager'], '/api/v1/orders', ORDER],
    ['compliance posting a plan', ['compliance'], '/api/v1/plans', PLAN],
    ['finance registering a salesperson', ['finance'], '/api/v1/salespeople', { salespersonId: 'z', name: 'z' }],
    ['service registering a customer', ['service'], '/api/v1/customers', {}],
    ['an unknown role', ['superuser'], '/api/v1/orders', ORDER],
    ['no role at all', [], '/api/v1/orders', ORDER],
    [
      'sales-ops rebuilding a projection (admin only)',
      ['sales-ops'],
      '/api/v1/projections/commission-ledger/rebuild',
      {},
    ],
    [
      'compliance rebuilding a projection (admin only)',
      ['compliance'],
      '/api/v1/projections/commission-ledger/rebuild',
      {},
    ],
  ];

  it.each(cases)('%s: 403 and nothing appended', async (_name, roles, path, body) => {
    const before = await head();
    const r = await as({ sub: 'someone', roles, salespersonId: 'alice', teamId: 'east' }).post(path, body);
    expectProblem(r, 403, 'FORBIDDEN');
    expect(await head()).toBe(before);
  });

  it('roles are checked before the body: a refused role learns nothing from validation', async () => {
    expectProblem(await as({ roles: ['rep'] }).post('/api/v1/orders', { nonsense: true }), 403, 'FORBIDDEN');
  });

  it.each([
    ['service reading a ledger', ['service'], '/api/v1/salespeople/alice/ledger'],
    ['a rep reading the projections', ['rep'], '/api/v1/projections'],
    ['finance reading the projections', ['finance'], '/api/v1/projections'],
  ])('%s: 403', async (_name, roles, path) => {
    expectProblem(await as({ roles, salespersonId: 'alice' }).get(path), 403, 'FORBIDDEN');
  });

  it.each([['compliance'], ['service'], ['admin']])('%s reads the projections', async (role) => {
    expect((await as({ roles: [role] }).get('/api/v1/projections')).status).toBe(200);
  });
});

describe('allowed roles, and the actor in the event metadata', () => {
  it('sales-ops books a sale; the events record the token’s sub as actor', async () => {
    const ops = as({ sub: 'ops-jane', roles: ['sales-ops'] });
    const r = await ops.post('/api/v1/orders', ORDER, { 'x-correlation-id': 'corr-auth-1' });
    expect(r.status).toBe(201);
    const events = await system.store.readStream('order-O-auth');
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({
      actor: 'ops-jane',
      commandType: 'BookSale',
      commandId: 'O-auth',
      correlationId: 'corr-auth-1',
    });
  });

  it('the setup data recorded the admin token’s sub', async () => {
    const events = await system.store.readStream('salesperson-carol');
    expect(events.map((e) => e.metadata.actor)).toEqual(['test-admin']);
  });

  it('a user with several roles is allowed by any of them', async () => {
    const r = await as({ sub: 'multi', roles: ['rep', 'sales-ops'] }).post('/api/v1/plans', PLAN);
    expect(r.status).toBe(201);
    const events = await system.store.readStream('plan-P-auth');
    expect(events[0]!.metadata.actor).toBe('multi');
  });
});

describe('ledger scoping', () => {
  const ledger = (api: Api, id: string) =>
    api.get(`/api/v1/salespeople/${id}/ledger?period=2026-01`, { 'X-Consistent-Position': setupPosition });

  it('a rep reads their own ledger, not another rep’s (403, not 404)', async () => {
    const alice = as({ sub: 'alice@corp', roles: ['rep'], salespersonId: 'alice' });
    const own = await ledger(alice, 'alice');
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ salespersonId: 'alice' });
    expectProblem(await ledger(alice, 'bob'), 403, 'FORBIDDEN');
    expectProblem(await ledger(alice, 'ghost'), 403, 'FORBIDDEN'); // no hint whether ghost exists
  });

  it('a rep without a salespersonId claim reads nobody', async () => {
    expectProblem(await ledger(as({ roles: ['rep'] }), 'alice'), 403, 'FORBIDDEN');
  });

  it('a manager reads their team, not another team nor a salesperson without a team', async () => {
    const east = as({ sub: 'boss-east', roles: ['manager'], teamId: 'east' });
    expect((await ledger(east, 'alice')).status).toBe(200);
    expect((await ledger(east, 'bob')).status).toBe(200);
    expectProblem(await ledger(east, 'carol'), 403, 'FORBIDDEN');
    expectProblem(await ledger(east, 'dave'), 403, 'FORBIDDEN');
    expectProblem(await ledger(east, 'ghost'), 403, 'FORBIDDEN');
    const west = as({ sub: 'boss-west', roles: ['manager'], teamId: 'west' });
    expect((await ledger(west, 'carol')).status).toBe(200);
    expectProblem(await ledger(west, 'alice'), 403, 'FORBIDDEN');
  });

  it.each([['admin'], ['compliance'], ['finance'], ['sales-ops']])(
    '%s reads every ledger, and an unknown salesperson is 404',
    async (role) => {
      const api = as({ roles: [role] });
      for (const id of ['alice', 'carol', 'dave']) expect((await ledger(api, id)).status).toBe(200);
      expectProblem(await ledger(api, 'ghost'), 404, 'NOT_FOUND');
    },
  );
});

describe('every route of the OpenAPI document', () => {
  /** The only routes reachable without a token (api.md: /health, /metrics and /docs*). */
  const PUBLIC = new Set(['GET /health', 'GET /metrics']);
  type Operation = { security?: unknown[] };
  let routes: Array<{ method: string; path: string; url: string; operation: Operation }>;

  beforeAll(async () => {
    const doc = await anonymous.get<{ paths: Record<string, Record<string, Operation>> }>('/docs-json');
    expect(doc.status).toBe(200);
    routes = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          url: path.replace(/\{[^}]+\}/g, 'x'),
          operation,
        })),
    );
    expect(routes.length).toBeGreaterThanOrEqual(9);
  });

  it('the documentation itself is public: /docs and /docs-json need no token', async () => {
    const ui = await anonymous.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.contentType).toContain('text/html');
    expect((await anonymous.get('/docs-json')).status).toBe(200);
  });

  it('the public routes answer without a token', async () => {
    const found = routes.filter((r) => PUBLIC.has(`${r.method} ${r.path}`));
    expect(found.map((r) => `${r.method} ${r.path}`).sort()).toEqual([...PUBLIC].sort());
    for (const r of found) {
      const reply = await anonymous.request(r.method, r.url);
      expect([r.path, reply.status]).toEqual([r.path, 200]);
    }
  });

  it('every other route answers 401 without a token and documents bearer auth', async () => {
    const before = await head();
    const failures: string[] = [];
    for (const r of routes.filter((x) => !PUBLIC.has(`${x.method} ${x.path}`))) {
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
      const reply = await anonymous.request(r.method, r.url, body);
      if (reply.status !== 401 || (reply.body as { code?: string }).code !== 'UNAUTHENTICATED') {
        failures.push(`${r.method} ${r.path}: ${reply.status}`);
      }
      if (!JSON.stringify(r.operation.security ?? []).includes('bearer')) {
        failures.push(`${r.method} ${r.path}: no bearer security in the OpenAPI document`);
      }
    }
    expect(failures).toEqual([]);
    expect(await head()).toBe(before);
  });

  it('every route states a rule: an admin is never refused (a route without @Roles would be 403)', async () => {
    const before = await head();
    const failures: string[] = [];
    for (const r of routes) {
      const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : {};
      const reply = await admin.request(r.method, r.url, body);
      if (reply.status === 401 || reply.status === 403 || reply.status >= 500) {
        failures.push(`${r.method} ${r.path}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await head()).toBe(before);
  });
});

describe('a production api', () => {
  it('refuses to start on a shared database without AUTH_JWT_SECRET or AUTH_JWKS_URL', async () => {
    await expect(
      startSystem({
        role: 'api',
        settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url },
        port: 0,
        logger: false,
      }),
    ).rejects.toThrow(/AUTH_JWT_SECRET/);
  });
});

describe('tokens of an identity provider (AUTH_JWKS_URL, RS256)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let jwksServer: Server;
  let jwksRequests = 0;
  let idpSystem: RunningSystem;
  let idp: Api;

  const rs256 = (claims: Record<string, unknown>, kid = 'idp-1') => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  };

  beforeAll(async () => {
    jwksServer = createServer((_req, res) => {
      jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'idp-1', use: 'sig' }] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    idpSystem = await startSystem({
      role: 'api',
      settings: {
        ...readSettings({}),
        rateLimitPerSecond: 0,
        databaseUrl: db.url,
        authJwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      },
      port: 0,
      logger: false,
    });
    idp = new Api(idpSystem.url!);
  });

  afterAll(async () => {
    await idpSystem?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it('accepts a token signed by the provider’s key, and fetches the keys once', async () => {
    const rep = idp.as(rs256({ sub: 'alice@idp', roles: ['rep'], salespersonId: 'alice' }));
    expect((await rep.get('/api/v1/salespeople/alice/ledger?period=2026-01')).status).toBe(200);
    expectProblem(await rep.get('/api/v1/salespeople/bob/ledger?period=2026-01'), 403, 'FORBIDDEN');
    expect(jwksRequests).toBe(1);
  });

  it('refuses HS256 tokens (no secret configured there), unknown kids and alg none', async () => {
    expectProblem(await idp.as(adminToken()).get('/api/v1/projections'), 401, 'UNAUTHENTICATED');
    expectProblem(
      await idp.as(rs256({ sub: 'x', roles: ['admin'] }, 'other')).get('/api/v1/projections'),
      401,
      'UNAUTHENTICATED',
    );
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ sub: 'x', roles: ['admin'] })}.`;
    expectProblem(await idp.as(none).get('/api/v1/projections'), 401, 'UNAUTHENTICATED');
  });

  it('records the provider’s sub as the actor', async () => {
    const r = await idp
      .as(rs256({ sub: 'ops@idp', roles: ['sales-ops'] }))
      .post('/api/v1/salespeople', { salespersonId: 'erin', name: 'Erin', hiredOn: '2025-01-01' });
    expect(r.status).toBe(201);
    const events = await idpSystem.store.readStream('salesperson-erin');
    expect(events[0]!.metadata.actor).toBe('ops@idp');
  });
});
