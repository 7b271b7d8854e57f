import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { attainmentBps, type DashboardChange, type DashboardCredit, projectDashboard } from './dashboard.projection';

function stored(type: string, data: unknown): StoredEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    metadata: { actor: 't', commandId: 'c', commandType: 'T', correlationId: 'x', causationId: 'y' },
    streamId: 's',
    streamRevision: 0n,
    globalPosition: 1n,
    logPosition: { major: 1n, minor: 1n },
  };
}

function run(events: StoredEvent[]): DashboardChange[] {
  const credits = new Map<string, DashboardCredit[]>();
  const all: DashboardChange[] = [];
  for (const e of events) {
    const changes = projectDashboard({ credits: (id) => credits.get(id) ?? [] }, e);
    for (const c of changes) {
      if (c.kind === 'credit') credits.set(c.credit.orderId, [...(credits.get(c.credit.orderId) ?? []), c.credit]);
    }
    all.push(...changes);
  }
  return all;
}

const facts = (changes: DashboardChange[]) =>
  changes.flatMap((c) =>
    c.kind === 'fact' ? [[c.fact.salespersonId, c.fact.kind, c.fact.period, c.fact.amount]] : [],
  );

describe('dashboard facts (domain.md §5)', () => {
  it('achieved is credited net bookings; collected is credited payments minus refunds, each in its own period', () => {
    const changes = run([
      stored('SaleBooked', {
        orderId: 'O1',
        customerId: 'C1',
        amount: { amount: 10_000_000, currency: 'USD' },
        bookedAt: '2026-01-10T00:00:00.000Z',
        salesCredits: [
          { salespersonId: 'alice', splitBps: 6000 },
          { salespersonId: 'bob', splitBps: 4000 },
        ],
        businessUnit: 'enterprise',
      }),
      stored('PaymentReceived', {
        orderId: 'O1',
        amount: { amount: 4_000_000, currency: 'USD' },
        receivedAt: '2026-02-01T00:00:00.000Z',
      }),
      stored('ProductReturned', {
        orderId: 'O1',
        amount: { amount: 1_000_000, currency: 'USD' },
        returnedAt: '2026-03-01T00:00:00.000Z',
        unpaidPart: 1_000_000,
        refundPart: 0,
      }),
      stored('OrderCancelled', {
        orderId: 'O1',
        amount: { amount: 9_000_000, currency: 'USD' },
        cancelledAt: '2026-05-01T00:00:00.000Z',
        unpaidPart: 5_000_000,
        refundPart: 4_000_000,
      }),
    ]);
    expect(facts(changes)).toEqual([
      ['alice', 'ACHIEVED', '2026-01', 6_000_000n],
      ['bob', 'ACHIEVED', '2026-01', 4_000_000n],
      ['alice', 'COLLECTED', '2026-02', 2_400_000n],
      ['bob', 'COLLECTED', '2026-02', 1_600_000n],
      ['alice', 'ACHIEVED', '2026-03', -600_000n],
      ['bob', 'ACHIEVED', '2026-03', -400_000n],
      ['alice', 'ACHIEVED', '2026-05', -5_400_000n],
      ['bob', 'ACHIEVED', '2026-05', -3_600_000n],
      ['alice', 'COLLECTED', '2026-05', -2_400_000n],
      ['bob', 'COLLECTED', '2026-05', -1_600_000n],
    ]);
  });

  it('given a secondary sale, then each credited salesperson achieves their share in the period it was sold in, with its business unit, and only the sale’s unit is kept (no credits)', () => {
    const changes = run([
      stored('SecondarySaleReported', {
        saleId: 'S1',
        distributorId: 'D1',
        amount: { amount: 1_000_001, currency: 'EUR' },
        soldAt: '2026-04-30T23:59:59.999Z',
        endCustomer: 'End Corp',
        businessUnit: 'retail',
        salesCredits: [
          { salespersonId: 'alice', splitBps: 5000 },
          { salespersonId: 'bob', splitBps: 5000 },
        ],
      }),
    ]);
    expect(changes.filter((c) => c.kind !== 'fact')).toEqual([
      { kind: 'secondary-sale', saleId: 'S1', businessUnit: 'retail' },
    ]);
    expect(
      changes.flatMap((c) =>
        c.kind === 'fact'
          ? [[c.fact.salespersonId, c.fact.kind, c.fact.period, c.fact.currency, c.fact.businessUnit, c.fact.amount]]
          : [],
      ),
    ).toEqual([
      ['alice', 'ACHIEVED', '2026-04', 'EUR', 'retail', 500_001n],
      ['bob', 'ACHIEVED', '2026-04', 'EUR', 'retail', 500_001n],
    ]);
  });

  it('given a primary sale to a distributor, then it is sell-in, never achieved: its cancellation and return take nothing off achieved, its payments are collected', () => {
    const sellIn = {
      orderId: 'P1',
      customerId: 'D1',
      amount: { amount: 5_000_000, currency: 'USD' },
      bookedAt: '2026-01-15T00:00:00.000Z',
      salesCredits: [
        { salespersonId: 'alice', splitBps: 7000 },
        { salespersonId: 'bob', splitBps: 3000 },
      ],
      businessUnit: 'retail',
      toDistributor: true,
    };
    const changes = run([
      stored('SaleBooked', sellIn),
      stored('SaleBooked', { ...sellIn, orderId: 'O2', customerId: 'C1', toDistributor: undefined }),
      stored('PaymentReceived', {
        orderId: 'P1',
        amount: { amount: 1_000_000, currency: 'USD' },
        receivedAt: '2026-02-01T00:00:00.000Z',
      }),
      stored('ProductReturned', {
        orderId: 'P1',
        amount: { amount: 500_000, currency: 'USD' },
        returnedAt: '2026-02-10T00:00:00.000Z',
        unpaidPart: 500_000,
        refundPart: 0,
      }),
      stored('OrderCancelled', {
        orderId: 'P1',
        amount: { amount: 4_500_000, currency: 'USD' },
        cancelledAt: '2026-03-01T00:00:00.000Z',
        unpaidPart: 3_500_000,
        refundPart: 1_000_000,
      }),
    ]);
    expect(
      changes.flatMap((c) =>
        c.kind === 'credit' ? [[c.credit.orderId, c.credit.salespersonId, c.credit.sellIn]] : [],
      ),
    ).toEqual([
      ['P1', 'alice', true],
      ['P1', 'bob', true],
      ['O2', 'alice', false],
      ['O2', 'bob', false],
    ]);
    expect(facts(changes)).toEqual([
      ['alice', 'SELL_IN', '2026-01', 3_500_000n],
      ['bob', 'SELL_IN', '2026-01', 1_500_000n],
      ['alice', 'ACHIEVED', '2026-01', 3_500_000n],
      ['bob', 'ACHIEVED', '2026-01', 1_500_000n],
      ['alice', 'COLLECTED', '2026-02', 700_000n],
      ['bob', 'COLLECTED', '2026-02', 300_000n],
      ['alice', 'SELL_IN', '2026-02', -350_000n],
      ['bob', 'SELL_IN', '2026-02', -150_000n],
      ['alice', 'SELL_IN', '2026-03', -3_150_000n],
      ['bob', 'SELL_IN', '2026-03', -1_350_000n],
      ['alice', 'COLLECTED', '2026-03', -700_000n],
      ['bob', 'COLLECTED', '2026-03', -300_000n],
    ]);
  });

  it('given quotas with and without a business unit, then each is kept under its own key, the one without as null', () => {
    const quota = (quotaId: string, businessUnit?: string) =>
      stored('QuotaSet', {
        quotaId,
        salespersonId: 'alice',
        year: 2026,
        annualTarget: { amount: 1_200, currency: 'USD' },
        monthlyWeightsBps: Array<number>(12).fill(833),
        monthlyTargets: Array<number>(12).fill(100),
        ...(businessUnit === undefined ? {} : { businessUnit }),
      });
    const changes = run([quota('Q1'), quota('Q2', 'retail'), quota('Q3', 'enterprise')]);
    expect(
      changes.flatMap((c) => (c.kind === 'quota' ? [[c.salespersonId, c.year, c.businessUnit, c.currency]] : [])),
    ).toEqual([
      ['alice', 2026, null, 'USD'],
      ['alice', 2026, 'retail', 'USD'],
      ['alice', 2026, 'enterprise', 'USD'],
    ]);
  });

  it('attainment is floored basis points, null without a target', () => {
    expect(attainmentBps(6_000_000n, 10_000_000n)).toBe(6000);
    expect(attainmentBps(1n, 3n)).toBe(3333);
    expect(attainmentBps(-1n, 3n)).toBe(-3334);
    expect(attainmentBps(5n, null)).toBeNull();
    expect(attainmentBps(5n, 0n)).toBeNull();
  });
});
