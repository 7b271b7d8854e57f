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

  it('attainment is floored basis points, null without a target', () => {
    expect(attainmentBps(6_000_000n, 10_000_000n)).toBe(6000);
    expect(attainmentBps(1n, 3n)).toBe(3333);
    expect(attainmentBps(-1n, 3n)).toBe(-3334);
    expect(attainmentBps(5n, null)).toBeNull();
    expect(attainmentBps(5n, 0n)).toBeNull();
  });
});
