/**
 * Audit and feed through HTTP on real PostgreSQL: the raw events of a stream, the lineage of a
 * ledger entry (source event, plan, assignment, formula recomputed), the exceptions list, the
 * global feed (pages, type filters, resuming) and its Server-Sent Events form (resume with
 * Last-Event-ID, live events, disconnects), and who may call each.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { RunningSystem } from '../../libs/bootstrap/src/system';
import { Api, type Reply, type TestClaims, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';
import { EventStreamService } from '../../libs/feed/src/event-stream/event-stream.service';

let t: TestSystem;
let system: RunningSystem;
let api: Api;
/** An SSE client still connected when the system shuts down. */
let lastOpen: { close(): void } | null = null;

const USD = (amount: number) => ({ amount, currency: 'USD' });
const as = (claims: TestClaims) => api.as(tokenFor(claims));
const service = () => as({ sub: 'downstream', roles: ['service'] });
const compliance = () => as({ sub: 'auditor', roles: ['compliance'] });

interface EventItem {
  eventId: string;
  type: string;
  schemaVersion: number;
  streamId: string;
  streamRevision: string;
  globalPosition: string;
  occurredAt: string;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
interface FeedPage {
  items: EventItem[];
  nextCursor: string;
  isEnd: boolean;
}
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface LedgerEntry {
  entryId: string;
  type: string;
  amount: number;
  sourceEventId: string;
  sourcePosition: string;
  [key: string]: unknown;
}

async function ok(reply: Promise<Reply>): Promise<string> {
  const r = await reply;
  if (r.status !== 201) throw new Error(`expected 201, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.position as string;
}

function expectProblem(reply: Reply, status: number, code: string): void {
  expect([reply.status, (reply.body as { code?: string }).code]).toEqual([status, code]);
  expect(reply.contentType).toContain('application/problem+json');
}

async function bookOrder(orderId: string, customerId: string, amount: number, bookedAt: string): Promise<string> {
  return ok(api.post('/api/v1/orders', { orderId, customerId, amount: USD(amount), bookedAt }));
}

async function settle(position: string): Promise<void> {
  expect(await system.engine.waitFor(['commission-ledger'], BigInt(position), 10_000)).toBe('reached');
}

/** Every event of the log, through the feed in one page. */
async function wholeFeed(): Promise<EventItem[]> {
  const r = await service().get<FeedPage>('/api/v1/events?limit=1000');
  expect(r.status).toBe(200);
  expect(r.body.isEnd).toBe(true);
  return r.body.items;
}

beforeAll(async () => {
  t = await startTestSystem({ retryDelayMs: 100 });
  ({ system, api } = t);
  await ok(
    api.post('/api/v1/plans', {
      planId: 'P1',
      name: 'Booking 10 %',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  );
  // alice is registered by a sales-ops user, so her first event's actor is someone else than the admin.
  await ok(
    as({ sub: 'ops-jane', roles: ['sales-ops'] }).post('/api/v1/salespeople', {
      salespersonId: 'alice',
      name: 'Alice',
      teamId: 'east',
      hiredOn: '2025-01-01',
    }),
  );
  await ok(
    api.post('/api/v1/salespeople', { salespersonId: 'bob', name: 'Bob', teamId: 'west', hiredOn: '2025-01-01' }),
  );
  // dave has no plan: his sales are NO_PLAN exceptions.
  await ok(
    api.post('/api/v1/salespeople', { salespersonId: 'dave', name: 'Dave', teamId: 'east', hiredOn: '2025-01-01' }),
  );
  for (const who of ['alice', 'bob']) {
    await ok(
      api.post(`/api/v1/salespeople/${who}/plan-assignments`, {
        assignmentId: `A-${who}`,
        planId: 'P1',
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'C1',
      name: 'Acme',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: 'alice', splitBps: 6000 },
        { salespersonId: 'bob', splitBps: 4000 },
      ],
    }),
  );
  await ok(
    api.post('/api/v1/customers', {
      customerId: 'C2',
      name: 'Globex',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: 'dave', splitBps: 10000 }],
    }),
  );
  await bookOrder('O1', 'C1', 10_000_000, '2026-01-10T00:00:00Z');
  await bookOrder('O2', 'C2', 500_000, '2026-01-12T00:00:00Z');
  await bookOrder('O3', 'C2', 700_000, '2026-01-15T00:00:00Z');
  await settle(
    await ok(
      api.post('/api/v1/orders/O1/returns', {
        returnId: 'O1-ret',
        returnedAt: '2026-03-01T00:00:00Z',
        reason: 'damaged',
        amount: USD(1_000_000),
      }),
    ),
  );
});

afterAll(async () => {
  await system?.close(); // with a stream still open (see the SSE tests)
  lastOpen?.close();
  await t?.db.drop();
});

describe('GET /api/v1/streams/{streamId}/events', () => {
  it('answers the events of one stream, oldest first, with their metadata, page by page', async () => {
    const auditor = compliance();
    const first = await auditor.get<Page<EventItem>>('/api/v1/streams/salesperson-alice/events?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      {
        eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        type: 'SalespersonRegistered',
        schemaVersion: 1,
        streamId: 'salesperson-alice',
        streamRevision: '0',
        globalPosition: expect.stringMatching(/^\d+$/),
        occurredAt: expect.any(String),
        recordedAt: expect.any(String),
        data: expect.objectContaining({ salespersonId: 'alice', teamId: 'east' }),
        metadata: expect.objectContaining({
          actor: 'ops-jane',
          commandId: 'alice',
          commandType: 'RegisterSalesperson',
          correlationId: expect.any(String),
          causationId: expect.any(String),
        }),
      },
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await auditor.get<Page<EventItem>>(
      `/api/v1/streams/salesperson-alice/events?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.status).toBe(200);
    expect(second.body.items.map((e) => [e.type, e.streamRevision, e.metadata.actor])).toEqual([
      ['PlanAssigned', '1', 'test-admin'],
    ]);
    expect(second.body.nextCursor).toBeNull(); // the last page

    const order = await auditor.get<Page<EventItem>>('/api/v1/streams/order-O1/events');
    expect(order.body.items.map((e) => [e.type, e.streamRevision])).toEqual([
      ['SaleBooked', '0'],
      ['ProductReturned', '1'],
    ]);
    expect(order.body.nextCursor).toBeNull();
    expect(order.body.items[0]!.metadata).toMatchObject({
      actor: 'test-admin',
      commandId: 'O1',
      commandType: 'BookSale',
    });
  });

  it('an unknown stream is 404; a malformed stream id, cursor or limit is 400', async () => {
    expectProblem(await api.get('/api/v1/streams/order-nope/events'), 404, 'NOT_FOUND');
    expectProblem(await api.get('/api/v1/streams/-order/events'), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get('/api/v1/streams/order%20O1/events'), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get(`/api/v1/streams/${'x'.repeat(202)}/events`), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get('/api/v1/streams/order-O1/events?cursor=garbage!'), 400, 'VALIDATION_FAILED');
    const notRevision = Buffer.from('c1:abc').toString('base64url');
    expectProblem(await api.get(`/api/v1/streams/order-O1/events?cursor=${notRevision}`), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get('/api/v1/streams/order-O1/events?limit=0'), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get('/api/v1/streams/order-O1/events?limit=1001'), 400, 'VALIDATION_FAILED');
  });

  it('is for compliance (and admin) only', async () => {
    for (const roles of [['rep'], ['service'], ['finance'], ['sales-ops'], ['manager']]) {
      const r = await as({ roles, salespersonId: 'alice', teamId: 'east' }).get('/api/v1/streams/order-O1/events');
      expectProblem(r, 403, 'FORBIDDEN');
    }
  });
});

