/**
 * Webhooks (issue 5) end to end: real receivers on loopback (node:http) verifying every delivery
 * with the `standardwebhooks` package. A receiver that is down for a while, one that answers 500
 * twice, a slow one whose first answer comes after our timeout: every event arrives at each, in the
 * global order of GET /api/v1/events, one at a time. A receiver that always fails is parked and
 * replayed from a cursor; DELETE stops deliveries; a restart in the middle of a delivery loses
 * nothing (the event in flight arrives again with the same webhook-id). And the HTTP rules: admin
 * only, 400 for bad URLs and bodies, 422 for a host outside WEBHOOK_ALLOWED_HOSTS.
 */
import { comparePositions } from '../../libs/eventsourcing/src/event';
import { Api, givenReferenceData, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { type Answer, waitFor, WebhookReceiver } from '../support/webhook-receiver';

jest.setTimeout(180_000);

const MAX_ATTEMPTS = 20;
const TIMEOUT_MS = 2_000;

let t: TestSystem;
const receivers: WebhookReceiver[] = [];

interface SubscriptionStatus {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  state: 'active' | 'parked';
  position: string;
  delivered: number;
  lastError: string | null;
  retrying: { eventId: string; attempts: number } | null;
  parked: { eventId: string; at: string; attempts: number } | null;
  secret?: string;
}

beforeAll(async () => {
  t = await startTestSystem(
    { retryDelayMs: 100 },
    {
      settings: { webhookAllowedHosts: ['127.0.0.1'] },
      webhooks: { pollMs: 50, timeoutMs: TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS, baseDelayMs: 50, maxDelayMs: 400 },
    },
  );
});

afterAll(async () => {
  await t?.close();
  await Promise.all(receivers.map((r) => r.down()));
});

async function receiver(respond?: (n: number, id: string) => Answer): Promise<WebhookReceiver> {
  const r = await WebhookReceiver.start(respond);
  receivers.push(r);
  return r;
}

/** Subscribes `r` to every event type from now on; the receiver verifies with the secret answered. */
async function subscribe(r: WebhookReceiver, body: Record<string, unknown> = {}): Promise<SubscriptionStatus> {
  // A new subscription starts at the head the store shows, which includes a committed event only once
  // no older transaction is open: wait for the last append, so each test sees only its own events.
  const last = BigInt(t.lastPosition);
  await waitFor('the last append to be visible', async () => {
    const [head, position] = [await t.system.store.headPosition(), await t.system.store.logPositionOf(last)];
    return last === 0n || (position !== null && comparePositions(head, position) >= 0);
  });
  const reply = await t.api.post<SubscriptionStatus>('/api/v1/webhook-subscriptions', {
    url: r.url,
    eventTypes: [],
    ...body,
  });
  expect([reply.status, reply.body]).toEqual([201, expect.objectContaining({ state: 'active' })]);
  r.secret = reply.body.secret!;
  return reply.body;
}

async function status(id: string): Promise<SubscriptionStatus> {
  const reply = await t.api.get<SubscriptionStatus>(`/api/v1/webhook-subscriptions/${id}`);
  expect(reply.status).toBe(200);
  return reply.body;
}

/** The event ids the feed shows strictly after `cursor`, in its (global) order. */
async function feedAfter(cursor: string): Promise<string[]> {
  const reply = await t.api.get<{ items: Array<{ eventId: string }> }>(
    `/api/v1/events?after=${encodeURIComponent(cursor)}&limit=1000`,
  );
  expect(reply.status).toBe(200);
  return reply.body.items.map((e) => e.eventId);
}

/**
 * The feed once it shows `count` events after `cursor` (the store shows a committed event once no
 * older transaction is still open, so the newest may take a moment).
 */
async function feedOf(cursor: string, count: number): Promise<string[]> {
  let ids: string[] = [];
  await waitFor(`${count} events in the feed`, async () => (ids = await feedAfter(cursor)).length >= count);
  expect(ids).toHaveLength(count);
  return ids;
}

let orderNo = 0;
/** Books an order and invoices it: two events. */
async function appendOrder(): Promise<void> {
  const orderId = `WO-${++orderNo}`;
  await t.ok(
    t.api.post('/api/v1/orders', {
      orderId,
      customerId: 'C1',
      amount: { amount: 100_000 + orderNo, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00Z',
    }),
  );
  await t.ok(
    t.api.post(`/api/v1/orders/${orderId}/invoices`, {
      invoiceId: `${orderId}-I`,
      amount: { amount: 100_000 + orderNo, currency: 'USD' },
      issuedAt: '2026-01-11T00:00:00Z',
      dueDate: '2026-02-10',
    }),
  );
}

function expectAllVerified(r: WebhookReceiver): void {
  expect(r.deliveries.filter((d) => d.problem !== null).map((d) => d.problem)).toEqual([]);
  for (const d of r.deliveries) {
    expect(d.headers['content-type']).toBe('application/json');
    expect(d.payload).toMatchObject({ type: d.payload?.data?.type, timestamp: expect.any(String) });
  }
}

const expectProblem = (reply: Reply, status: number, code: string) => {
  expect([reply.status, reply.contentType, reply.body.code]).toEqual([
    status,
    expect.stringContaining('application/problem+json'),
    code,
  ]);
};

describe('delivery to receivers that are down, failing and slow', () => {
  let down: WebhookReceiver;
  let flaky: WebhookReceiver;
  let slow: WebhookReceiver;
  const subs: Record<string, SubscriptionStatus> = {};
  let expected: string[];

  it('given three subscriptions, when ~20 events are appended, every event arrives at each, verified, in order', async () => {
    // Given
    down = await receiver();
    await down.down(); // connection refused until it comes back
    flaky = await receiver((n) => ({ status: n < 2 ? 500 : 200 }));
    slow = await receiver((n) => ({ status: 200, delayMs: n === 0 ? TIMEOUT_MS + 1_000 : 400 }));
    subs.down = await subscribe(down);
    subs.flaky = await subscribe(flaky);
    subs.slow = await subscribe(slow);
    expect(new Set(Object.values(subs).map((s) => s.position)).size).toBe(1);

    // When
    await givenReferenceData(t.api); // 7 events
    for (let i = 0; i < 6; i++) await appendOrder(); // 12 more
    await t.ok(
      t.api.post('/api/v1/orders/WO-1/payments', {
        paymentId: 'WO-1-P',
        amount: { amount: 100_001, currency: 'USD' },
        receivedAt: '2026-01-20T00:00:00Z',
      }),
    );
    expected = await feedOf(subs.down!.position, 20);

    // The down receiver is retried, with backoff; it comes back after three refused attempts.
    await waitFor('three failed attempts at the down receiver', async () => {
      const s = await status(subs.down!.subscriptionId);
      return (s.retrying?.attempts ?? 0) >= 3;
    });
    const retrying = await status(subs.down!.subscriptionId);
    expect(retrying).toMatchObject({ state: 'active', delivered: 0, retrying: { eventId: expected[0] } });
    expect(retrying.lastError).toMatch(/ECONNREFUSED/);
    await down.up();

    // Then
    for (const r of [down, flaky, slow]) {
      await waitFor(
        `all ${expected.length} events at ${r.url}`,
        () => r.unique().length >= expected.length,
        90_000,
        () => r.unique().length,
      );
    }
    for (const r of [down, flaky, slow]) {
      expect(r.unique()).toEqual(expected); // the global order of the feed, nothing missing or extra
      expect(r.orderViolations()).toEqual([]); // one at a time: the next only after a 2xx
      expectAllVerified(r);
    }
    // Only retries repeat an event: the first one at the flaky and the slow receivers.
    expect(flaky.arrivals()).toEqual([expected[0], expected[0], ...expected]);
    expect(slow.arrivals()).toEqual([expected[0], ...expected]);
    expect(new Set(down.deliveries.map((d) => d.headers['webhook-id'])).size).toBe(expected.length);

    for (const [name, s] of Object.entries(subs)) {
      await waitFor(`${name}: status shows all delivered`, async () => {
        return (await status(s.subscriptionId)).delivered === expected.length;
      });
      const now = await status(s.subscriptionId);
      expect(now).toMatchObject({ state: 'active', parked: null, retrying: null, position: expect.any(String) });
      expect(now).not.toHaveProperty('secret');
      expect(await feedAfter(now.position)).toEqual([]); // the checkpoint is the head
    }
    expect((await status(subs.flaky!.subscriptionId)).lastError).toBe('HTTP 500');
    expect((await status(subs.slow!.subscriptionId)).lastError).toBe(`timed out after ${TIMEOUT_MS} ms`);
  });

  it('a delivery carries the event as the feed shows it, signed with the Standard Webhooks headers', async () => {
    const feed = await t.api.get<{ items: Array<Record<string, unknown>> }>(
      `/api/v1/events?after=${encodeURIComponent(subs.flaky!.position)}&limit=1`,
    );
    const first = flaky.deliveries.find((d) => d.id === feed.body.items[0]!.eventId)!;
    expect(first.payload).toEqual({
      type: feed.body.items[0]!.type,
      timestamp: feed.body.items[0]!.recordedAt,
      data: feed.body.items[0],
    });
    expect(first.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(first.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });
});

describe('parking and replay', () => {
  it('given a receiver that always fails, its subscription is parked at that event and nothing after it is sent', async () => {
    // Given
    const broken = await receiver(() => ({ status: 503 }));
    const sub = await subscribe(broken);

    // When
    await appendOrder();
    await appendOrder();
    const expected = await feedOf(sub.position, 4);
    await waitFor(
      'the subscription to be parked',
      async () => (await status(sub.subscriptionId)).state === 'parked',
      60_000,
    );

    // Then
    const parked = await status(sub.subscriptionId);
    expect(parked).toMatchObject({
      state: 'parked',
      delivered: 0,
      lastError: 'HTTP 503',
      retrying: null,
      parked: { eventId: expected[0], attempts: MAX_ATTEMPTS, at: expect.any(String) },
    });
    expect(broken.arrivals()).toEqual(Array(MAX_ATTEMPTS).fill(expected[0]));
    const listed = await t.api.get<{ items: SubscriptionStatus[] }>('/api/v1/webhook-subscriptions?limit=1000');
    expect(listed.body.items.find((s) => s.subscriptionId === sub.subscriptionId)).toMatchObject({
      state: 'parked',
      parked: { eventId: expected[0] },
    });

    // When the receiver is fixed and the subscription replayed from where it started
    broken.respond = () => ({ status: 200 });
    const replayed = await t.api.post<SubscriptionStatus>(
      `/api/v1/webhook-subscriptions/${sub.subscriptionId}/replay`,
      { from: sub.position },
    );
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ state: 'active', parked: null, position: sub.position });

    // Then everything arrives, in order
    await waitFor('all events after the replay', () => broken.unique().length >= expected.length);
    expect(broken.unique()).toEqual(expected);
    expect(broken.orderViolations()).toEqual([]);
    expectAllVerified(broken);
    await waitFor('delivered = 4', async () => (await status(sub.subscriptionId)).delivered === 4);

    // When replayed from the cursor after the first two events: the last two arrive again, the first two do not
    const page = await t.api.get<{ nextCursor: string }>(
      `/api/v1/events?after=${encodeURIComponent(sub.position)}&limit=2`,
    );
    const before = broken.arrivals().length;
    expect(
      (await t.api.post(`/api/v1/webhook-subscriptions/${sub.subscriptionId}/replay`, { from: page.body.nextCursor }))
        .status,
    ).toBe(200);
    await waitFor('two more arrivals', () => broken.arrivals().length >= before + 2);
    await waitFor('caught up again', async () => (await status(sub.subscriptionId)).delivered === 6);
    expect(broken.arrivals().slice(before)).toEqual(expected.slice(2));
  });
});

describe('event type filters and starting points', () => {
  it('a filtered subscription gets only its types, in order, and its checkpoint passes over the others', async () => {
    const invoices = await receiver();
    const sub = await subscribe(invoices, { eventTypes: ['InvoiceIssued'] });
    await appendOrder();
    await appendOrder();
    await feedOf(sub.position, 4);
    const feed = await t.api.get<{ items: Array<{ eventId: string; type: string }> }>(
      `/api/v1/events?after=${encodeURIComponent(sub.position)}&limit=1000`,
    );
    const expected = feed.body.items.filter((e) => e.type === 'InvoiceIssued').map((e) => e.eventId);
    expect(expected).toHaveLength(2);
    await waitFor('both invoices', () => invoices.unique().length >= 2);
    await waitFor(
      'the checkpoint at the head',
      async () => (await feedAfter((await status(sub.subscriptionId)).position)).length === 0,
    );
    expect(invoices.unique()).toEqual(expected);
    expect(invoices.deliveries.every((d) => d.payload?.type === 'InvoiceIssued')).toBe(true);
  });

  it('from "" delivers the log from its start', async () => {
    const plans = await receiver();
    await subscribe(plans, { eventTypes: ['PlanCreated'], from: '' });
    const feed = await t.api.get<{ items: Array<{ eventId: string; type: string }> }>(
      '/api/v1/events?limit=1000&types=PlanCreated',
    );
    expect(feed.body.items).toHaveLength(2);
    await waitFor('the two plans', () => plans.unique().length >= 2);
    expect(plans.unique()).toEqual(feed.body.items.map((e) => e.eventId));
    expectAllVerified(plans);
  });
});

describe('DELETE', () => {
  it('stops deliveries: a deleted subscription gets no event appended after it', async () => {
    const witness = await receiver();
    const gone = await receiver();
    const w = await subscribe(witness);
    const g = await subscribe(gone);

    const deleted = await t.api.request('DELETE', `/api/v1/webhook-subscriptions/${g.subscriptionId}`);
    expect(deleted.status).toBe(204);
    expectProblem(await t.api.get(`/api/v1/webhook-subscriptions/${g.subscriptionId}`), 404, 'NOT_FOUND');
    expectProblem(await t.api.request('DELETE', `/api/v1/webhook-subscriptions/${g.subscriptionId}`), 404, 'NOT_FOUND');
    expectProblem(await t.api.post(`/api/v1/webhook-subscriptions/${g.subscriptionId}/replay`, {}), 404, 'NOT_FOUND');
    const listed = await t.api.get<{ items: SubscriptionStatus[] }>('/api/v1/webhook-subscriptions?limit=1000');
    expect(listed.body.items.map((s) => s.subscriptionId)).not.toContain(g.subscriptionId);

    await appendOrder();
    const expected = await feedOf(w.position, 2);
    await waitFor('the witness receiver to get both events', () => witness.unique().length >= expected.length);
    await waitFor('its checkpoint to move', async () => (await status(w.subscriptionId)).delivered === 2);
    expect(witness.unique()).toEqual(expected);
    expect(gone.deliveries).toEqual([]);
  });
});

describe('a restart in the middle of a delivery', () => {
  it('loses nothing: the event in flight is delivered again with the same webhook-id, the order holds', async () => {
    // Given a slow receiver (800 ms per answer)
    const r = await receiver(() => ({ status: 200, delayMs: 800 }));
    const sub = await subscribe(r);
    for (let i = 0; i < 3; i++) await appendOrder();
    const expected = await feedOf(sub.position, 6);

    // When the process stops while the third event is on its way
    await waitFor('the third event in flight', () => r.unique().length === 3 && r.inFlight.size === 1, 30_000);
    const inFlight = [...r.inFlight][0]!;
    expect(inFlight).toBe(expected[2]);
    await t.restart(); // system.close(), then startSystem on the same database

    // Then the new process delivers the rest, starting again at the interrupted event
    await waitFor('every event after the restart', () => r.unique().length >= expected.length, 60_000);
    await waitFor('the checkpoint at the end', async () => (await status(sub.subscriptionId)).delivered === 6);
    expect(r.unique()).toEqual(expected);
    expect(r.timesArrived(inFlight)).toBe(2);
    expect(r.orderViolations()).toEqual([]);
    expectAllVerified(r);
  });
});

describe('the HTTP rules', () => {
  const base = '/api/v1/webhook-subscriptions';
  const good = { url: 'http://127.0.0.1:9/hook', eventTypes: ['SaleBooked'] };

  it.each([['sales-ops'], ['finance'], ['service'], ['manager'], ['rep']])(
    '%s may not see or change subscriptions (403)',
    async (role) => {
      const api = t.api.as(tokenFor({ roles: [role], salespersonId: 'alice', teamId: 'east' }));
      expectProblem(await api.post(base, good), 403, 'FORBIDDEN');
      expectProblem(await api.get(base), 403, 'FORBIDDEN');
      expectProblem(await api.get(`${base}/x`), 403, 'FORBIDDEN');
      expectProblem(await api.request('DELETE', `${base}/x`), 403, 'FORBIDDEN');
      expectProblem(await api.post(`${base}/x/replay`, {}), 403, 'FORBIDDEN');
    },
  );

  it('compliance reads subscriptions (api.md: read everything) but changes none (403)', async () => {
    const api = t.api.as(tokenFor({ roles: ['compliance'] }));
    const list = await api.get<{ items: Record<string, unknown>[] }>(base);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain('whsec_'); // never the signing secret
    expectProblem(await api.get(`${base}/x`), 404, 'NOT_FOUND');
    expectProblem(await api.post(base, good), 403, 'FORBIDDEN');
    expectProblem(await api.request('DELETE', `${base}/x`), 403, 'FORBIDDEN');
    expectProblem(await api.post(`${base}/x/replay`, {}), 403, 'FORBIDDEN');
  });

  it('needs a token (401)', async () => {
    expectProblem(await new Api(t.api.baseUrl).get(base), 401, 'UNAUTHENTICATED');
  });

  it.each<[string, unknown, string]>([
    ['ftp URL', { ...good, url: 'ftp://127.0.0.1/hook' }, 'url'],
    ['relative URL', { ...good, url: '/hook' }, 'url'],
    ['credentials in the URL', { ...good, url: 'http://u:p@127.0.0.1/hook' }, 'url'],
    ['not a URL', { ...good, url: 'hello' }, 'url'],
    ['a URL over 2000 characters', { ...good, url: `http://127.0.0.1/${'a'.repeat(2000)}` }, 'url'],
    ['a number for url', { ...good, url: 7 }, 'url'],
    ['no eventTypes', { url: good.url }, 'eventTypes'],
    ['a bad event type', { ...good, eventTypes: ['Sale Booked'] }, 'eventTypes'],
    ['an unknown field', { ...good, events: [] }, 'events'],
    ['a secret not in whsec_ form', { ...good, secret: 'hunter2' }, 'secret'],
    ['a 16-byte secret', { ...good, secret: `whsec_${Buffer.alloc(16, 1).toString('base64')}` }, 'secret'],
    ['a bad from cursor', { ...good, from: 'nope' }, 'from'],
    ['a bad subscriptionId', { ...good, subscriptionId: 'a b' }, 'subscriptionId'],
  ])('refuses %s (400)', async (_name, body, field) => {
    const reply = await t.api.post(base, body);
    expectProblem(reply, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(reply.body.errors)).toContain(field);
  });

  it('refuses a host outside WEBHOOK_ALLOWED_HOSTS (422), and a bad replay cursor (400)', async () => {
    expectProblem(
      await t.api.post(base, { ...good, url: 'https://evil.example.com/hook' }),
      422,
      'WEBHOOK_HOST_NOT_ALLOWED',
    );
    expectProblem(
      await t.api.post(base, { ...good, url: 'http://169.254.169.254/latest/meta-data/' }),
      422,
      'WEBHOOK_HOST_NOT_ALLOWED',
    );
    const created = await t.api.post<SubscriptionStatus>(base, { ...good, subscriptionId: 'rules-1' });
    expect(created.status).toBe(201);
    expectProblem(await t.api.post(`${base}/rules-1/replay`, { from: 'nope' }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api.post(`${base}/rules-1/replay`, { from: '', x: 1 }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api.get(`${base}/no%20such`), 400, 'VALIDATION_FAILED');
    expectProblem(await t.api.get(`${base}/unknown`), 404, 'NOT_FOUND');
    expect((await t.api.request('DELETE', `${base}/rules-1`)).status).toBe(204);
  });

  it('a given secret is used as is; the secret is shown only in the POST answer', async () => {
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const created = await t.api.post<SubscriptionStatus>(base, {
      ...good,
      subscriptionId: 'rules-2',
      secret,
      eventTypes: ['SaleBooked', 'InvoiceIssued', 'SaleBooked'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ secret, eventTypes: ['InvoiceIssued', 'SaleBooked'], delivered: 0 });
    const got = await t.api.get(`${base}/rules-2`);
    expect(got.body).not.toHaveProperty('secret');
    const listed = await t.api.get<{ items: SubscriptionStatus[] }>(`${base}?limit=1000`);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect((await t.api.request('DELETE', `${base}/rules-2`)).status).toBe(204);
  });

  it('the same subscriptionId and body answers as the first time; another body is 409', async () => {
    const first = await t.api.post<SubscriptionStatus>(base, { ...good, subscriptionId: 'rules-3' });
    const again = await t.api.post<SubscriptionStatus>(base, { ...good, subscriptionId: 'rules-3' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.secret).toBe(first.body.secret);
    expectProblem(
      await t.api.post(base, { ...good, subscriptionId: 'rules-3', url: 'http://127.0.0.1:10/other' }),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expect((await t.api.request('DELETE', `${base}/rules-3`)).status).toBe(204);
    // A deleted id may be used again.
    expect((await t.api.post(base, { ...good, subscriptionId: 'rules-3', eventTypes: [] })).status).toBe(201);
    expect((await t.api.request('DELETE', `${base}/rules-3`)).status).toBe(204);
  });

  it('lists with pagination', async () => {
    const page1 = await t.api.get<{ items: SubscriptionStatus[]; nextCursor: string | null }>(`${base}?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await t.api.get<{ items: SubscriptionStatus[]; nextCursor: string | null }>(
      `${base}?limit=1000&cursor=${page1.body.nextCursor}`,
    );
    const all = await t.api.get<{ items: SubscriptionStatus[] }>(`${base}?limit=1000`);
    expect([...page1.body.items, ...page2.body.items].map((s) => s.subscriptionId)).toEqual(
      all.body.items.map((s) => s.subscriptionId),
    );
    expectProblem(await t.api.get(`${base}?cursor=%%%`), 400, 'VALIDATION_FAILED');
  });
});
