/**
 * Route × role: the access rule of every route, as a literal table (api.md § Authentication and
 * roles), checked against the running server in both directions:
 * - the table lists exactly the routes the server has: every path of the OpenAPI document
 *   (GET /docs-json) and every route Express knows (the SSE feeds, /health, /metrics, /docs…);
 *   a new route without a row, or a row for a route that is gone, fails;
 * - for each route and each role, a token carrying only that role gets 403 FORBIDDEN exactly when
 *   the table says the role is not allowed, and neither 401 nor 403 (nor a 5xx) when it is.
 * Data scoping (a manager reads their team, a rep themselves: test/e2e/auth.e2e-spec.ts) is kept out
 * of the way by path parameters in scope: alice is in team east, every token says salespersonId
 * alice and teamId east. Commands are sent with a body or parameter that fails validation, so an
 * allowed role gets 400/404 and nothing is appended (checked).
 */
import { type Role } from '../../libs/platform/src/auth/roles';
import { type Api, givenReferenceData, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

const ROLES: readonly Role[] = ['admin', 'sales-ops', 'finance', 'compliance', 'manager', 'rep', 'service'];

/** api.md's readers of salespeople's data (scoped for manager and rep). */
const READERS: readonly Role[] = ['admin', 'sales-ops', 'finance', 'compliance', 'manager', 'rep'];
/** api.md: sales-ops manages salespeople, plans, assignments, quotas, customers; books, cancels, returns. */
const SALES_OPS: readonly Role[] = ['admin', 'sales-ops'];
/** api.md: finance records invoices, payments, write-offs, adjustments, payouts, period close. */
const FINANCE: readonly Role[] = ['admin', 'finance'];
/** api.md: service reads the event feed and stream; compliance reads everything. */
const FEED: readonly Role[] = ['admin', 'compliance', 'service'];
const AUDIT: readonly Role[] = ['admin', 'compliance'];
const ADMIN: readonly Role[] = ['admin'];

interface Row {
  /** The roles allowed; 'public': no token needed (api.md: /health, /metrics, /docs*). */
  readonly allowed: readonly Role[] | 'public';
  /** What to call (path parameters in every role's scope). */
  readonly url: string;
  readonly body?: unknown;
  /** The method to call with, for the `ALL` rows (default: the row's). */
  readonly method?: string;
  /** Why the row reads as it does, where api.md leaves room. */
  readonly note?: string;
}

/** Every route of the server: `METHOD path` with OpenAPI-style `{param}`s. */
const TABLE: Readonly<Record<string, Row>> = {
  // sales-ops commands (bodies that fail validation: an allowed role gets 400)
  'POST /api/v1/salespeople': { allowed: SALES_OPS, url: '/api/v1/salespeople', body: {} },
  'POST /api/v1/salespeople/{id}/termination': {
    allowed: SALES_OPS,
    url: '/api/v1/salespeople/alice/termination',
    body: {},
  },
  'POST /api/v1/salespeople/{id}/plan-assignments': {
    allowed: SALES_OPS,
    url: '/api/v1/salespeople/alice/plan-assignments',
    body: {},
  },
  'PUT /api/v1/salespeople/{id}/quotas/{year}': {
    allowed: SALES_OPS,
    url: '/api/v1/salespeople/alice/quotas/2026',
    body: {},
  },
  'POST /api/v1/plans': { allowed: SALES_OPS, url: '/api/v1/plans', body: {} },
  'POST /api/v1/customers': { allowed: SALES_OPS, url: '/api/v1/customers', body: {} },
  'POST /api/v1/customers/{id}/sales-credits': {
    allowed: SALES_OPS,
    url: '/api/v1/customers/C1/sales-credits',
    body: {},
  },
  'POST /api/v1/orders': { allowed: SALES_OPS, url: '/api/v1/orders', body: {} },
  'POST /api/v1/orders/{id}/cancellations': { allowed: SALES_OPS, url: '/api/v1/orders/O1/cancellations', body: {} },
  'POST /api/v1/orders/{id}/returns': { allowed: SALES_OPS, url: '/api/v1/orders/O1/returns', body: {} },
  'POST /api/v1/distributors': {
    allowed: SALES_OPS,
    url: '/api/v1/distributors',
    body: {},
    note: 'a distributor is a customer (docs/plans-and-channels.md § Distributors)',
  },
  'POST /api/v1/distributors/{id}/secondary-sales': {
    allowed: SALES_OPS,
    url: '/api/v1/distributors/D1/secondary-sales',
    body: {},
    note: 'sales-ops records what distributors report, as it books orders',
  },
  // finance commands
  'POST /api/v1/orders/{id}/invoices': { allowed: FINANCE, url: '/api/v1/orders/O1/invoices', body: {} },
  'POST /api/v1/orders/{id}/payments': { allowed: FINANCE, url: '/api/v1/orders/O1/payments', body: {} },
  'POST /api/v1/orders/{id}/write-offs': { allowed: FINANCE, url: '/api/v1/orders/O1/write-offs', body: {} },
  'POST /api/v1/collection-policies': {
    allowed: FINANCE,
    url: '/api/v1/collection-policies',
    body: {},
    note: 'collections are finance’s (docs/collections-and-credit.md § Collection policies)',
  },
  'POST /api/v1/customers/{id}/collection-policy': {
    allowed: FINANCE,
    url: '/api/v1/customers/C1/collection-policy',
    body: {},
  },
  'POST /api/v1/orders/{id}/collection-actions': {
    allowed: FINANCE,
    url: '/api/v1/orders/O1/collection-actions',
    body: {},
  },
  'POST /api/v1/orders/{id}/payment-promises': {
    allowed: FINANCE,
    url: '/api/v1/orders/O1/payment-promises',
    body: {},
  },
  'POST /api/v1/orders/{id}/disputes': { allowed: FINANCE, url: '/api/v1/orders/O1/disputes', body: {} },
  'POST /api/v1/orders/{id}/disputes/{disputeId}/resolution': {
    allowed: FINANCE,
    url: '/api/v1/orders/O1/disputes/D1/resolution',
    body: {},
  },
  'POST /api/v1/customers/{id}/credit-limit': {
    allowed: FINANCE,
    url: '/api/v1/customers/C1/credit-limit',
    body: {},
    note: 'credit risk is finance’s (docs/collections-and-credit.md § Credit limits)',
  },
  'POST /api/v1/salespeople/{id}/adjustments': {
    allowed: FINANCE,
    url: '/api/v1/salespeople/alice/adjustments',
    body: {},
  },
  'POST /api/v1/payouts': { allowed: FINANCE, url: '/api/v1/payouts', body: {} },
  'POST /api/v1/salespeople/{id}/recalculations': {
    allowed: FINANCE,
    url: '/api/v1/salespeople/alice/recalculations',
    body: {},
    note: 'a recalculation posts ledger adjustments: finance’s, like adjustments',
  },
  'POST /api/v1/periods/{period}/close': {
    allowed: FINANCE,
    url: '/api/v1/periods/not-a-period/close',
    body: {},
    note: 'an invalid period, so that an allowed role closes nothing (400)',
  },
  // reads of salespeople's data: every role but service (manager: their team; rep: themselves)
  'GET /api/v1/salespeople/{id}/ledger': { allowed: READERS, url: '/api/v1/salespeople/alice/ledger?period=2026-01' },
  'GET /api/v1/salespeople/{id}/statements/{period}': {
    allowed: READERS,
    url: '/api/v1/salespeople/alice/statements/2026-01',
  },
  'GET /api/v1/clawbacks': { allowed: READERS, url: '/api/v1/clawbacks?salespersonId=alice' },
  'GET /api/v1/orders/{id}/track-to-cash': { allowed: READERS, url: '/api/v1/orders/O1/track-to-cash' },
  'GET /api/v1/customers/{id}/credit': {
    allowed: READERS,
    url: '/api/v1/customers/C1/credit',
    note: 'manager and rep: customers credited today to their team / to them',
  },
  'GET /api/v1/track-to-cash': { allowed: READERS, url: '/api/v1/track-to-cash?salespersonId=alice' },
  'GET /api/v1/aging': { allowed: READERS, url: '/api/v1/aging' },
  'GET /api/v1/collection-tasks': {
    allowed: READERS,
    url: '/api/v1/collection-tasks?assignee=alice',
    note: 'the worklist: a manager reads their team’s and their own tasks, a rep their own',
  },
  'POST /api/v1/collection-tasks/fall-due-scan': {
    allowed: FINANCE,
    url: '/api/v1/collection-tasks/fall-due-scan',
    body: { asOf: 'not-an-instant' },
    note: 'the due scan appends CollectionTaskFellDue events: finance’s, like the collection commands',
  },
  'GET /api/v1/dashboard': {
    allowed: READERS,
    url: '/api/v1/dashboard?period=2026-01',
    note: "a rep's dashboard is their own figures (api.md: their own ledger and orders)",
  },
  'GET /api/v1/dashboard/collection-kpis': {
    allowed: READERS,
    url: '/api/v1/dashboard/collection-kpis?period=2026-01&groupBy=customer',
    note: 'collection KPIs: a manager reads their team, a rep their own credited shares',
  },
  'GET /api/v1/exceptions': { allowed: READERS, url: '/api/v1/exceptions' },
  'GET /api/v1/ledger-entries/{entryId}/lineage': {
    allowed: ['admin', 'finance', 'compliance', 'manager', 'rep'],
    url: '/api/v1/ledger-entries/{ENTRY}/lineage',
    note: 'lineage is audit (compliance) or the explanation of an own entry; sales-ops has no need',
  },
  'GET /api/v1/dashboard/updates': {
    allowed: [...READERS, 'service'],
    url: '/api/v1/dashboard/updates',
    note: 'SSE carrying only positions, never content: every signed-in role may open it',
  },
  // audit (compliance: read everything, replay in dry-run; write nothing)
  'GET /api/v1/streams/{streamId}/events': { allowed: AUDIT, url: '/api/v1/streams/order-O1/events' },
  'GET /api/v1/audit/verify': { allowed: AUDIT, url: '/api/v1/audit/verify' },
  'POST /api/v1/replays': { allowed: AUDIT, url: '/api/v1/replays', body: {}, note: 'a dry run: writes no live data' },
  'POST /api/v1/what-if': { allowed: AUDIT, url: '/api/v1/what-if', body: {}, note: 'writes no live data' },
  // the feed (service), which compliance reads too
  'GET /api/v1/events': { allowed: FEED, url: '/api/v1/events' },
  'GET /api/v1/events/stream': { allowed: FEED, url: '/api/v1/events/stream' },
  'GET /api/v1/event-schemas': { allowed: FEED, url: '/api/v1/event-schemas', note: 'the contract of the feed' },
  'GET /api/v1/event-schemas/{type}/{version}': { allowed: FEED, url: '/api/v1/event-schemas/SaleBooked/1' },
  'GET /api/v1/projections': {
    allowed: FEED,
    url: '/api/v1/projections',
    note: 'service: how far behind the feed the read models are (README)',
  },
  // admin only (api.md: replays and webhook subscriptions; compliance reads everything)
  'POST /api/v1/projections/{name}/rebuild': { allowed: ADMIN, url: '/api/v1/projections/no-such/rebuild', body: {} },
  'POST /api/v1/webhook-subscriptions': { allowed: ADMIN, url: '/api/v1/webhook-subscriptions', body: {} },
  'GET /api/v1/webhook-subscriptions': { allowed: AUDIT, url: '/api/v1/webhook-subscriptions' },
  'GET /api/v1/webhook-subscriptions/{id}': { allowed: AUDIT, url: '/api/v1/webhook-subscriptions/none' },
  'DELETE /api/v1/webhook-subscriptions/{id}': { allowed: ADMIN, url: '/api/v1/webhook-subscriptions/none' },
  'POST /api/v1/webhook-subscriptions/{id}/replay': {
    allowed: ADMIN,
    url: '/api/v1/webhook-subscriptions/none/replay',
    body: {},
  },
  // no token needed
  'GET /health': { allowed: 'public', url: '/health' },
  'GET /metrics': { allowed: 'public', url: '/metrics', note: 'may be restricted by deployment (api.md)' },
  'ALL /health': { allowed: 'public', url: '/health', method: 'POST', note: 'any other method: 405 problem+json' },
  'ALL /metrics': { allowed: 'public', url: '/metrics', method: 'POST', note: 'any other method: 405 problem+json' },
  'GET /docs': { allowed: 'public', url: '/docs' },
  'GET /docs/': { allowed: 'public', url: '/docs/' },
  'GET /docs/index.html': { allowed: 'public', url: '/docs/index.html' },
  'GET /docs/LICENSE': { allowed: 'public', url: '/docs/LICENSE', note: "swagger-ui-dist's licence file" },
  'GET /docs/swagger-ui-init.js': { allowed: 'public', url: '/docs/swagger-ui-init.js' },
  'GET /docs/docs/swagger-ui-init.js': {
    allowed: 'public',
    url: '/docs/docs/swagger-ui-init.js',
    note: 'Swagger UI asks for its script relative to /docs (no trailing slash)',
  },
  'GET /docs-json': { allowed: 'public', url: '/docs-json' },
  'GET /docs-yaml': { allowed: 'public', url: '/docs-yaml' },
};

let t: TestSystem;
let api: Api;
let entryId: string;

beforeAll(async () => {
  t = await startTestSystem();
  api = t.api;
  await givenReferenceData(api); // plans P1, P2; alice and bob in team east on P1; customer C1 (alice 60 %)
  await t.ok(
    api.post('/api/v1/orders', {
      orderId: 'O1',
      customerId: 'C1',
      amount: { amount: 100000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  const ledger = await api.get<{ entries: { entryId: string }[] }>(
    '/api/v1/salespeople/alice/ledger?period=2026-01',
    t.consistent(),
  );
  expect(ledger.status).toBe(200);
  entryId = ledger.body.entries[0]!.entryId;
});

afterAll(async () => {
  await t?.close();
});

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

const openApiStyle = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The routes Express has registered (Nest's controllers, Swagger UI's pages), OpenAPI-style. */
function expressRoutes(): string[] {
  const express = t.system.app!.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).length > 10
        ? [key('ALL', openApiStyle(layer.route.path))] // a route for every method (Nest's @All)
        : Object.keys(layer.route.methods).map((m) => key(m, openApiStyle(layer.route!.path)))
      : [],
  );
}

async function openApiRoutes(): Promise<string[]> {
  const doc = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs-json');
  expect(doc.status).toBe(200);
  return Object.entries(doc.body.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => key(m, path)),
  );
}

async function head(): Promise<string> {
  const p = await t.system.store.headPosition();
  return `${p.major}/${p.minor}`;
}

const call = (as: Api, route: string, row: Row): Promise<Reply> =>
  as.request(row.method ?? route.split(' ')[0]!, row.url.replace('{ENTRY}', entryId), row.body);

describe('the table lists exactly the routes of the server', () => {
  it('every route of the OpenAPI document and of Express has a row', async () => {
    const routes = new Set([...(await openApiRoutes()), ...expressRoutes()]);
    expect(routes.size).toBeGreaterThan(40);
    expect([...routes].filter((r) => !(r in TABLE)).sort()).toEqual([]);
  });

  it('every row names a route the server has', async () => {
    const routes = new Set([...(await openApiRoutes()), ...expressRoutes()]);
    expect(Object.keys(TABLE).filter((r) => !routes.has(r))).toEqual([]);
  });

  it('every route that needs a token is in the OpenAPI document; only public ones are not', async () => {
    const documented = new Set(await openApiRoutes());
    const undocumented = Object.entries(TABLE).filter(([r]) => !documented.has(r));
    expect(undocumented.filter(([, row]) => row.allowed !== 'public').map(([r]) => r)).toEqual([]);
  });
});

describe('each route × role: 403 FORBIDDEN exactly where the table says', () => {
  const rows = Object.entries(TABLE).map(([route, row]) => ({ route, row }));
  let before: string;
  beforeAll(async () => {
    before = await head();
  });

  it.each(rows)('$route', async ({ route, row }) => {
    const failures: string[] = [];
    for (const role of ROLES) {
      const as = api.as(tokenFor({ sub: `only-${role}`, roles: [role], salespersonId: 'alice', teamId: 'east' }));
      const reply = await call(as, route, row);
      const allowed = row.allowed === 'public' || row.allowed.includes(role);
      const forbidden = reply.status === 403 && (reply.body as { code?: string } | null)?.code === 'FORBIDDEN';
      if (allowed ? reply.status === 401 || reply.status === 403 || reply.status >= 500 : !forbidden) {
        failures.push(
          `${role}: ${allowed ? 'allowed' : 'not allowed'}, got ${reply.status} ${JSON.stringify(reply.body)}`,
        );
      }
      if (!allowed) expect(reply.contentType).toContain('application/problem+json');
    }
    expect(failures).toEqual([]);
  });

  it.each(rows.filter(({ row }) => row.allowed === 'public'))('$route needs no token', async ({ route, row }) => {
    const reply = await call(api.as(null), route, row);
    expect([route, [401, 403].includes(reply.status) || reply.status >= 500]).toEqual([route, false]);
  });

  it.each(['/health', '/metrics', '/docs', '/docs-json'])('%s answers 200 without a token', async (url) => {
    expect((await api.as(null).get(url)).status).toBe(200);
  });

  it.each(rows.filter(({ row }) => row.allowed !== 'public'))(
    '$route without a token is 401',
    async ({ route, row }) => {
      const reply = await call(api.as(null), route, row);
      expect([reply.status, (reply.body as { code?: string }).code]).toEqual([401, 'UNAUTHENTICATED']);
    },
  );

  afterAll(async () => {
    // No call of the sweep changed anything: allowed commands were refused by validation.
    expect(await head()).toBe(before);
  });
});
