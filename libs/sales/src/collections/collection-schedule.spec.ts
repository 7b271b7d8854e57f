/**
 * The collection schedule as a pure function (docs/collections-and-credit.md § Collection
 * policies, actions, promises and disputes): given the facts, when asked at asOf (and knownAt),
 * then these tasks. Every date below is worked out by hand in the comments.
 */
import {
  type CollectionOrderEvent,
  type CollectionPolicyAssigned,
  type CollectionPolicyCreated,
  DEFAULT_COLLECTION_POLICY,
} from '../contracts/collections.events';
import type { OrderEvent } from '../contracts/sales.events';
import {
  type CollectionScheduleInput,
  type CollectionTask,
  collectionTasks,
  OVERDUE_GRACE_DAYS,
  type RecordedFact,
} from './collection-schedule';

const USD = (amount: number) => ({ amount, currency: 'USD' });
const T = (date: string) => `${date}T00:00:00.000Z`;
type Fact = RecordedFact<OrderEvent | CollectionOrderEvent>;
/** A fact recorded when it happened, unless said otherwise. */
const rec = <E extends OrderEvent | CollectionOrderEvent>(e: E, recordedAt = e.occurredAt): Fact =>
  ({ ...e, recordedAt }) as Fact;

const booked = rec({
  type: 'SaleBooked',
  occurredAt: T('2026-01-10'),
  data: {
    orderId: 'O1',
    customerId: 'C1',
    amount: USD(10_000_000),
    bookedAt: T('2026-01-10'),
    salesCredits: [
      { salespersonId: 'bob', splitBps: 4000 },
      { salespersonId: 'alice', splitBps: 6000 },
    ],
    paymentTermsDays: 30,
    dueDate: '2026-02-09',
    businessUnit: null,
    lines: [],
  },
});
const invoice = (invoiceId: string, issued: string, due: string, amount = 5_000_000) =>
  rec({
    type: 'InvoiceIssued',
    occurredAt: T(issued),
    data: { orderId: 'O1', invoiceId, amount: USD(amount), issuedAt: T(issued), dueDate: due },
  });
const payment = (paymentId: string, amount: number, date: string, recordedAt?: string) =>
  rec(
    {
      type: 'PaymentReceived',
      occurredAt: T(date),
      data: { orderId: 'O1', paymentId, amount: USD(amount), receivedAt: T(date) },
    },
    recordedAt,
  );
const action = (actionId: string, invoiceId: string, stepId: string | null, date: string) =>
  rec({
    type: 'CollectionActionTaken',
    occurredAt: T(date),
    data: { orderId: 'O1', invoiceId, actionId, stepId, action: 'REMINDER', takenAt: T(date), note: null },
  });
const promise = (promiseId: string, amount: number, made: string, promisedDate: string) =>
  rec({
    type: 'PaymentPromised',
    occurredAt: T(made),
    data: { orderId: 'O1', invoiceId: 'INV-1', promiseId, amount: USD(amount), promisedDate, recordedAt: T(made) },
  });
const disputed = (disputeId: string, date: string, invoiceId = 'INV-1') =>
  rec({
    type: 'InvoiceDisputed',
    occurredAt: T(date),
    data: { orderId: 'O1', invoiceId, disputeId, reason: 'damaged', disputedAt: T(date) },
  });
const resolved = (disputeId: string, date: string, invoiceId = 'INV-1') =>
  rec({
    type: 'InvoiceDisputeResolved',
    occurredAt: T(date),
    data: { orderId: 'O1', invoiceId, disputeId, resolvedAt: T(date), outcome: null },
  });

// INV-1: 50,000.00 issued 2026-01-15, due 2026-02-14. Default policy dates:
// reminder-before −3 → 02-11, reminder-after +1 → 02-15, call +15 → 03-01 (February has 28 days),
// formal-notice +30 → 03-16, legal-handoff +60 → 04-15.
const inv1 = invoice('INV-1', '2026-01-15', '2026-02-14');

const tasksAt = (orderEvents: Fact[], asOf: string, more: Partial<CollectionScheduleInput> = {}) =>
  collectionTasks({
    orderEvents,
    policyAssignments: [],
    policies: {},
    managers: { alice: 'mgr-east', bob: null },
    asOf,
    ...more,
  });
