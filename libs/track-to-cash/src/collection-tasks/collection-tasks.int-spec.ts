/**
 * The collection tasks' read model on real PostgreSQL: events applied by the real projector (in
 * batches of several sizes), then the worklist query and the task computation at several asOf,
 * knownAt and scopes — a dispute pausing the schedule, a broken promise raising the next step, a
 * paid receivable whose remaining steps are cancelled, two credited salespeople and a manager
 * (a MANAGER step of a salesperson without a manager goes to finance), a customer's own policy.
 */
import { ForbiddenException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { deterministicUuid } from '../../../eventsourcing/src/ids';
import type { ReadScope } from '../../../platform/src/auth/read-scope';
import { createDataSource } from '../../../platform/src/database/data-source';
import { parsePage } from '../../../platform/src/http/pagination';
import type { CollectionTaskStatus } from '../../../sales/src/collections/collection-schedule';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { CollectionTasksProjector } from './collection-tasks.projector';
import { ListCollectionTasksHandler, ListCollectionTasksQuery } from './collection-tasks.queries';
import { tasksOfOrders } from './collection-tasks.read-model';
import type { CollectionTaskDto } from './collection-tasks.response.dto';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const T = (date: string) => `${date}T00:00:00.000Z`;

/** Events as the store would give them: one stream revision each, recorded one second apart. */
function stored(list: Array<{ streamId: string; type: string; data: Record<string, unknown>; occurredAt: string }>) {
  const revisions = new Map<string, bigint>();
  return list.map((e, i): StoredEvent => {
    const revision = revisions.get(e.streamId) ?? 0n;
    revisions.set(e.streamId, revision + 1n);
    const position = BigInt(i + 1);
    return {
      id: deterministicUuid('collection-tasks-int', e.streamId, revision.toString()),
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      occurredAt: e.occurredAt,
      metadata: { actor: 'test', commandId: `c${i}`, commandType: e.type, correlationId: 'x', causationId: 'x' },
      streamId: e.streamId,
      streamRevision: revision,
      globalPosition: position,
      logPosition: { major: position, minor: position },
      recordedAt: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(),
    };
  });
}

const salesperson = (id: string, managerId: string | null, teamId: string | null) => ({
  streamId: `salesperson-${id}`,
  type: 'SalespersonRegistered',
  data: { salespersonId: id, name: id, managerId, teamId, hiredOn: '2025-01-01' },
  occurredAt: T('2025-01-01'),
});
const sale = (orderId: string, customerId: string, amount: number, credits: Array<[string, number]>) => ({
  streamId: `order-${orderId}`,
  type: 'SaleBooked',
  data: {
    orderId,
    customerId,
    amount: USD(amount),
    bookedAt: T('2026-01-10'),
    salesCredits: credits.map(([salespersonId, splitBps]) => ({ salespersonId, splitBps })),
    paymentTermsDays: 30,
    dueDate: '2026-02-09',
    businessUnit: null,
    lines: [],
  },
  occurredAt: T('2026-01-10'),
});
const invoice = (orderId: string, invoiceId: string, amount: number, dueDate = '2026-02-09') => ({
  streamId: `order-${orderId}`,
  type: 'InvoiceIssued',
  data: { orderId, invoiceId, amount: USD(amount), issuedAt: T('2026-01-10'), dueDate },
  occurredAt: T('2026-01-10'),
});
const onOrder = (orderId: string, type: string, occurredAt: string, data: Record<string, unknown>) => ({
  streamId: `order-${orderId}`,
  type,
  data: { orderId, ...data },
  occurredAt,
});

const ALICE_BOB: Array<[string, number]> = [
  ['alice', 6000],
  ['bob', 4000],
];

/*
 * Default policy (libs/sales/src/contracts/collections.events.ts), invoices due 2026-02-09:
 * reminder-before 02-06 (SALESPERSON), reminder-after 02-10 (SALESPERSON), call 02-24 (MANAGER),
 * formal-notice 03-11 (FINANCE), legal-handoff 04-10 (FINANCE). DUE for 3 days, OVERDUE after.
 */
const EVENTS = stored([
  salesperson('mgr', null, 'east'),
  salesperson('alice', 'mgr', 'east'),
  salesperson('bob', null, 'east'),
  salesperson('carol', 'mgr2', 'west'),
  // O1: alice 60 % and bob 40 %; the reminder before the due date was done on 02-07.
  sale('O1', 'C1', 10_000_000, ALICE_BOB),
  invoice('O1', 'I1', 10_000_000),
  onOrder('O1', 'CollectionActionTaken', T('2026-02-07'), {
    invoiceId: 'I1',
    actionId: 'A1',
    stepId: 'reminder-before',
    action: 'REMINDER',
    takenAt: T('2026-02-07'),
    note: null,
  }),
  // O2: disputed on 02-05, resolved on 02-15: a 10-day pause.
  sale('O2', 'C1', 5_000_000, ALICE_BOB),
  invoice('O2', 'I2', 5_000_000),
  onOrder('O2', 'InvoiceDisputed', T('2026-02-05'), {
    invoiceId: 'I2',
    disputeId: 'D1',
    reason: 'wrong quantity',
    disputedAt: T('2026-02-05'),
  }),
  onOrder('O2', 'InvoiceDisputeResolved', T('2026-02-15'), {
    invoiceId: 'I2',
    disputeId: 'D1',
    resolvedAt: T('2026-02-15'),
    outcome: 'customer accepted',
  }),
  // O3: a promise on 02-11 to pay 50,000.00 by 02-14, never kept.
  sale('O3', 'C1', 8_000_000, ALICE_BOB),
  invoice('O3', 'I3', 8_000_000),
  onOrder('O3', 'PaymentPromised', T('2026-02-11'), {
    invoiceId: 'I3',
    promiseId: 'PR1',
    amount: USD(5_000_000),
    promisedDate: '2026-02-14',
    recordedAt: T('2026-02-11'),
  }),
  // O4: paid in full on 02-05.
  sale('O4', 'C1', 3_000_000, ALICE_BOB),
  invoice('O4', 'I4', 3_000_000),
  onOrder('O4', 'PaymentReceived', T('2026-02-05'), {
    paymentId: 'PAY4',
    amount: USD(3_000_000),
    receivedAt: T('2026-02-05'),
  }),
  // O5: carol's customer C2 on its own policy (one FINANCE call on the due date).
  {
    streamId: 'collection-policy-fast',
    type: 'CollectionPolicyCreated',
    data: {
      policyId: 'fast',
      name: 'Fast',
      steps: [{ stepId: 'call-now', offsetDays: 0, action: 'CALL', responsible: 'FINANCE' }],
    },
    occurredAt: T('2026-01-01'),
  },
  {
    streamId: 'customer-C2',
    type: 'CollectionPolicyAssigned',
    data: { customerId: 'C2', assignmentId: 'PA1', policyId: 'fast', effectiveFrom: '2026-01-01' },
    occurredAt: T('2026-01-01'),
  },
  sale('O5', 'C2', 2_000_000, [['carol', 10000]]),
  invoice('O5', 'I5', 2_000_000),
  // O6: booked, never invoiced: no receivable, no task.
  sale('O6', 'C1', 1_000_000, ALICE_BOB),
]);

let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  ds = createDataSource(db.url, APP_SCHEMA);
  await ds.initialize();
  // When the projector applies the events in batches of 1, 2, 3, 4, … (each its own transaction)
  const projector = new CollectionTasksProjector();
  for (let i = 0, size = 1; i < EVENTS.length; i += size, size++) {
    const batch = EVENTS.slice(i, i + size);
    await ds.transaction((m) => projector.apply(batch, m));
  }
}, 60_000);

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const ALL: ReadScope = { kind: 'all' };
const EVERY_STATUS: CollectionTaskStatus[] = ['UPCOMING', 'DUE', 'OVERDUE', 'DONE', 'CANCELLED'];

