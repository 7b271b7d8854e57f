/**
 * Collection tasks through the HTTP API on real PostgreSQL (issue 9, items 2 and 5): each
 * person's worklist at asOf (assignee, status, pagination), the scoping of reps and managers, the
 * due scan that records each fallen-due task exactly once — run twice, and run concurrently — and
 * the CollectionTaskFellDue events in the feed, valid against their published schema; then the
 * scheduler (COLLECTION_DUE_SCAN_SECONDS) doing the same on its own.
 */
import { EventSchemaValidator, type FeedEvent } from '../../libs/feed/src/event-schemas/testing/event-schema-validator';
import { type Api, type Reply, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const T = (date: string) => `${date}T00:00:00Z`;

interface Task {
  taskId: string;
  orderId: string;
  stepId: string;
  status: string;
  dueDate: string;
  assignees: string[];
  pausedByDisputeId: string | null;
}
interface Page {
  asOf: string;
  items: Task[];
  nextCursor: string | null;
}
interface ScanReport {
  asOf: string;
  receivables: number;
  fellDue: Array<{ taskId: string; dueDate: string; position: string }>;
  alreadyFallen: number;
}
interface FeedItem extends FeedEvent {
  readonly streamId: string;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

const brief = (items: Task[]) => items.map((t) => `${t.taskId} ${t.status}`);

/** mgr manages alice; bob has no manager (team east); carol is in team west. */
async function givenSalesData(t: TestSystem, prefix = ''): Promise<void> {
  const { api } = t;
  for (const [id, managerId, teamId] of [
    ['mgr', null, 'east'],
    ['alice', 'mgr', 'east'],
    ['bob', null, 'east'],
    ['carol', null, 'west'],
  ] as const) {
    await t.ok(
      api.post('/api/v1/salespeople', {
        salespersonId: `${prefix}${id}`,
        name: id,
        ...(managerId ? { managerId: `${prefix}${managerId}` } : {}),
        teamId,
        hiredOn: '2025-01-01',
      }),
    );
  }
  await t.ok(
    api.post('/api/v1/customers', {
      customerId: `${prefix}C1`,
      name: 'Acme',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: `${prefix}alice`, splitBps: 6000 },
        { salespersonId: `${prefix}bob`, splitBps: 4000 },
      ],
    }),
  );
  await t.ok(
    api.post('/api/v1/customers', {
      customerId: `${prefix}C2`,
      name: 'Globex',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: `${prefix}carol`, splitBps: 10000 }],
    }),
  );
}

/** An order booked 2026-01-10 with one invoice of the whole amount due `dueDate`. */
async function givenInvoicedOrder(t: TestSystem, orderId: string, customerId: string, dueDate = '2026-02-09') {
  await t.ok(t.api.post('/api/v1/orders', { orderId, customerId, amount: USD(1_000_000), bookedAt: T('2026-01-10') }));
  await t.ok(
    t.api.post(`/api/v1/orders/${orderId}/invoices`, {
      invoiceId: `I-${orderId}`,
      amount: USD(1_000_000),
      issuedAt: T('2026-01-10'),
      dueDate,
    }),
  );
}

async function feedOf(api: Api, type: string): Promise<FeedItem[]> {
  const out: FeedItem[] = [];
  let after = '';
  for (let pages = 0; pages < 100; pages++) {
    const page = await api.get<{ items: FeedItem[]; nextCursor: string; isEnd: boolean }>(
      `/api/v1/events?types=${type}&limit=1000${after ? `&after=${after}` : ''}`,
    );
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    if (page.body.isEnd || page.body.items.length === 0) break;
    after = page.body.nextCursor;
  }
  return out;
}