const byStep = (tasks: CollectionTask[], invoiceId = 'INV-1') =>
  Object.fromEntries(
    tasks
      .filter((t) => t.invoiceId === invoiceId)
      .map((t) => [t.stepId, { status: t.status, dueDate: t.dueDate, daysPastDue: t.daysPastDue }]),
  );

describe('the default policy, due and overdue', () => {
  it('given INV-1 and nothing else, at 2026-02-16: −3 is OVERDUE (5 days > grace 3), +1 DUE (1 day), the rest UPCOMING', () => {
    const tasks = tasksAt([booked, inv1], '2026-02-16T12:00:00.000Z');
    expect(OVERDUE_GRACE_DAYS).toBe(3);
    expect(byStep(tasks)).toEqual({
      'reminder-before': { status: 'OVERDUE', dueDate: '2026-02-11', daysPastDue: 5 },
      'reminder-after': { status: 'DUE', dueDate: '2026-02-15', daysPastDue: 1 },
      call: { status: 'UPCOMING', dueDate: '2026-03-01', daysPastDue: 0 },
      'formal-notice': { status: 'UPCOMING', dueDate: '2026-03-16', daysPastDue: 0 },
      'legal-handoff': { status: 'UPCOMING', dueDate: '2026-04-15', daysPastDue: 0 },
    });
    expect(tasks.map((t) => t.stepId)).toEqual(DEFAULT_COLLECTION_POLICY.steps.map((s) => s.stepId));
  });

  it('DUE on the due date and for 3 more days, OVERDUE from the 4th', () => {
    const status = (asOf: string) => byStep(tasksAt([booked, inv1], T(asOf)))['reminder-after']?.status;
    expect(['2026-02-14', '2026-02-15', '2026-02-18', '2026-02-19'].map(status)).toEqual([
      'UPCOMING',
      'DUE',
      'DUE',
      'OVERDUE',
    ]);
  });

  it('task ids, policy, assignees (salespeople sorted; MANAGER: their managers, finance for one without), amounts', () => {
    const [pre, , call, notice] = tasksAt([booked, inv1], T('2026-02-16'));
    expect(pre).toMatchObject({
      taskId: 'O1:INV-1:reminder-before',
      orderId: 'O1',
      customerId: 'C1',
      invoiceId: 'INV-1',
      policyId: 'default',
      action: 'REMINDER',
      responsible: 'SALESPERSON',
      assignees: ['alice', 'bob'],
      scheduledDate: '2026-02-11',
      openAmount: 5_000_000,
      currency: 'USD',
      doneAt: null,
      raisedBy: null,
      pausedByDisputeId: null,
    });
    expect(call).toMatchObject({ responsible: 'MANAGER', assignees: ['finance', 'mgr-east'] });
    expect(notice).toMatchObject({ responsible: 'FINANCE', assignees: ['finance'] });
  });

  it('a negative step never falls due before its invoice: issued 02-13, due 02-14 → reminder-before on 02-13', () => {
    const late = invoice('INV-1', '2026-02-13', '2026-02-14');
    const [pre] = tasksAt([booked, late], T('2026-02-13'));
    expect(pre).toMatchObject({ scheduledDate: '2026-02-13', dueDate: '2026-02-13', status: 'DUE' });
  });

  it('nothing before the sale or the invoice exists at asOf', () => {
    expect(tasksAt([booked, inv1], T('2026-01-09'))).toEqual([]);
    expect(tasksAt([booked, inv1], T('2026-01-14'))).toEqual([]);
    expect(tasksAt([booked, inv1], T('2026-01-15'))).toHaveLength(5);
  });
});

