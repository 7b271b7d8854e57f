/**
 * The ledger's rows must not depend on how the log was cut into batches: a rebuild (big batches)
 * must give exactly what the live projector built (small batches).
 *
 * Regression (found by a property test, fixed): CommissionLedgerProjector.write() numbers
 * `ledger_order_credits.position` by the credit's index among ALL the order credits the batch
 * touched (`position: known?.position ?? credits.size`), not within its order. Booked alone, an
 * order's credits get 0, 1, ...; booked in a batch after other orders (or after a payment on an
 * older order, which also touches its credits) they get larger numbers. The relative order within
 * an order, which is all `loadView` uses (ORDER BY order_id, position), is the same, so amounts
 * are right, but a rebuild does not reproduce the read model bit for bit.
 */
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { storedEventFactory } from '../../../eventsourcing/src/testing/stored-event';
import { createDataSource } from '../../../platform/src/database/data-source';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { CommissionLedgerProjector } from './commission-ledger.projector';

const stored = storedEventFactory({ recordedAt: '2026-01-10T09:00:00.000Z' });

const sale = (orderId: string) =>
  stored('SaleBooked', {
    orderId,
    customerId: 'C1',
    amount: { amount: 10_000, currency: 'USD' },
    bookedAt: '2026-01-10T00:00:00.000Z',
    salesCredits: [
      { salespersonId: 'alice', splitBps: 6000 },
      { salespersonId: 'bob', splitBps: 4000 },
    ],
    paymentTermsDays: 30,
    dueDate: '2026-02-09',
    businessUnit: null,
    lines: [],
  });

const events: StoredEvent[] = [
  stored('PlanCreated', {
    planId: 'P1',
    name: 'P1',
    currency: 'USD',
    basis: 'COLLECTION',
    rateBps: 1000,
    clawback: { windowDays: 90, percentBps: 10000 },
  }),
  stored('PlanAssigned', { assignmentId: 'A1', salespersonId: 'alice', planId: 'P1', effectiveFrom: '2026-01-01' }),
  stored('PlanAssigned', { assignmentId: 'A2', salespersonId: 'bob', planId: 'P1', effectiveFrom: '2026-01-01' }),
  sale('O1'),
  stored('PaymentReceived', {
    orderId: 'O1',
    paymentId: 'PAY1',
    amount: { amount: 1_000, currency: 'USD' },
    receivedAt: '2026-01-20T00:00:00.000Z',
  }),
  sale('O2'),
];

const databases: TestDatabase[] = [];
const sources: DataSource[] = [];

async function ledgerAfter(batches: readonly (readonly StoredEvent[])[]): Promise<Record<string, unknown[]>> {
  const db = await createTestDatabase();
  databases.push(db);
  const ds = createDataSource(db.url, APP_SCHEMA, 'ledger-batching-test');
  await ds.initialize();
  sources.push(ds);
  const projector = new CommissionLedgerProjector();
  for (const batch of batches) await ds.transaction((manager) => projector.apply(batch, manager));
  return {
    credits: (await ds.query(
      'SELECT * FROM ledger_order_credits ORDER BY order_id, salesperson_id, override_of',
    )) as unknown[],
    entries: (await ds.query(
      'SELECT entry_id, salesperson_id, type, amount, period, order_id FROM ledger_entries ORDER BY seq',
    )) as unknown[],
  };
}

afterAll(async () => {
  for (const ds of sources) await ds.destroy();
  for (const db of databases) await db.drop();
});

it('the ledger entries do not depend on the batches (one at a time = all at once)', async () => {
  const oneByOne = await ledgerAfter(events.map((e) => [e]));
  const allAtOnce = await ledgerAfter([events]);
  expect(allAtOnce.entries).toEqual(oneByOne.entries);
  expect(allAtOnce.entries).toHaveLength(2); // alice and bob earn on the payment of O1 (COLLECTION)
});

it('ledger_order_credits rows do not depend on the batches (position is per batch)', async () => {
  const oneByOne = await ledgerAfter(events.map((e) => [e]));
  const allAtOnce = await ledgerAfter([events]);
  // Today: O2's credits are at positions 0, 1 when booked in a batch of its own, 2, 3 in one batch with O1.
  expect(allAtOnce.credits).toEqual(oneByOne.credits);
});
