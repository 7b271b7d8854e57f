/**
 * Period close race (issue 4, item 5): PeriodClosed records statements computed at the ledger's
 * checkpoint `throughLogPosition` (H). Entries the ledger posted to the closing period (or
 * earlier) from events after H are not in those statements: PeriodClosed reposts them to the
 * next period, so the ledger agrees with the recorded statements exactly.
 */
import { randomUUID } from 'node:crypto';
import { formatLogPosition, type LogPosition, type StoredEvent } from '../../../eventsourcing/src/event';
import {
  InMemoryLedgerView,
  type LedgerChange,
  ledgerEntryId,
  nextPeriod,
  projectLedger,
} from './commission-ledger.projection';

let counter = 0n;
/** An event at the next global position; its log position is the same unless given. */
function stored(type: string, data: unknown, options: { log?: LogPosition; recordedAt?: string } = {}): StoredEvent {
  counter += 1n;
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    occurredAt: '2026-01-10T00:00:00.000Z',
    recordedAt: options.recordedAt ?? '2026-02-01T09:00:00.000Z',
    metadata: { actor: 't', commandId: 'c', commandType: 'T', correlationId: 'x', causationId: 'y' },
    streamId: 's',
    streamRevision: 0n,
    globalPosition: counter,
    logPosition: options.log ?? { major: counter, minor: counter },
  };
}

const setup = () => [
  stored('PlanCreated', {
    planId: 'P1',
    name: 'P1',
    currency: 'USD',
    basis: 'BOOKING',
    rateBps: 1000,
    clawback: { windowDays: 90, percentBps: 10000 },
  }),
  stored('PlanAssigned', { assignmentId: 'A1', salespersonId: 'alice', planId: 'P1', effectiveFrom: '2025-01-01' }),
];
const sale = (orderId: string, bookedAt: string, options: { log?: LogPosition } = {}) =>
  stored(
    'SaleBooked',
    {
      orderId,
      customerId: 'C1',
      amount: { amount: 10_000, currency: 'USD' },
      bookedAt,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
      paymentTermsDays: 30,
      dueDate: '2026-03-01',
      businessUnit: null,
      lines: [],
    },
    options,
  );
const close = (period: string, through: StoredEvent | LogPosition | null | undefined, recordedAt?: string) =>
  stored(
    'PeriodClosed',
    {
      period,
      closedBy: 'finance',
      throughPosition: null,
      ...(through === undefined
        ? {}
        : {
            throughLogPosition:
              through === null ? null : formatLogPosition('logPosition' in through ? through.logPosition : through),
          }),
      statements: [],
    },
    recordedAt ? { recordedAt } : {},
  );
const earned = (e: StoredEvent) => ledgerEntryId(e.id, 'alice', 'EARNED');

/** Runs the events through one view; answers the view and the changes of each event. */
function run(events: readonly StoredEvent[], view = new InMemoryLedgerView()) {
  const changes: LedgerChange[][] = [];
  for (const e of events) {
    const cs = projectLedger(view, e);
    cs.forEach((c) => view.apply(c));
    changes.push(cs);
  }
  return { view, changes, last: changes[changes.length - 1] ?? [] };
}
const reposts = (changes: readonly LedgerChange[]) => changes.filter((c) => c.kind === 'repost');
const placeOf = (view: InMemoryLedgerView, entryId: string) => {
  const e = view.posted.get(entryId);
  return e && [e.period, e.originalPeriod];
};