describe('done and cancelled', () => {
  it('an action for a step makes it DONE at its earliest takenAt; an action without a step completes nothing', () => {
    const tasks = tasksAt(
      [
        booked,
        inv1,
        action('A2', 'INV-1', 'reminder-before', '2026-02-12'),
        action('A1', 'INV-1', 'reminder-before', '2026-02-11'),
        action('A3', 'INV-1', null, '2026-02-15'),
      ],
      T('2026-02-16'),
    );
    expect(tasks[0]).toMatchObject({ status: 'DONE', doneAt: T('2026-02-11'), doneByActionId: 'A1', daysPastDue: 0 });
    expect(tasks[1]).toMatchObject({ stepId: 'reminder-after', status: 'DUE' });
  });

  it('an action taken after asOf does not count yet', () => {
    const tasks = tasksAt([booked, inv1, action('A1', 'INV-1', 'reminder-before', '2026-02-17')], T('2026-02-16'));
    expect(tasks[0]?.status).toBe('OVERDUE');
  });

  it('paid in full on 02-13: every step not done is CANCELLED from then on, a done one stays DONE', () => {
    const facts = [
      booked,
      inv1,
      action('A1', 'INV-1', 'reminder-before', '2026-02-11'),
      payment('PAY-1', 10_000_000, '2026-02-13'),
    ];
    expect(tasksAt(facts, T('2026-02-16')).map((t) => t.status)).toEqual([
      'DONE',
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
      'CANCELLED',
    ]);
    // On 02-12 the payment had not happened yet.
    expect(tasksAt(facts, T('2026-02-12')).map((t) => t.status)).toEqual([
      'DONE',
      'UPCOMING',
      'UPCOMING',
      'UPCOMING',
      'UPCOMING',
    ]);
  });

  it('a write-off of the whole debt cancels the open steps too', () => {
    const writeOff = rec({
      type: 'DebtWrittenOff',
      occurredAt: T('2026-03-05'),
      data: {
        orderId: 'O1',
        writeOffId: 'WO-1',
        amount: USD(10_000_000),
        writtenOffAt: T('2026-03-05'),
        reason: 'insolvent',
        bookedAt: T('2026-01-10'),
      },
    });
    const tasks = tasksAt([booked, inv1, writeOff], T('2026-03-20'));
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(['CANCELLED']));
    expect(tasks[0]?.openAmount).toBe(0);
  });
});

describe('several invoices: payments settle the oldest first', () => {
  // INV-2: 50,000.00 issued 2026-02-01, due 2026-03-03: reminder-before 02-28, reminder-after 03-04.
  const inv2 = invoice('INV-2', '2026-02-01', '2026-03-03');

  it('50,000.00 paid on 02-10 settles INV-1 (all CANCELLED) while INV-2 runs its own schedule', () => {
    const tasks = tasksAt([booked, inv1, inv2, payment('PAY-1', 5_000_000, '2026-02-10')], T('2026-03-01'));
    expect(new Set(tasks.filter((t) => t.invoiceId === 'INV-1').map((t) => t.status))).toEqual(new Set(['CANCELLED']));
    expect(byStep(tasks, 'INV-2')).toMatchObject({
      'reminder-before': { status: 'DUE', dueDate: '2026-02-28', daysPastDue: 1 },
      'reminder-after': { status: 'UPCOMING', dueDate: '2026-03-04' },
    });
    expect(tasks.find((t) => t.invoiceId === 'INV-2')?.openAmount).toBe(5_000_000);
  });

  it('a part payment of 70,000.00 leaves INV-1 at 0 and INV-2 at 30,000.00', () => {
    const tasks = tasksAt([booked, inv1, inv2, payment('PAY-1', 7_000_000, '2026-02-10')], T('2026-03-01'));
    expect(tasks.find((t) => t.invoiceId === 'INV-1')?.openAmount).toBe(0);
    expect(tasks.find((t) => t.invoiceId === 'INV-2')?.openAmount).toBe(3_000_000);
  });

  it('a prepayment on the uninvoiced part settles nothing until invoiced: 100,000 order, 40,000 invoiced, 50,000 paid → INV-1 settled', () => {
    const small = invoice('INV-1', '2026-01-15', '2026-02-14', 4_000_000);
    const tasks = tasksAt([booked, small, payment('PAY-1', 5_000_000, '2026-01-20')], T('2026-02-16'));
    expect(tasks[0]?.openAmount).toBe(0);
  });
});