async function worklist(options: {
  asOf: string;
  assignee?: string;
  statuses?: CollectionTaskStatus[];
  scope?: ReadScope;
  self?: string | null;
  knownAt?: string;
  limit?: number;
  cursor?: string;
}) {
  return new ListCollectionTasksHandler(ds).execute(
    new ListCollectionTasksQuery(
      options.assignee ?? null,
      options.statuses ?? ['DUE', 'OVERDUE'],
      { asOf: new Date(options.asOf), knownAt: options.knownAt ? new Date(options.knownAt) : null },
      { scope: options.scope ?? ALL, self: options.self ?? null },
      parsePage(options.limit === undefined ? undefined : String(options.limit), options.cursor),
    ),
  );
}

const brief = (items: CollectionTaskDto[]) => items.map((t) => `${t.taskId} ${t.status} ${t.dueDate}`);

async function statusesAt(orderId: string, asOf: string) {
  const tasks = await tasksOfOrders(ds, [orderId], { asOf: new Date(asOf), knownAt: null });
  return Object.fromEntries(tasks.map((t) => [t.stepId, `${t.status} ${t.dueDate}`]));
}

describe('tasks at several asOf', () => {
  it('given an invoice due 02-09, then every step is UPCOMING on 02-01, the first DUE from 02-06, OVERDUE after 3 days, DONE once acted on', async () => {
    expect(await statusesAt('O1', T('2026-02-01'))).toEqual({
      'reminder-before': 'UPCOMING 2026-02-06',
      'reminder-after': 'UPCOMING 2026-02-10',
      call: 'UPCOMING 2026-02-24',
      'formal-notice': 'UPCOMING 2026-03-11',
      'legal-handoff': 'UPCOMING 2026-04-10',
    });
    expect((await statusesAt('O1', T('2026-02-06')))['reminder-before']).toBe('DUE 2026-02-06');
    // The action dated 02-07 counts from 02-07 on.
    expect((await statusesAt('O1', '2026-02-07T12:00:00.000Z'))['reminder-before']).toBe('DONE 2026-02-06');
    expect(await statusesAt('O1', T('2026-02-15'))).toMatchObject({
      'reminder-before': 'DONE 2026-02-06',
      'reminder-after': 'OVERDUE 2026-02-10',
      call: 'UPCOMING 2026-02-24',
    });
  });

  it('given a dispute from 02-05, then the schedule is paused while it is open and moved 10 days once resolved on 02-15', async () => {
    const open = await tasksOfOrders(ds, ['O2'], { asOf: new Date(T('2026-02-12')), knownAt: null });
    expect(open.map((t) => [t.stepId, t.status, t.pausedByDisputeId])).toEqual([
      ['reminder-before', 'UPCOMING', 'D1'],
      ['reminder-after', 'UPCOMING', 'D1'],
      ['call', 'UPCOMING', 'D1'],
      ['formal-notice', 'UPCOMING', 'D1'],
      ['legal-handoff', 'UPCOMING', 'D1'],
    ]);
    expect(await statusesAt('O2', T('2026-02-20'))).toMatchObject({
      'reminder-before': 'OVERDUE 2026-02-16',
      'reminder-after': 'DUE 2026-02-20',
      call: 'UPCOMING 2026-03-06',
    });
  });

  it('given a promise to pay by 02-14 broken, then from 02-15 the next step (the managers’ call) is raised to 02-15', async () => {
    expect((await statusesAt('O3', T('2026-02-14'))).call).toBe('UPCOMING 2026-02-24');
    const [call] = (await tasksOfOrders(ds, ['O3'], { asOf: new Date(T('2026-02-15')), knownAt: null })).filter(
      (t) => t.stepId === 'call',
    );
    expect(call).toMatchObject({
      status: 'DUE',
      dueDate: '2026-02-15',
      scheduledDate: '2026-02-24',
      raisedBy: 'BROKEN_PROMISE',
      raisedByPromiseId: 'PR1',
      // alice's manager, and finance for bob, who has none
      assignees: ['finance', 'mgr'],
    });
  });

  it('given a receivable paid in full on 02-05, then its steps not done are CANCELLED and it is on no worklist', async () => {
    expect(Object.values(await statusesAt('O4', T('2026-03-01')))).toEqual([
      'CANCELLED 2026-02-06',
      'CANCELLED 2026-02-10',
      'CANCELLED 2026-02-24',
      'CANCELLED 2026-03-11',
      'CANCELLED 2026-04-10',
    ]);
    // Before the payment was made, it was still to collect.
    expect((await statusesAt('O4', T('2026-02-04')))['reminder-before']).toBe('UPCOMING 2026-02-06');
    const everything = await worklist({ asOf: T('2026-03-01'), statuses: EVERY_STATUS, limit: 1000 });
    expect(everything.items.filter((t) => t.orderId === 'O4').map((t) => t.status)).toEqual(Array(5).fill('CANCELLED'));
    const open = await worklist({ asOf: T('2026-03-01'), limit: 1000 });
    expect(open.items.filter((t) => t.orderId === 'O4')).toEqual([]);
  });

  it('given a customer on its own policy, then its invoice has that policy’s steps; a booking not invoiced has none', async () => {
    expect(await statusesAt('O5', T('2026-02-10'))).toEqual({ 'call-now': 'DUE 2026-02-09' });
    expect(await tasksOfOrders(ds, ['O6'], { asOf: new Date(T('2026-06-01')), knownAt: null })).toEqual([]);
  });
});