describe('PeriodClosed reposts what came after its checkpoint', () => {
  it('given an entry posted to P after H, when P closes through H, then it moves to P+1 with originalPeriod P', () => {
    const o1 = sale('O1', '2026-01-10T00:00:00.000Z');
    const late = sale('O2', '2026-01-20T00:00:00.000Z');
    const closing = close('2026-01', o1, '2026-02-01T10:00:00.000Z');
    const { view, last } = run([...setup(), o1, late, closing]);
    expect(last).toEqual([
      { kind: 'period-closed', period: '2026-01' },
      {
        kind: 'repost',
        entryId: earned(late),
        salespersonId: 'alice',
        fromPeriod: '2026-01',
        toPeriod: '2026-02',
        originalPeriod: '2026-01',
        at: '2026-02-01T10:00:00.000Z',
        closeEventId: closing.id,
      },
    ]);
    expect(placeOf(view, earned(o1))).toEqual(['2026-01', null]);
    expect(placeOf(view, earned(late))).toEqual(['2026-02', '2026-01']);
  });

  it('reposts nothing when H is at or after every posted entry', () => {
    const o1 = sale('O1', '2026-01-10T00:00:00.000Z');
    const o2 = sale('O2', '2026-01-20T00:00:00.000Z');
    expect(run([...setup(), o1, o2, close('2026-01', o2)]).last).toEqual([
      { kind: 'period-closed', period: '2026-01' },
    ]);
  });

  it('reposts nothing for PeriodClosed without throughLogPosition (recorded before it existed) or with null', () => {
    const o1 = sale('O1', '2026-01-10T00:00:00.000Z');
    for (const through of [undefined, null]) {
      expect(reposts(run([...setup(), o1, close('2026-01', through)]).last)).toEqual([]);
    }
  });

  it('leaves entries of later periods where they are', () => {
    const o1 = sale('O1', '2026-01-10T00:00:00.000Z');
    const feb = sale('O2', '2026-02-03T00:00:00.000Z');
    const { view, last } = run([...setup(), o1, feb, close('2026-01', o1)]);
    expect(reposts(last)).toEqual([]);
    expect(placeOf(view, earned(feb))).toEqual(['2026-02', null]);
  });

  it('keeps the originalPeriod of a prior-period entry it reposts', () => {
    const o1 = sale('O1', '2026-01-10T00:00:00.000Z');
    const janClose = close('2026-01', o1);
    const lateJan = sale('O2', '2026-01-25T00:00:00.000Z'); // after January closed: posted to February
    const { view, changes } = run([...setup(), o1, janClose, lateJan, close('2026-02', janClose)]);
    expect(placeOf(view, earned(lateJan))).toEqual(['2026-03', '2026-01']);
    expect(reposts(changes[changes.length - 1] ?? [])).toEqual([
      expect.objectContaining({ fromPeriod: '2026-02', toPeriod: '2026-03', originalPeriod: '2026-01' }),
    ]);
  });

  it('compares log positions, not global positions', () => {
    // PostgreSQL store: (transaction id, sequence). A lower global position can come later in the log.
    const first = sale('O1', '2026-01-10T00:00:00.000Z', { log: { major: 100n, minor: 1n } });
    const lowerGlobalButLater = sale('O2', '2026-01-11T00:00:00.000Z', { log: { major: 200n, minor: 0n } });
    const h: LogPosition = { major: 150n, minor: 99n };
    const { last } = run([...setup(), first, lowerGlobalButLater, close('2026-01', h)]);
    expect(reposts(last).map((c) => c.kind === 'repost' && c.entryId)).toEqual([earned(lowerGlobalButLater)]);
  });

  it('sees entries loaded from the read model and those of the same batch, in ledger order', () => {
    const loaded = sale('O1', '2026-01-10T00:00:00.000Z');
    const inBatch = sale('O2', '2026-01-12T00:00:00.000Z');
    const h: LogPosition = { major: 0n, minor: 0n };
    // What the projector does: a fresh view, the entries the batch's closes may repost loaded first.
    const { view: before } = run([...setup(), loaded]);
    const batchView = new InMemoryLedgerView();
    for (const e of before.posted.values()) batchView.remember(e);
    for (const [k, v] of before.plans) batchView.plans.set(k, v);
    for (const [k, v] of before.assignmentsBySalesperson) batchView.assignmentsBySalesperson.set(k, [...v]);
    const { last } = run([inBatch, close('2026-01', h)], batchView);
    expect(reposts(last).map((c) => c.kind === 'repost' && c.entryId)).toEqual([earned(loaded), earned(inBatch)]);
  });

  it('two closes in a row: the second sees where the first moved an entry', () => {
    const o1 = sale('O1', '2026-01-10T00:00:00.000Z');
    const late = sale('O2', '2026-01-20T00:00:00.000Z');
    const janClose = close('2026-01', o1);
    // February closes through a checkpoint before the late sale too (a contrived checkpoint): it moves again.
    const { view } = run([...setup(), o1, late, janClose, close('2026-02', o1)]);
    expect(placeOf(view, earned(late))).toEqual(['2026-03', '2026-01']);
    expect(nextPeriod('2026-12')).toBe('2027-01');
  });
});