describe('the worklist and the due scan', () => {
  let t: TestSystem;
  let api: Api;
  const as = (claims: { roles: string[]; salespersonId?: string; teamId?: string }) =>
    api.as(tokenFor({ sub: `u-${claims.roles.join('-')}`, ...claims }));
  let finance: Api;

  beforeAll(async () => {
    t = await startTestSystem();
    api = t.api;
    finance = as({ roles: ['finance'] });
    await givenSalesData(t);
    // O1 and O2 (C1: alice 60 %, bob 40 %), O3 (C2: carol), invoices due 2026-02-09 (default policy:
    // reminder-before 02-06, reminder-after 02-10, call 02-24, formal-notice 03-11, legal-handoff 04-10).
    for (const [o, c] of [
      ['O1', 'C1'],
      ['O2', 'C1'],
      ['O3', 'C2'],
    ]) {
      await givenInvoicedOrder(t, o!, c!);
    }
    // O1's reminder before the due date was sent on 02-07; O2 is disputed from 02-05 (still open).
    await t.ok(
      finance.post('/api/v1/orders/O1/collection-actions', {
        actionId: 'ACT-1',
        invoiceId: 'I-O1',
        stepId: 'reminder-before',
        action: 'REMINDER',
        takenAt: T('2026-02-07'),
      }),
    );
    await t.ok(
      finance.post('/api/v1/orders/O2/disputes', {
        disputeId: 'D-1',
        invoiceId: 'I-O2',
        reason: 'Wrong quantity',
        disputedAt: T('2026-02-05'),
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const list = (who: Api, query: string) => who.get<Page>(`/api/v1/collection-tasks?${query}`, t.consistent());

  it('given the history, when alice asks for her worklist on 02-15, then her OVERDUE tasks, the disputed invoice’s none', async () => {
    const r = await list(api, 'assignee=alice&asOf=2026-02-15T00:00:00Z');
    expect(r.status).toBe(200);
    expect(r.body.asOf).toBe('2026-02-15T00:00:00.000Z');
    expect(brief(r.body.items)).toEqual(['O1:I-O1:reminder-after OVERDUE']);
    expect(r.body.items[0]!.assignees).toEqual(['alice', 'bob']);
    const upcoming = await list(api, 'assignee=alice&asOf=2026-02-15T00:00:00Z&status=UPCOMING');
    expect(upcoming.body.items.filter((x) => x.orderId === 'O2').map((x) => [x.stepId, x.pausedByDisputeId])).toEqual([
      ['reminder-before', 'D-1'],
      ['reminder-after', 'D-1'],
    ]);
    const done = await list(api, 'assignee=alice&asOf=2026-02-15T00:00:00Z&status=DONE');
    expect(brief(done.body.items)).toEqual(['O1:I-O1:reminder-before DONE']);
  });

  it('on 02-08 the reminder after the due date is not due yet; on 02-26 the managers’ call is overdue (finance for bob)', async () => {
    expect((await list(api, 'assignee=alice&asOf=2026-02-08T00:00:00Z')).body.items).toEqual([]);
    expect(brief((await list(api, 'assignee=mgr&asOf=2026-02-26T00:00:00Z')).body.items)).toEqual(['O1:I-O1:call DUE']);
    const fin = await list(finance, 'assignee=finance&asOf=2026-02-26T00:00:00Z');
    expect(brief(fin.body.items)).toEqual(['O1:I-O1:call DUE', 'O3:I-O3:call DUE']);
  });

  it('pages with limit and cursor: every task once, OVERDUE first then by due date', async () => {
    const all = await list(api, 'asOf=2026-05-01T00:00:00Z&status=UPCOMING,DUE,OVERDUE,DONE,CANCELLED&limit=1000');
    expect(all.body.items).toHaveLength(15);
    const ranks = all.body.items.map((x) => (x.status === 'OVERDUE' ? 0 : 1));
    expect(ranks).toEqual([...ranks].sort());
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 20; pages++) {
      const page = await list(
        api,
        `asOf=2026-05-01T00:00:00Z&status=UPCOMING,DUE,OVERDUE,DONE,CANCELLED&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((x) => x.taskId));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all.body.items.map((x) => x.taskId));
  });

  it('a rep reads only their own tasks; a manager their team’s and their own; service nothing', async () => {
    const alice = as({ roles: ['rep'], salespersonId: 'alice' });
    const own = await list(alice, 'asOf=2026-03-12T00:00:00Z');
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((x) => x.assignees.includes('alice'))).toBe(true);
    expect((await list(alice, 'assignee=bob')).status).toBe(403);
    expect((await list(alice, 'assignee=finance')).status).toBe(403);

    const mgr = as({ roles: ['manager'], salespersonId: 'mgr', teamId: 'east' });
    const team = await list(mgr, 'asOf=2026-03-12T00:00:00Z&limit=1000');
    expect(team.status).toBe(200);
    expect(team.body.items.every((x) => x.assignees.some((a) => ['mgr', 'alice', 'bob'].includes(a)))).toBe(true);
    expect(team.body.items.some((x) => x.orderId === 'O3')).toBe(false); // carol's, team west
    expect(brief((await list(mgr, 'assignee=mgr&asOf=2026-02-26T00:00:00Z')).body.items)).toEqual(['O1:I-O1:call DUE']);
    expect((await list(mgr, 'assignee=carol')).status).toBe(403);
    expect((await list(mgr, 'assignee=finance')).status).toBe(403);
    expect((await list(as({ roles: ['service'] }), '')).status).toBe(403);
  });

  it('bad input is 400 problem+json', async () => {
    for (const q of [
      'status=LATE',
      'status=DUE,,OVERDUE',
      'asOf=yesterday',
      'cursor=nope',
      'limit=0',
      'assignee=a%20b',
      'asOf=9999-12-31',
      'knownAt=0001-01-01',
    ]) {
      const r = await list(api, q);
      expect([q, r.status, r.contentType]).toEqual([q, 400, expect.stringContaining('application/problem+json')]);
    }
  });

  describe('the due scan', () => {
    const scan = (who: Api, body: unknown) => who.post<ScanReport>('/api/v1/collection-tasks/fall-due-scan', body);

    it('refuses a future asOf and callers other than finance and admin, appending nothing', async () => {
      const before = await feedOf(api, 'CollectionTaskFellDue');
      const future = await scan(finance, { asOf: '2099-01-01T00:00:00Z' });
      expect([future.status, (future.body as unknown as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await scan(finance, { asOf: 'soon' })).status).toBe(400);
      expect((await scan(finance, { asOf: T('2026-02-15'), extra: 1 })).status).toBe(400);
      for (const roles of [['rep'], ['manager'], ['compliance'], ['sales-ops'], ['service']]) {
        expect([roles, (await scan(as({ roles, salespersonId: 'alice', teamId: 'east' }), {})).status]).toEqual([
          roles,
          403,
        ]);
      }
      expect(await feedOf(api, 'CollectionTaskFellDue')).toEqual(before);
    });

    it('given tasks due by 02-15, when the scan runs twice, then each falls due once', async () => {
      const first = await scan(finance, { asOf: T('2026-02-15') });
      expect(first.status).toBe(200);
      expect(first.body.fellDue.map((f) => `${f.taskId} ${f.dueDate}`).sort()).toEqual([
        'O1:I-O1:reminder-after 2026-02-10',
        'O3:I-O3:reminder-after 2026-02-10',
        'O3:I-O3:reminder-before 2026-02-06',
      ]);
      expect(first.body.alreadyFallen).toBe(0);
      const second = await scan(finance, { asOf: T('2026-02-15') });
      expect([second.body.fellDue, second.body.alreadyFallen]).toEqual([[], 3]);
    });

    it('when four scans run at once on 03-12, then every task due by then fell due exactly once', async () => {
      const admin = api;
      const replies: Array<Reply<ScanReport>> = await Promise.all(
        [finance, admin, finance, admin].map((who) => scan(who, { asOf: T('2026-03-12') })),
      );
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      // Each scan saw the 7 tasks due by then: appended by itself, or found recorded (by another or before).
      expect(replies.map((r) => r.body.fellDue.length + r.body.alreadyFallen)).toEqual([7, 7, 7, 7]);
      const appended = replies.flatMap((r) => r.body.fellDue.map((f) => f.taskId));
      expect(new Set(appended).size).toBe(appended.length); // no task recorded by two scans
      // O1: call 02-24, formal-notice 03-11; O3: call, formal-notice. O2 stays paused by its dispute.
      expect([...appended].sort()).toEqual([
        'O1:I-O1:call',
        'O1:I-O1:formal-notice',
        'O3:I-O3:call',
        'O3:I-O3:formal-notice',
      ]);
      const feed = await feedOf(api, 'CollectionTaskFellDue');
      const ids = feed.map((e) => e.data['taskId'] as string);
      expect(ids).toHaveLength(7);
      expect(new Set(ids).size).toBe(7);
    });

    it('the feed shows each CollectionTaskFellDue on the task’s stream, dated its due day, valid against its schema', async () => {
      const feed = await feedOf(api, 'CollectionTaskFellDue');
      const validator = new EventSchemaValidator();
      for (const e of feed) expect([e.data['taskId'], validator.feedEventErrors(e)]).toEqual([e.data['taskId'], []]);
      const call = feed.find((e) => e.data['taskId'] === 'O1:I-O1:call')!;
      expect(call.streamId).toBe('collection-task-O1:I-O1:call');
      expect(call.occurredAt).toBe('2026-02-24T00:00:00.000Z');
      expect(call.data).toEqual({
        taskId: 'O1:I-O1:call',
        orderId: 'O1',
        customerId: 'C1',
        invoiceId: 'I-O1',
        policyId: 'default',
        stepId: 'call',
        action: 'CALL',
        responsible: 'MANAGER',
        assignees: ['finance', 'mgr'],
        dueDate: '2026-02-24',
        openAmount: USD(1_000_000),
      });
      // A service reads them from the feed (it may not read the worklist).
      const service = as({ roles: ['service'] });
      const r = await service.get<{ items: FeedItem[] }>('/api/v1/events?types=CollectionTaskFellDue');
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(7);
    });

    it('the tasks that fell due stay on the worklist until done', async () => {
      const r = await list(api, 'assignee=alice&asOf=2026-02-15T00:00:00Z');
      expect(brief(r.body.items)).toEqual(['O1:I-O1:reminder-after OVERDUE']);
    });
  });
});

describe('the scheduler (COLLECTION_DUE_SCAN_SECONDS=1)', () => {
  let t: TestSystem;

  beforeAll(async () => {
    t = await startTestSystem({}, { settings: { collectionDueScanSeconds: 1 } });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  /** Until the feed holds CollectionTaskFellDue events of these tasks (the scheduler appends them on its own). */
  async function untilFallen(taskIds: readonly string[], timeoutMs = 30_000): Promise<FeedItem[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const feed = await feedOf(t.api, 'CollectionTaskFellDue');
      const seen = new Set(feed.map((e) => e.data['taskId'] as string));
      if (taskIds.every((id) => seen.has(id))) return feed;
      if (Date.now() > deadline) throw new Error(`not fallen due: ${taskIds.filter((id) => !seen.has(id)).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('given invoices past due, then the scheduler records their due tasks, each once however many scans run', async () => {
    await givenSalesData(t, 's-');
    await givenInvoicedOrder(t, 'S1', 's-C2', '2026-02-09');
    const steps = ['reminder-before', 'reminder-after', 'call', 'formal-notice', 'legal-handoff'];
    // Now (the real clock) is past every step of an invoice due in February 2026.
    await untilFallen(steps.map((s) => `S1:I-S1:${s}`));
    // A second invoice recorded later: once it has fallen due, the scheduler has scanned S1 again.
    await givenInvoicedOrder(t, 'S2', 's-C2', '2026-02-10');
    const feed = await untilFallen(steps.map((s) => `S2:I-S2:${s}`));
    const ids = feed.map((e) => e.data['taskId'] as string);
    expect(ids.sort()).toEqual([...steps.map((s) => `S1:I-S1:${s}`), ...steps.map((s) => `S2:I-S2:${s}`)].sort());
  });
});