describe('GET /api/v1/ledger-entries/{entryId}/lineage', () => {
  const entryOf = async (who: string, period: string, type: string): Promise<LedgerEntry> => {
    const ledger = await api.get<{ entries: LedgerEntry[] }>(`/api/v1/salespeople/${who}/ledger?period=${period}`);
    const entry = ledger.body.entries.find((e) => e.type === type);
    if (!entry) throw new Error(`no ${type} entry for ${who} in ${period}: ${JSON.stringify(ledger.body)}`);
    return entry;
  };

  it('traces an EARNED entry to its SaleBooked event, plan P1 and assignment, and recomputes it', async () => {
    const entry = await entryOf('alice', '2026-01', 'EARNED');
    const r = await compliance().get<Record<string, unknown>>(`/api/v1/ledger-entries/${entry.entryId}/lineage`);
    expect(r.status).toBe(200);
    expect(r.body.entry).toEqual(entry);
    expect(r.body.sourceEvent).toEqual({
      eventId: entry.sourceEventId,
      type: 'SaleBooked',
      schemaVersion: 1,
      streamId: 'order-O1',
      streamRevision: '0',
      globalPosition: entry.sourcePosition,
      occurredAt: '2026-01-10T00:00:00.000Z',
      recordedAt: expect.any(String),
      data: expect.objectContaining({ orderId: 'O1', customerId: 'C1', amount: USD(10_000_000) }),
      metadata: expect.objectContaining({
        actor: 'test-admin',
        commandId: 'O1',
        commandType: 'BookSale',
        correlationId: expect.any(String),
        causationId: expect.any(String),
      }),
    });
    expect(r.body.plan).toEqual({
      planId: 'P1',
      name: 'Booking 10 %',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    });
    expect(r.body.assignment).toEqual({
      assignmentId: 'A-alice',
      salespersonId: 'alice',
      planId: 'P1',
      effectiveFrom: '2026-01-01',
    });
    expect(r.body.formula).toEqual({
      expression: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)',
      inputs: expect.objectContaining({
        trigger: 'SALE_BOOKED',
        baseAmount: 10_000_000,
        splitBps: 6000,
        rateBps: 1000,
        planId: 'P1',
        assignmentId: 'A-alice',
      }),
      result: 600_000,
      recomputed: 600_000,
      capped: false,
      matches: true,
    });
    expect(entry.amount).toBe(600_000);
  });

  it('traces a CLAWBACK to its ProductReturned event and recomputes it (|amount|)', async () => {
    const entry = await entryOf('bob', '2026-03', 'CLAWBACK');
    const r = await as({ roles: ['finance'] }).get<{
      sourceEvent: EventItem;
      formula: { recomputed: number; result: number; matches: boolean; inputs: Record<string, unknown> };
    }>(`/api/v1/ledger-entries/${entry.entryId}/lineage`);
    expect(r.status).toBe(200);
    expect(r.body.sourceEvent).toMatchObject({ type: 'ProductReturned', streamId: 'order-O1', streamRevision: '1' });
    expect(r.body.formula).toMatchObject({ result: -40_000, recomputed: 40_000, matches: true });
    expect(r.body.formula.inputs).toMatchObject({ trigger: 'RETURN', baseAmount: 1_000_000, percentBps: 10000 });
    expect(r.body.formula.recomputed).toBe(Math.abs(entry.amount));
  });

  it('an unknown entry is 404; an id that is not a UUID is 400', async () => {
    expectProblem(
      await api.get('/api/v1/ledger-entries/0b0f5d2c-93a4-5e1f-8c71-0d5a4e1b2c3d/lineage'),
      404,
      'NOT_FOUND',
    );
    expectProblem(await api.get('/api/v1/ledger-entries/not-a-uuid/lineage'), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get('/api/v1/ledger-entries/x/lineage'), 400, 'VALIDATION_FAILED');
  });

  it('is scoped: a rep reads their own entries, a manager their team’s; service and sales-ops may not', async () => {
    const entry = await entryOf('alice', '2026-01', 'EARNED');
    const path = `/api/v1/ledger-entries/${entry.entryId}/lineage`;
    expect((await as({ roles: ['rep'], salespersonId: 'alice' }).get(path)).status).toBe(200);
    expectProblem(await as({ roles: ['rep'], salespersonId: 'bob' }).get(path), 403, 'FORBIDDEN');
    expect((await as({ roles: ['manager'], teamId: 'east' }).get(path)).status).toBe(200);
    expectProblem(await as({ roles: ['manager'], teamId: 'west' }).get(path), 403, 'FORBIDDEN');
    expectProblem(await service().get(path), 403, 'FORBIDDEN');
    expectProblem(await as({ roles: ['sales-ops'] }).get(path), 403, 'FORBIDDEN');
  });
});

