/**
 * Regression (found by a property test, fixed): the global log is sorted as TEXT.
 *
 * `COLUMNS` (postgres-event-store.ts) selects `transaction_id::text AS transaction_id` and
 * `global_position::text AS global_position`; `readAll` then says
 * `ORDER BY transaction_id, global_position` and `visibleHead` says
 * `ORDER BY transaction_id DESC, global_position DESC`. In PostgreSQL an ORDER BY name that is
 * also an output column's alias sorts by that output column, i.e. by the text: '10' < '9' and
 * '1002' < '997'. (The WHERE clauses use the real columns, so filtering is right.) Effects:
 * - `readAll`/`subscribeToAll` deliver events out of global order as soon as positions or
 *   transaction ids cross a power of ten (in one page): a rebuild from zero replays e.g. every event
 *   of transaction 1000+ before those of 999 and below — payments before their sale's booking — and
 *   with more events than a page it can skip and repeat events (the next page starts after the
 *   textually last one);
 * - `headPosition` answers a stale head, so `waitUntilCaughtUp` returns early and
 *   GET /api/v1/projections reports a wrong headPosition and lag.
 * The fix is to order by the columns themselves (e.g. `ORDER BY es_events.transaction_id, es_events.global_position`).
 */
import { newEvent } from '../../eventsourcing/src/testing/event-store.contract';
import { START } from '../../eventsourcing/src/event';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { PostgresEventStore } from './postgres-event-store';

let db: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase(); // a fresh database: global positions start at 1
  store = PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
  // One transaction with 12 events: positions 1..12, all under the same transaction id.
  await store.appendToStream(
    'order-text-sort',
    Array.from({ length: 12 }, (_, i) => newEvent('TextSort', { i: i + 1 })),
  );
});

afterAll(async () => {
  await store.close();
  await db.drop();
});

it('readAll delivers the log in global order, 9 before 10', async () => {
  const page = await store.readAll({ after: START, maxCount: 100 });
  // Today: [1, 10, 11, 12, 2, 3, ..., 9]
  expect(page.events.map((e) => Number(e.globalPosition))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});

it('headPosition is the newest event (12), not the textually greatest (9)', async () => {
  expect((await store.headPosition()).minor).toBe(12n);
});

it('a subscriber from the start (a rebuild) receives 1..12 in order', async () => {
  const seen: number[] = [];
  const subscription = store.subscribeToAll(
    async (events) => {
      seen.push(...events.map((e) => Number(e.globalPosition)));
    },
    { batchSize: 5 },
  );
  const deadline = Date.now() + 5_000;
  while (seen.length < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await subscription.stop();
  // Today, in pages of 5: 1 10 11 12 2, then (after 2, numerically) 10 11 12 3 4, then 10 11 12 5 6, ...
  expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
});
