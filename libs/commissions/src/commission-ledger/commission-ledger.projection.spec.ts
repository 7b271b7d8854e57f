import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { InMemoryLedgerView, type LedgerChange, ledgerEntryId, projectLedger } from './commission-ledger.projection';

let position = 0n;
function stored(type: string, data: unknown, occurredAt = '2026-01-01T00:00:00.000Z'): StoredEvent {
  position += 1n;
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    occurredAt,
    recordedAt: '2026-01-10T09:00:00.000Z',
    metadata: { actor: 't', commandId: 'c', commandType: 'T', correlationId: 'x', causationId: 'y' },
    streamId: 's',
    streamRevision: 0n,
    globalPosition: position,
    logPosition: { major: position, minor: position },
  };
}

/** given(events) then the changes of the last event. */
function given(events: StoredEvent[]): LedgerChange[] {
  const view = new InMemoryLedgerView();
  let last: LedgerChange[] = [];
  for (const e of events) {
    last = projectLedger(view, e);
    last.forEach((c) => view.apply(c));
  }
  return last;
}

const plan = (planId: string, basis: 'BOOKING' | 'COLLECTION', rateBps: number, currency = 'USD') =>
  stored('PlanCreated', {
    planId,
    name: planId,
    currency,
    basis,
    rateBps,
    clawback: { windowDays: 90, percentBps: 10000 },
  });
const assign = (
  salespersonId: string,
  planId: string,
  effectiveFrom: string,
  assignmentId = `A-${salespersonId}-${planId}-${effectiveFrom}`,
) => stored('PlanAssigned', { assignmentId, salespersonId, planId, effectiveFrom });
const sale = (orderId: string, amount: number, bookedAt: string, credits: Array<[string, number]>) =>
  stored(
    'SaleBooked',
    {
      orderId,
      customerId: 'C1',
      amount: { amount, currency: 'USD' },
      bookedAt,
      salesCredits: credits.map(([salespersonId, splitBps]) => ({ salespersonId, splitBps })),
      paymentTermsDays: 30,
      dueDate: '2026-02-09',
      businessUnit: null,
      lines: [],
    },
    bookedAt,
  );

const entries = (changes: LedgerChange[]) =>
  changes.flatMap((c) =>
    c.kind === 'entry' ? [[c.entry.salespersonId, c.entry.type, c.entry.amount, c.entry.period]] : [],
  );