describe('disputes pause the schedule', () => {
  it('disputed 02-12, resolved 02-20: steps from 02-12 on move 8 days later; the −3 step (02-11) keeps its date', () => {
    const tasks = tasksAt([booked, inv1, disputed('D1', '2026-02-12'), resolved('D1', '2026-02-20')], T('2026-02-25'));
    expect(byStep(tasks)).toEqual({
      'reminder-before': { status: 'OVERDUE', dueDate: '2026-02-11', daysPastDue: 14 },
      'reminder-after': { status: 'DUE', dueDate: '2026-02-23', daysPastDue: 2 },
      call: { status: 'UPCOMING', dueDate: '2026-03-09', daysPastDue: 0 },
      'formal-notice': { status: 'UPCOMING', dueDate: '2026-03-24', daysPastDue: 0 },
      'legal-handoff': { status: 'UPCOMING', dueDate: '2026-04-23', daysPastDue: 0 },
    });
    expect(tasks[1]).toMatchObject({ scheduledDate: '2026-02-15', pausedByDisputeId: null });
  });

  it('still open at 02-16: it counts as resolved on 02-17, so what it holds stays UPCOMING and names the dispute', () => {
    const tasks = tasksAt([booked, inv1, disputed('D1', '2026-02-12')], T('2026-02-16'));
    expect(tasks[0]).toMatchObject({ stepId: 'reminder-before', status: 'OVERDUE', pausedByDisputeId: null });
    expect(tasks[1]).toMatchObject({
      stepId: 'reminder-after',
      status: 'UPCOMING',
      dueDate: '2026-02-20',
      pausedByDisputeId: 'D1',
    });
    // And a month later, still open: nothing new has fallen due.
    const later = tasksAt([booked, inv1, disputed('D1', '2026-02-12')], T('2026-03-20'));
    expect(later.slice(1).map((t) => t.status)).toEqual(['UPCOMING', 'UPCOMING', 'UPCOMING', 'UPCOMING']);
  });

  it('two disputes add up: 02-12→02-20 (8 days) and 03-01→03-04 (3 days): call 03-01 → 03-09 → 03-12', () => {
    const tasks = tasksAt(
      [
        booked,
        inv1,
        disputed('D1', '2026-02-12'),
        resolved('D1', '2026-02-20'),
        disputed('D2', '2026-03-01'),
        resolved('D2', '2026-03-04'),
      ],
      T('2026-03-12'),
    );
    expect(byStep(tasks)['call']).toEqual({ status: 'DUE', dueDate: '2026-03-12', daysPastDue: 0 });
    expect(byStep(tasks)['formal-notice']?.dueDate).toBe('2026-03-27');
  });

  it('a dispute of another invoice does not move this one', () => {
    const inv2 = invoice('INV-2', '2026-02-01', '2026-03-03');
    const tasks = tasksAt([booked, inv1, inv2, disputed('D1', '2026-02-12', 'INV-2')], T('2026-02-16'));
    expect(byStep(tasks)['reminder-after']).toEqual({ status: 'DUE', dueDate: '2026-02-15', daysPastDue: 1 });
  });
});

describe('promises to pay', () => {
  // Promise made 02-16 to pay 30,000.00 of INV-1 by 02-20: judged from 02-21.
  const made = promise('PR1', 3_000_000, '2026-02-16', '2026-02-20');

  it('broken (nothing paid): the next step after 02-20 (call, 03-01) is raised to 02-21', () => {
    const tasks = tasksAt([booked, inv1, made], T('2026-02-22'));
    expect(tasks[2]).toMatchObject({
      stepId: 'call',
      scheduledDate: '2026-03-01',
      dueDate: '2026-02-21',
      status: 'DUE',
      daysPastDue: 1,
      raisedBy: 'BROKEN_PROMISE',
      raisedByPromiseId: 'PR1',
    });
    expect(tasks[3]).toMatchObject({ stepId: 'formal-notice', dueDate: '2026-03-16', raisedBy: null });
  });

  it('not judged before the day after the promised date', () => {
    expect(tasksAt([booked, inv1, made], T('2026-02-20'))[2]).toMatchObject({ dueDate: '2026-03-01', raisedBy: null });
  });

  it('kept: 30,000.00 paid on the promised date itself leaves the schedule alone', () => {
    const kept = tasksAt([booked, inv1, made, payment('P1', 3_000_000, '2026-02-20')], T('2026-02-22'));
    expect(kept[2]).toMatchObject({ dueDate: '2026-03-01', raisedBy: null });
  });

  it('broken: only 20,000.00 paid by 02-20, or the payment came on 02-21, or it was paid before the promise was made', () => {
    for (const facts of [
      [payment('P1', 2_000_000, '2026-02-19')],
      [payment('P1', 3_000_000, '2026-02-21')],
      [payment('P0', 1_000_000, '2026-02-15')],
    ]) {
      const tasks = tasksAt([booked, inv1, made, ...facts], T('2026-02-22'));
      expect(tasks[2]).toMatchObject({ stepId: 'call', dueDate: '2026-02-21', raisedBy: 'BROKEN_PROMISE' });
    }
  });

  it('a step done by the promised date is skipped; two broken promises raise two steps', () => {
    const tasks = tasksAt(
      [
        booked,
        inv1,
        action('A1', 'INV-1', 'call', '2026-02-18'),
        made,
        promise('PR2', 1_000_000, '2026-02-21', '2026-02-25'),
      ],
      T('2026-02-27'),
    );
    expect(byStep(tasks)).toMatchObject({
      call: { status: 'DONE' },
      'formal-notice': { status: 'OVERDUE', dueDate: '2026-02-21', daysPastDue: 6 },
      'legal-handoff': { status: 'DUE', dueDate: '2026-02-26', daysPastDue: 1 },
    });
  });
});