describe('worklists', () => {
  it('alice on 02-15: her OVERDUE tasks first, then the DUE ones, each by due date', async () => {
    const page = await worklist({ asOf: T('2026-02-15'), assignee: 'alice' });
    expect(brief(page.items)).toEqual([
      'O3:I3:reminder-before OVERDUE 2026-02-06',
      'O1:I1:reminder-after OVERDUE 2026-02-10',
      'O3:I3:reminder-after OVERDUE 2026-02-10',
    ]);
    expect(page.items.every((t) => t.assignees.includes('alice'))).toBe(true);
    expect(page.nextCursor).toBeNull();
  });

  it('the manager mgr on 02-15: the call raised by the broken promise; bob (no manager) has none of the calls', async () => {
    expect(brief((await worklist({ asOf: T('2026-02-15'), assignee: 'mgr' })).items)).toEqual([
      'O3:I3:call DUE 2026-02-15',
    ]);
    expect(brief((await worklist({ asOf: T('2026-02-15'), assignee: 'bob' })).items)).toEqual([
      'O3:I3:reminder-before OVERDUE 2026-02-06',
      'O1:I1:reminder-after OVERDUE 2026-02-10',
      'O3:I3:reminder-after OVERDUE 2026-02-10',
    ]);
  });

  it('finance on 03-12: the formal notices, C2’s call, and the managers’ calls (bob has no manager)', async () => {
    const page = await worklist({ asOf: T('2026-03-12'), assignee: 'finance' });
    expect(brief(page.items)).toEqual([
      'O5:I5:call-now OVERDUE 2026-02-09',
      'O3:I3:call OVERDUE 2026-02-15',
      'O1:I1:call OVERDUE 2026-02-24',
      'O2:I2:call OVERDUE 2026-03-06',
      'O1:I1:formal-notice DUE 2026-03-11',
      'O3:I3:formal-notice DUE 2026-03-11',
    ]);
  });

  it('status filter: UPCOMING only, and DONE only', async () => {
    const upcoming = await worklist({ asOf: T('2026-02-15'), assignee: 'alice', statuses: ['UPCOMING'] });
    expect(brief(upcoming.items)).toEqual([
      'O2:I2:reminder-before UPCOMING 2026-02-16',
      'O2:I2:reminder-after UPCOMING 2026-02-20',
    ]);
    const done = await worklist({ asOf: T('2026-02-15'), statuses: ['DONE'] });
    expect(brief(done.items)).toEqual(['O1:I1:reminder-before DONE 2026-02-06']);
  });

  it('pages with a cursor give every task once, in order', async () => {
    const all = await worklist({ asOf: T('2026-05-01'), statuses: EVERY_STATUS, limit: 1000 });
    expect(all.items.length).toBe(21); // 4 invoices × 5 default steps + C2's one step
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 30; pages++) {
      const page = await worklist({
        asOf: T('2026-05-01'),
        statuses: EVERY_STATUS,
        limit: 4,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((t) => t.taskId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.items.map((t) => t.taskId));
  });

  it('knownAt before the action was recorded: the reminder is not yet done', async () => {
    const actionRecordedAt = EVENTS.find((e) => e.type === 'CollectionActionTaken')!.recordedAt;
    const before = new Date(Date.parse(actionRecordedAt) - 1).toISOString();
    const page = await worklist({ asOf: T('2026-02-15'), assignee: 'alice', knownAt: before });
    expect(brief(page.items)).toContain('O1:I1:reminder-before OVERDUE 2026-02-06');
  });
});

describe('scopes', () => {
  const team: ReadScope = { kind: 'team', teamId: 'east' };
  it('a manager of team east (mgr) reads the team’s and their own tasks, not finance’s nor carol’s', async () => {
    const page = await worklist({ asOf: T('2026-03-12'), scope: team, self: 'mgr', limit: 1000 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const t of page.items) expect(t.assignees.some((a) => ['mgr', 'alice', 'bob'].includes(a))).toBe(true);
    expect(page.items.some((t) => t.taskId === 'O5:I5:call-now')).toBe(false);
    await expect(worklist({ asOf: T('2026-03-12'), scope: team, self: 'mgr', assignee: 'finance' })).rejects.toThrow(
      ForbiddenException,
    );
    await expect(worklist({ asOf: T('2026-03-12'), scope: team, self: 'mgr', assignee: 'carol' })).rejects.toThrow(
      ForbiddenException,
    );
    expect(brief((await worklist({ asOf: T('2026-02-15'), scope: team, self: 'mgr', assignee: 'mgr' })).items)).toEqual(
      ['O3:I3:call DUE 2026-02-15'],
    );
  });

  it('a rep reads only their own tasks', async () => {
    const rep: ReadScope = { kind: 'salesperson', salespersonId: 'bob' };
    const page = await worklist({ asOf: T('2026-03-12'), scope: rep, limit: 1000 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const t of page.items) expect(t.assignees).toContain('bob');
    await expect(worklist({ asOf: T('2026-03-12'), scope: rep, assignee: 'alice' })).rejects.toThrow(
      ForbiddenException,
    );
  });
});