describe('commission ledger projection (BOOKING basis)', () => {
  it('example 1: 10,000,000 split 6000/4000 at 1000 bps earns 600,000 and 400,000 in the booking period', () => {
    const o1 = sale('O1', 10_000_000, '2026-01-10T00:00:00.000Z', [
      ['alice', 6000],
      ['bob', 4000],
    ]);
    const changes = given([
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      assign('bob', 'P1', '2026-01-01'),
      o1,
    ]);
    expect(entries(changes)).toEqual([
      ['alice', 'EARNED', 600_000n, '2026-01'],
      ['bob', 'EARNED', 400_000n, '2026-01'],
    ]);
    const first = changes.find((c) => c.kind === 'entry');
    expect(first?.kind === 'entry' && first.entry.entryId).toBe(ledgerEntryId(o1.id, 'alice', 'EARNED'));
    expect(first?.kind === 'entry' && first.entry.explanation).toMatchObject({
      baseAmount: 10_000_000,
      splitBps: 6000,
      rateBps: 1000,
      planId: 'P1',
    });
  });

  it('rounds half up once per entry: 333 × 3333 × 1000 / 10^8 = 11.09889 → 11', () => {
    const changes = given([
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      assign('bob', 'P1', '2026-01-01'),
      sale('R', 333, '2026-01-10T00:00:00.000Z', [
        ['alice', 3333],
        ['bob', 6667],
      ]),
    ]);
    expect(entries(changes)).toEqual([
      ['alice', 'EARNED', 11n, '2026-01'],
      ['bob', 'EARNED', 22n, '2026-01'],
    ]);
  });

  it('rounds exactly half up: 5 × 10000 × 1000 / 10^8 = 0.5 → 1', () => {
    const changes = given([
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      sale('H', 5, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
    ]);
    expect(entries(changes)).toEqual([['alice', 'EARNED', 1n, '2026-01']]);
  });

  it('uses exact integer arithmetic past 2^53', () => {
    const huge = Number.MAX_SAFE_INTEGER; // 9007199254740991 × 10000 × 10000 overflows doubles
    const changes = given([
      plan('P1', 'BOOKING', 10000),
      assign('alice', 'P1', '2026-01-01'),
      sale('B', huge, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
    ]);
    expect(entries(changes)).toEqual([['alice', 'EARNED', 9_007_199_254_740_991n, '2026-01']]);
  });

  it('applies the assignment with the latest effectiveFrom on or before the booking date', () => {
    const changes = given([
      plan('P1', 'BOOKING', 1000),
      plan('P3', 'BOOKING', 2000),
      assign('alice', 'P1', '2026-01-01'),
      assign('alice', 'P3', '2026-02-01'),
      sale('O', 1000, '2026-01-31T23:59:59.000Z', [['alice', 10000]]),
    ]);
    expect(entries(changes)).toEqual([['alice', 'EARNED', 100n, '2026-01']]);
    const feb = given([
      plan('P1', 'BOOKING', 1000),
      plan('P3', 'BOOKING', 2000),
      assign('alice', 'P1', '2026-01-01'),
      assign('alice', 'P3', '2026-02-01'),
      sale('O', 1000, '2026-02-01T00:00:00.000Z', [['alice', 10000]]),
    ]);
    expect(entries(feb)).toEqual([['alice', 'EARNED', 200n, '2026-02']]);
  });

  it('ignores assignments recorded after the sale was processed (no retroactive change)', () => {
    const view = new InMemoryLedgerView();
    for (const e of [plan('P1', 'BOOKING', 1000)]) projectLedger(view, e).forEach((c) => view.apply(c));
    const changes = projectLedger(view, sale('O', 1000, '2026-03-01T00:00:00.000Z', [['alice', 10000]]));
    expect(changes.map((c) => c.kind).filter((k) => k !== 'order-credit' && k !== 'attainment')).toEqual(['exception']);
  });

  it('lists a credited salesperson without a plan as NO_PLAN and earns nothing for them', () => {
    const changes = given([
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      sale('O', 1000, '2026-01-10T00:00:00.000Z', [
        ['alice', 5000],
        ['dave', 5000],
      ]),
    ]);
    expect(entries(changes)).toEqual([['alice', 'EARNED', 50n, '2026-01']]);
    expect(
      changes.filter((c) => c.kind === 'exception').map((c) => c.kind === 'exception' && c.exception.salespersonId),
    ).toEqual(['dave']);
  });

  it('earns nothing at booking under a COLLECTION plan', () => {
    const changes = given([
      plan('P2', 'COLLECTION', 500),
      assign('alice', 'P2', '2026-01-01'),
      sale('O', 1000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
    ]);
    expect(entries(changes)).toEqual([]);
  });

  it('books in the UTC period of the booking instant', () => {
    const changes = given([
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      sale('O', 1000, '2026-01-31T23:30:00.000Z', [['alice', 10000]]),
    ]);
    expect(entries(changes)).toEqual([['alice', 'EARNED', 100n, '2026-01']]);
  });
});

const payment = (orderId: string, amount: number, receivedAt: string) =>
  stored(
    'PaymentReceived',
    { orderId, paymentId: `${orderId}-${receivedAt}`, amount: { amount, currency: 'USD' }, receivedAt },
    receivedAt,
  );
const reduction = (
  type: 'OrderCancelled' | 'ProductReturned',
  orderId: string,
  amount: number,
  at: string,
  unpaidPart: number,
  refundPart: number,
) =>
  stored(
    type,
    {
      orderId,
      ...(type === 'OrderCancelled'
        ? { cancellationId: `X-${at}`, cancelledAt: at }
        : { returnId: `R-${at}`, returnedAt: at }),
      amount: { amount, currency: 'USD' },
      unpaidPart,
      refundPart,
      reason: 'test',
      bookedAt: '2026-01-10T00:00:00.000Z',
    },
    at,
  );
const writeOff = (orderId: string, amount: number, at: string) =>
  stored(
    'DebtWrittenOff',
    {
      orderId,
      writeOffId: `W-${at}`,
      writtenOffAt: at,
      amount: { amount, currency: 'USD' },
      reason: 'x',
      bookedAt: '2026-01-10T00:00:00.000Z',
    },
    at,
  );

/** All ledger entries the events make, in order. */
function allEntries(events: StoredEvent[]) {
  const view = new InMemoryLedgerView();
  const out: unknown[][] = [];
  for (const e of events) {
    const changes = projectLedger(view, e);
    changes.forEach((c) => view.apply(c));
    out.push(...entries(changes));
  }
  return out;
}

const p2 = () =>
  stored('PlanCreated', {
    planId: 'P2',
    name: 'P2',
    currency: 'USD',
    basis: 'COLLECTION',
    rateBps: 500,
    clawback: { windowDays: 60, percentBps: 5000 },
  });
const exampleBooking = () => [
  plan('P1', 'BOOKING', 1000),
  assign('alice', 'P1', '2026-01-01'),
  assign('bob', 'P1', '2026-01-01'),
  sale('O1', 10_000_000, '2026-01-10T00:00:00.000Z', [
    ['alice', 6000],
    ['bob', 4000],
  ]),
  payment('O1', 4_000_000, '2026-02-01T00:00:00.000Z'),
  reduction('ProductReturned', 'O1', 1_000_000, '2026-03-01T00:00:00.000Z', 1_000_000, 0),
  reduction('OrderCancelled', 'O1', 5_000_000, '2026-05-01T00:00:00.000Z', 5_000_000, 0),
];

describe('clawbacks and COLLECTION basis (domain.md §4 and §6)', () => {
  it('example 1 under P1: the return inside the window claws back 60,000 and 40,000; the late cancellation nothing', () => {
    expect(allEntries(exampleBooking())).toEqual([
      ['alice', 'EARNED', 600_000n, '2026-01'],
      ['bob', 'EARNED', 400_000n, '2026-01'],
      ['alice', 'CLAWBACK', -60_000n, '2026-03'],
      ['bob', 'CLAWBACK', -40_000n, '2026-03'],
    ]);
  });

  it('example 1 under P2: the payment earns 120,000 and 80,000; reductions of unpaid money claw nothing back', () => {
    const events = [
      p2(),
      assign('alice', 'P2', '2026-01-01'),
      assign('bob', 'P2', '2026-01-01'),
      ...exampleBooking().slice(3),
    ];
    expect(allEntries(events)).toEqual([
      ['alice', 'EARNED', 120_000n, '2026-02'],
      ['bob', 'EARNED', 80_000n, '2026-02'],
    ]);
  });

  it('COLLECTION: a refund within the window claws back percentBps of its commission', () => {
    const events = [
      p2(),
      assign('alice', 'P2', '2026-01-01'),
      sale('O', 10_000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
      payment('O', 10_000, '2026-01-20T00:00:00.000Z'),
      reduction('OrderCancelled', 'O', 10_000, '2026-02-01T00:00:00.000Z', 0, 10_000),
    ];
    // earned 10,000 × 5 % = 500; refund 10,000 → commission 500 × 50 % = 250
    expect(allEntries(events)).toEqual([
      ['alice', 'EARNED', 500n, '2026-01'],
      ['alice', 'CLAWBACK', -250n, '2026-02'],
    ]);
  });

  it('the window is inclusive: windowDays after booking claws back, one day later does not', () => {
    const base = [
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      sale('O', 1000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
    ];
    expect(
      allEntries([...base, reduction('ProductReturned', 'O', 100, '2026-04-10T23:00:00.000Z', 100, 0)]),
    ).toContainEqual(['alice', 'CLAWBACK', -10n, '2026-04']); // 90 days
    expect(
      allEntries([...base, reduction('ProductReturned', 'O', 100, '2026-04-11T00:00:00.000Z', 100, 0)]),
    ).not.toContainEqual(expect.arrayContaining(['CLAWBACK'])); // 91 days
  });

  it('BOOKING: a write-off within the window claws back; under COLLECTION it does not', () => {
    const booking = [
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      sale('O', 1000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
      writeOff('O', 1000, '2026-02-10T00:00:00.000Z'),
    ];
    expect(allEntries(booking)).toEqual([
      ['alice', 'EARNED', 100n, '2026-01'],
      ['alice', 'CLAWBACK', -100n, '2026-02'],
    ]);
    const collection = [
      p2(),
      assign('alice', 'P2', '2026-01-01'),
      sale('O', 1000, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
      writeOff('O', 1000, '2026-02-10T00:00:00.000Z'),
    ];
    expect(allEntries(collection)).toEqual([]);
  });

  it('never claws back more than was earned on the order (rounding cap)', () => {
    // 3 returns of 5 each on a sale of 15 at 10 %: earned round(1.5) = 2; each return claws round(0.5) = 1,
    // but the third may only take what is left: 0.
    const events = [
      plan('P1', 'BOOKING', 1000),
      assign('alice', 'P1', '2026-01-01'),
      sale('O', 15, '2026-01-10T00:00:00.000Z', [['alice', 10000]]),
      reduction('ProductReturned', 'O', 5, '2026-01-11T00:00:00.000Z', 5, 0),
      reduction('ProductReturned', 'O', 5, '2026-01-12T00:00:00.000Z', 5, 0),
      reduction('ProductReturned', 'O', 5, '2026-01-13T00:00:00.000Z', 5, 0),
    ];
    expect(allEntries(events)).toEqual([
      ['alice', 'EARNED', 2n, '2026-01'],
      ['alice', 'CLAWBACK', -1n, '2026-01'],
      ['alice', 'CLAWBACK', -1n, '2026-01'],
    ]);
  });
});