describe('the policy of an invoice, and knownAt', () => {
  const strict: CollectionPolicyCreated['data'] = {
    policyId: 'strict-v1',
    name: 'Strict',
    steps: [
      { stepId: 'pre', offsetDays: -5, action: 'REMINDER', responsible: 'SALESPERSON' },
      { stepId: 'legal', offsetDays: 20, action: 'LEGAL_HANDOFF', responsible: 'FINANCE' },
    ],
  };
  const assigned = (assignmentId: string, policyId: string, effectiveFrom: string, recordedAt: string) =>
    ({
      type: 'CollectionPolicyAssigned',
      occurredAt: T(effectiveFrom),
      recordedAt,
      data: { customerId: 'C1', assignmentId, policyId, effectiveFrom },
    }) as RecordedFact<CollectionPolicyAssigned>;
  const inv2 = invoice('INV-2', '2026-02-01', '2026-03-03');

  it('by issue date: strict from 02-01 applies to INV-2 (issued 02-01), not to INV-1 (issued 01-15)', () => {
    const tasks = tasksAt([booked, inv1, inv2], T('2026-02-20'), {
      policyAssignments: [assigned('CPA1', 'strict-v1', '2026-02-01', T('2026-01-20'))],
      policies: { 'strict-v1': strict },
    });
    expect(tasks.filter((t) => t.invoiceId === 'INV-1').map((t) => t.policyId)).toEqual(Array(5).fill('default'));
    expect(tasks.filter((t) => t.invoiceId === 'INV-2').map((t) => [t.policyId, t.stepId, t.dueDate])).toEqual([
      ['strict-v1', 'pre', '2026-02-26'],
      ['strict-v1', 'legal', '2026-03-23'],
    ]);
  });

  it('the latest effectiveFrom wins, ties go to the one recorded last; `default` goes back to the built-in policy', () => {
    const policies = { 'strict-v1': strict };
    const ids = (assignments: RecordedFact<CollectionPolicyAssigned>[]) =>
      tasksAt([booked, inv1, inv2], T('2026-02-20'), { policyAssignments: assignments, policies })
        .filter((t) => t.invoiceId === 'INV-2')
        .map((t) => t.policyId)[0];
    expect(
      ids([
        assigned('CPA1', 'strict-v1', '2026-01-01', T('2026-01-01')),
        assigned('CPA2', 'default', '2026-01-20', T('2026-01-02')),
      ]),
    ).toBe('default');
    expect(
      ids([
        assigned('CPA1', 'default', '2026-01-20', T('2026-01-01')),
        assigned('CPA2', 'strict-v1', '2026-01-20', T('2026-01-02')),
      ]),
    ).toBe('strict-v1');
    expect(ids([assigned('CPA1', 'strict-v1', '2026-02-02', T('2026-01-01'))])).toBe('default');
  });

  it('knownAt: an assignment or a payment recorded later is not known yet', () => {
    const late = [assigned('CPA1', 'strict-v1', '2026-01-01', T('2026-03-01'))];
    const policies = { 'strict-v1': strict };
    expect(
      tasksAt([booked, inv1], T('2026-02-20'), { policyAssignments: late, policies, knownAt: T('2026-02-20') })[0]
        ?.policyId,
    ).toBe('default');
    expect(tasksAt([booked, inv1], T('2026-02-20'), { policyAssignments: late, policies })[0]?.policyId).toBe(
      'strict-v1',
    );
    // Paid on 02-13 but recorded only on 03-01: known at 02-20, the invoice was still open.
    const facts = [booked, inv1, payment('P1', 10_000_000, '2026-02-13', T('2026-03-01'))];
    expect(tasksAt(facts, T('2026-02-20'), { knownAt: T('2026-02-20') })[1]?.status).toBe('OVERDUE');
    expect(tasksAt(facts, T('2026-02-20'))[1]?.status).toBe('CANCELLED');
  });
});