describe('GET /api/v1/exceptions', () => {
  type Exception = { code: string; orderId: string | null; salespersonId: string | null; detail: string };

  it('lists the NO_PLAN exceptions in the order of their events, page by page, filtered by code', async () => {
    const all = await compliance().get<Page<Exception>>('/api/v1/exceptions');
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([
      expect.objectContaining({ code: 'NO_PLAN', orderId: 'O2', salespersonId: 'dave', detail: expect.any(String) }),
      expect.objectContaining({ code: 'NO_PLAN', orderId: 'O3', salespersonId: 'dave' }),
    ]);
    expect(all.body.nextCursor).toBeNull();

    const page1 = await api.get<Page<Exception>>('/api/v1/exceptions?code=NO_PLAN&limit=1');
    expect(page1.body.items.map((e) => e.orderId)).toEqual(['O2']);
    const page2 = await api.get<Page<Exception>>(
      `/api/v1/exceptions?code=NO_PLAN&limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.items.map((e) => e.orderId)).toEqual(['O3']);
    expect(page2.body.nextCursor).toBeNull();

    expect((await api.get<Page<Exception>>('/api/v1/exceptions?code=OTHER')).body.items).toEqual([]);
    expectProblem(await api.get('/api/v1/exceptions?code=no plan'), 400, 'VALIDATION_FAILED');
    expectProblem(await api.get('/api/v1/exceptions?cursor=abc'), 400, 'VALIDATION_FAILED');
  });

  it('is scoped: a rep sees their own, a manager their team’s; service may not', async () => {
    const orders = async (claims: TestClaims) =>
      (await as(claims).get<Page<Exception>>('/api/v1/exceptions')).body.items.map((e) => e.orderId);
    expect(await orders({ roles: ['rep'], salespersonId: 'dave' })).toEqual(['O2', 'O3']);
    expect(await orders({ roles: ['rep'], salespersonId: 'alice' })).toEqual([]);
    expect(await orders({ roles: ['manager'], teamId: 'east' })).toEqual(['O2', 'O3']);
    expect(await orders({ roles: ['manager'], teamId: 'west' })).toEqual([]);
    expect(await orders({ roles: ['sales-ops'] })).toEqual(['O2', 'O3']);
    expectProblem(await service().get('/api/v1/exceptions'), 403, 'FORBIDDEN');
  });
});

describe('GET /api/v1/events (the global feed)', () => {
  it('pages through every event, oldest first, with no gap and no duplicate', async () => {
    const all = await wholeFeed();
    const [{ n }] = (await system.dataSource.query('SELECT count(*)::int AS n FROM es_events')) as [{ n: number }];
    expect(all).toHaveLength(n);
    expect(all[0]).toMatchObject({ type: 'PlanCreated', streamId: 'plan-P1', streamRevision: '0' });

    const seen: EventItem[] = [];
    let cursor = '';
    for (let pages = 0; pages < 100; pages++) {
      const r = await service().get<FeedPage>(`/api/v1/events?limit=3${cursor ? `&after=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      expect(r.body.nextCursor).toEqual(expect.any(String));
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (r.body.isEnd) break;
    }
    expect(seen.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(seen.length);

    // At the end the cursor still resumes: nothing now, the next event as soon as it is appended.
    const idle = await service().get<FeedPage>(`/api/v1/events?after=${cursor}`);
    expect(idle.body).toEqual({ items: [], nextCursor: cursor, isEnd: true });
    await bookOrder('O4', 'C1', 200_000, '2026-02-01T00:00:00Z');
    const next = await service().get<FeedPage>(`/api/v1/events?after=${cursor}`);
    expect(next.body.items.map((e) => [e.type, e.streamId])).toEqual([['SaleBooked', 'order-O4']]);
    expect(next.body.isEnd).toBe(true);
  });

  it('filters by type, and resumes a filtered read from nextCursor without gaps or duplicates', async () => {
    const types = ['SaleBooked', 'ProductReturned'];
    const expected = (await wholeFeed()).filter((e) => types.includes(e.type));
    expect(expected.length).toBeGreaterThanOrEqual(5);

    const seen: EventItem[] = [];
    let cursor = '';
    for (let pages = 0; pages < 100; pages++) {
      const r = await compliance().get<FeedPage>(
        `/api/v1/events?types=${types.join(',')}&limit=2${cursor ? `&after=${cursor}` : ''}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (r.body.isEnd) break;
    }
    expect(seen.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));

    // Events of other types appended meanwhile are skipped; the next SaleBooked is found.
    await ok(
      api.post('/api/v1/salespeople', { salespersonId: 'erin', name: 'Erin', teamId: 'west', hiredOn: '2025-01-01' }),
    );
    const skipped = await service().get<FeedPage>(`/api/v1/events?types=SaleBooked&after=${cursor}`);
    expect(skipped.body.items).toEqual([]);
    await bookOrder('O5', 'C1', 300_000, '2026-02-02T00:00:00Z');
    const next = await service().get<FeedPage>(`/api/v1/events?types=SaleBooked&after=${skipped.body.nextCursor}`);
    expect(next.body.items.map((e) => e.streamId)).toEqual(['order-O5']);
  });

  it('filters by stream category (alone or with types), page by page, without gaps or duplicates', async () => {
    const all = await wholeFeed();
    for (const [query, expected] of [
      ['categories=order', all.filter((e) => e.streamId.startsWith('order-'))],
      ['categories=customer,plan', all.filter((e) => /^(customer|plan)-/.test(e.streamId))],
      ['categories=order&types=ProductReturned,CustomerRegistered', all.filter((e) => e.type === 'ProductReturned')],
    ] as const) {
      expect(expected.length).toBeGreaterThan(0);
      const seen: EventItem[] = [];
      let cursor = '';
      for (let pages = 0; pages < 200; pages++) {
        const r = await service().get<FeedPage>(`/api/v1/events?${query}&limit=2${cursor ? `&after=${cursor}` : ''}`);
        expect(r.status).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...r.body.items);
        cursor = r.body.nextCursor;
        if (r.body.isEnd) break;
      }
      expect({ query, ids: seen.map((e) => e.eventId) }).toEqual({ query, ids: expected.map((e) => e.eventId) });
    }
    const bad = await service().get('/api/v1/events?categories=order-1');
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('a malformed cursor, limit or types is 400', async () => {
    for (const query of [
      'after=garbage!',
      `after=${Buffer.from('c1:12').toString('base64url')}`,
      `after=${Buffer.from('x1:1/2').toString('base64url')}`,
      `after=${Buffer.from('c1:99999999999999999999/1').toString('base64url')}`,
      'after=a&after=b',
      'limit=0',
      'limit=1001',
      'limit=ten',
      'types=,',
      'types=Sale%20Booked',
      `types=${Array.from({ length: 101 }, (_, i) => `T${i}`).join(',')}`,
    ]) {
      const r = await service().get(`/api/v1/events?${query}`);
      expect([query, r.status, (r.body as { code?: string }).code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });

  it('is for service and compliance (and admin): a rep, a manager or finance is 403', async () => {
    expect((await service().get('/api/v1/events?limit=1')).status).toBe(200);
    expect((await compliance().get('/api/v1/events?limit=1')).status).toBe(200);
    expect((await api.get('/api/v1/events?limit=1')).status).toBe(200);
    expectProblem(await as({ roles: ['rep'], salespersonId: 'alice' }).get('/api/v1/events'), 403, 'FORBIDDEN');
    expectProblem(await as({ roles: ['manager'], teamId: 'east' }).get('/api/v1/events'), 403, 'FORBIDDEN');
    expectProblem(await as({ roles: ['finance'] }).get('/api/v1/events'), 403, 'FORBIDDEN');
  });
});

interface Frame {
  id: string | undefined;
  event: string | undefined;
  data: EventItem;
}

/** A Server-Sent Events client on fetch: reads frames with data, skips comments and `retry:`. */
class SseClient {
  private readonly abort = new AbortController();
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  /** A read still under way when `next` timed out: the following call takes its chunk. */
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | null = null;
  private buffer = '';
  private readonly decoder = new TextDecoder();
  status = 0;
  contentType = '';
  body = '';

  static async open(token: string, query = '', headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(`${system.url}/api/v1/events/stream${query}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
      signal: client.abort.signal,
    });
    client.status = response.status;
    client.contentType = response.headers.get('content-type') ?? '';
    if (client.contentType.startsWith('text/event-stream')) client.reader = response.body!.getReader();
    else client.body = await response.text();
    return client;
  }

  /** The next `count` events, failing after `timeoutMs`. */
  async next(count: number, timeoutMs = 10_000): Promise<Frame[]> {
    const frames: Frame[] = [];
    const deadline = Date.now() + timeoutMs;
    while (frames.length < count) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
        }
        const data = fields.get('data');
        if (data !== undefined) {
          frames.push({ id: fields.get('id'), event: fields.get('event'), data: JSON.parse(data) as EventItem });
        }
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${frames.length} of ${count} events`);
      let timer: NodeJS.Timeout | undefined;
      this.pending ??= this.reader!.read();
      const chunk = await Promise.race([
        this.pending,
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
      ]);
      clearTimeout(timer);
      if (chunk === null) continue;
      this.pending = null;
      if (chunk.done) throw new Error(`stream ended with ${frames.length} of ${count} events`);
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
    return frames;
  }

  /** Whether another event arrives within `ms`. */
  async quiet(ms: number): Promise<boolean> {
    try {
      await this.next(1, ms);
      return false;
    } catch (error) {
      if (/timed out/.test((error as Error).message)) return true;
      throw error;
    }
  }

  close(): void {
    this.abort.abort();
  }
}

describe('GET /api/v1/events/stream (Server-Sent Events)', () => {
  const streams = () => system.app!.get(EventStreamService);
  const token = () => tokenFor({ sub: 'downstream', roles: ['service'] });

  async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('streams the feed, resumes after Last-Event-ID with exactly the rest, then delivers new events live', async () => {
    const all = await wholeFeed();
    const N = 4;
    const first = await SseClient.open(token());
    expect(first.status).toBe(200);
    expect(first.contentType).toContain('text/event-stream');
    const head = await first.next(N);
    expect(head.map((f) => f.data.eventId)).toEqual(all.slice(0, N).map((e) => e.eventId));
    for (const [i, frame] of head.entries()) {
      expect(frame.event).toBe(all[i]!.type);
      expect(frame.data).toEqual(all[i]);
      expect(frame.id).toMatch(/^[A-Za-z0-9_-]+$/);
    }
    first.close();
    await until(() => streams().size === 0); // the subscription stops when the client goes

    // An SSE id is a feed cursor too.
    const lastId = head[N - 1]!.id!;
    const viaFeed = await service().get<FeedPage>(`/api/v1/events?limit=1000&after=${lastId}`);
    expect(viaFeed.body.items.map((e) => e.eventId)).toEqual(all.slice(N).map((e) => e.eventId));

    // Reconnect as a browser does: same URL (an older `after` is overridden by the header).
    const second = await SseClient.open(token(), `?after=${head[0]!.id}`, { 'last-event-id': lastId });
    expect(second.status).toBe(200);
    const rest = await second.next(all.length - N);
    expect(rest.map((f) => f.data.eventId)).toEqual(all.slice(N).map((e) => e.eventId));
    expect(await second.quiet(300)).toBe(true);

    const position = await bookOrder('O6', 'C1', 400_000, '2026-02-03T00:00:00Z');
    const [live] = await second.next(1);
    expect(live!.event).toBe('SaleBooked');
    expect(live!.data).toMatchObject({ type: 'SaleBooked', streamId: 'order-O6', globalPosition: position });
    expect(live!.data.metadata).toMatchObject({ actor: 'test-admin', commandId: 'O6' });
    second.close();
    await until(() => streams().size === 0);
  });

  it('filters by types and starts after the `after` cursor', async () => {
    const sales = (await wholeFeed()).filter((e) => e.type === 'SaleBooked');
    const client = await SseClient.open(token(), '?types=SaleBooked');
    const frames = await client.next(sales.length);
    expect(frames.map((f) => f.data.eventId)).toEqual(sales.map((e) => e.eventId));
    client.close();
    const resumed = await SseClient.open(token(), `?types=SaleBooked&after=${frames[1]!.id}`);
    expect((await resumed.next(sales.length - 2)).map((f) => f.data.eventId)).toEqual(
      sales.slice(2).map((e) => e.eventId),
    );
    resumed.close();
    await until(() => streams().size === 0);
  });

  it('a malformed Last-Event-ID, after or types is 400 problem+json; a rep is 403', async () => {
    for (const [query, headers] of [
      ['', { 'last-event-id': 'nope!' }],
      ['?after=nope!', {}],
      ['?types=a%20b', {}],
    ] as const) {
      const client = await SseClient.open(token(), query, headers);
      expect([client.status, client.contentType]).toEqual([400, expect.stringContaining('application/problem+json')]);
      expect(JSON.parse(client.body)).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const rep = await SseClient.open(tokenFor({ roles: ['rep'], salespersonId: 'alice' }));
    expect(rep.status).toBe(403);
    expect(JSON.parse(rep.body)).toMatchObject({ code: 'FORBIDDEN' });
    const auditor = await SseClient.open(tokenFor({ roles: ['compliance'] }));
    expect(auditor.status).toBe(200);
    auditor.close();
    await until(() => streams().size === 0);
  });

  it('receives every event exactly once across a disconnection, including those appended during the gap', async () => {
    const before = await wholeFeed();
    const client = await SseClient.open(token());
    const seen = await client.next(before.length);
    client.close();
    await until(() => streams().size === 0);
    // While the client is away: new events.
    await bookOrder('GAP1', 'C1', 10_000, '2026-02-10T00:00:00Z');
    await bookOrder('GAP2', 'C1', 20_000, '2026-02-11T00:00:00Z');
    const back = await SseClient.open(token(), '', { 'last-event-id': seen[seen.length - 1]!.id! });
    const rest = await back.next(2);
    expect(await back.quiet(300)).toBe(true);
    const ids = [...seen, ...rest].map((f) => f.data.eventId);
    expect(ids).toEqual((await wholeFeed()).map((e) => e.eventId));
    expect(new Set(ids).size).toBe(ids.length);
    back.close();
    await until(() => streams().size === 0);
  });

  it('filters by stream category', async () => {
    const customers = (await wholeFeed()).filter((e) => e.streamId.startsWith('customer-'));
    const client = await SseClient.open(token(), '?categories=customer');
    expect((await client.next(customers.length)).map((f) => f.data.eventId)).toEqual(customers.map((e) => e.eventId));
    expect(await client.quiet(200)).toBe(true);
    client.close();
    await until(() => streams().size === 0);
  });

  it('back-pressure: a client that stops reading holds a bounded buffer and blocks no one else', async () => {
    // A raw socket that sends the request and then never reads: the kernel buffers fill, then ours.
    const url = new URL(`${system.url}/api/v1/events/stream`);
    const stalled = connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write(
      `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token()}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    stalled.pause();
    await until(() => streams().size === 1);
    const reader = await SseClient.open(token());
    const existing = (await wholeFeed()).length;
    await reader.next(existing);

    // Many large events (about 12 MB of frames): far more than the socket buffers hold.
    const note = 'x'.repeat(4000);
    for (let batch = 0; batch < 30; batch++) {
      await system.store.appendToStream(
        `bulk-${batch}`,
        Array.from({ length: 100 }, () => ({
          id: randomUUID(),
          type: 'BulkNoteRecorded',
          schemaVersion: 1,
          data: { note },
          occurredAt: '2026-02-12T00:00:00.000Z',
          metadata: {
            actor: 'test',
            commandId: randomUUID(),
            commandType: 'Test',
            correlationId: 'c',
            causationId: 'c',
          },
        })),
      );
    }
    // The reading client gets every one of them, live, while the other one is stuck.
    expect((await reader.next(3000, 30_000)).length).toBe(3000);
    const stats = streams().streamStats();
    const stuck = stats.reduce((a, b) => (a.delivered < b.delivered ? a : b));
    expect(stuck.delivered).toBeLessThan(existing + 3000); // its subscription waits for the socket
    expect(stuck.buffered).toBeLessThan(2_000_000); // at most about one batch of frames held in memory
    reader.close();
    stalled.destroy();
    await until(() => streams().size === 0);
  });

  it('ends open streams at shutdown (the client reconnects elsewhere with its Last-Event-ID)', async () => {
    const client = await SseClient.open(token());
    await client.next(1);
    await until(() => streams().size === 1);
    await streams().onModuleDestroy();
    await expect(client.next(10_000)).rejects.toThrow(/stream ended/);
    expect(streams().size).toBe(0);
    // Left open on purpose: afterAll's system.close() must end it, or the hook times out.
    const open = await SseClient.open(token());
    await open.next(1);
    lastOpen = open;
  });
});
