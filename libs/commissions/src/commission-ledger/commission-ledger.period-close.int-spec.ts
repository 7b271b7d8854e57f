/**
 * The period-close race (issue 4, item 5), reproduced deterministically on PostgreSQL: the close
 * reads its statements at the ledger's checkpoint H, then a sale of the closing period is recorded
 * and applied by the ledger (posted to the closing period) before PeriodClosed is appended. When
 * the ledger reaches PeriodClosed it reposts that sale's entry to the next period, so the ledger
 * reproduces the recorded statements exactly, a knownAt between the two still shows the entry where
 * it was, and a rebuild from zero gives the same rows.
 */
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import type { NewEvent, StoredEvent } from '../../../eventsourcing/src/event';
import { newEvent } from '../../../eventsourcing/src/testing/event-store.contract';
import { PostgresEventStore } from '../../../eventstore-postgres/src/postgres-event-store';
import { createDataSource } from '../../../platform/src/database/data-source';
import { ProjectionEngine } from '../../../projections/src/projection-engine';
import { PERIODS_STREAM, type PeriodClosed } from '../contracts/commissions.events';
import {
  type CloseSnapshot,
  closeSnapshot,
  periodDigest,
  periodStatements,
} from '../periods/close-period/period-statements';
import { CommissionLedgerProjector } from './commission-ledger.projector';
import { GetLedgerQuery, GetLedgerQueryHandler } from './get-ledger.query-handler';
import type { LedgerDto } from './ledger.response.dto';

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;
let engine: ProjectionEngine;

beforeAll(async () => {
  db = await createTestDatabase();
  store = PostgresEventStore.connect(db.url, { pollIntervalMs: 20 });
  dataSource = createDataSource(db.url, APP_SCHEMA, 'period-close-race-test');
  await dataSource.initialize();
  engine = new ProjectionEngine(
    [new CommissionLedgerProjector()],
    store,
    dataSource,
    { connectionString: db.url },
    { retryDelayMs: 100, batchSize: 50, generationCheckMs: 100 },
  );
});

afterAll(async () => {
  await engine?.stop();
  await store?.close();
  await dataSource?.destroy();
  await db?.drop();
});

const caughtUp = () => engine.waitUntilCaughtUp(10_000, ['commission-ledger']);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Appends and answers the stored events (with their record time). */
async function append(streamId: string, events: NewEvent[]): Promise<StoredEvent[]> {
  await store.appendToStream(streamId, events);
  const ids = new Set(events.map((e) => e.id));
  return (await store.readStream(streamId)).filter((e) => ids.has(e.id));
}
const one = async (streamId: string, event: NewEvent): Promise<StoredEvent> => {
  const [stored] = await append(streamId, [event]);
  if (!stored) throw new Error('not appended');
  return stored;
};

const sale = (orderId: string, amount: number, bookedAt: string) =>
  one(
    `order-${orderId}`,
    newEvent(
      'SaleBooked',
      {
        orderId,
        customerId: 'C1',
        amount: { amount, currency: 'USD' },
        bookedAt,
        salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
        paymentTermsDays: 30,
        dueDate: '2026-04-30',
        businessUnit: null,
        lines: [],
      },
      bookedAt,
    ),
  );

/** What ClosePeriodHandler appends, from a snapshot taken earlier. */
const periodClosed = (period: string, snapshot: CloseSnapshot) =>
  one(
    PERIODS_STREAM,
    newEvent(
      'PeriodClosed',
      {
        period,
        closedBy: 'finance',
        throughPosition: snapshot.throughPosition,
        throughLogPosition: snapshot.throughLogPosition,
        statements: snapshot.statements,
      } satisfies PeriodClosed['data'],
      '2026-04-01T00:00:00.000Z',
    ),
  );

const ledger = (period: string, knownAt: Date | null = null) =>
  new GetLedgerQueryHandler(dataSource).execute(new GetLedgerQuery('alice', period, knownAt)) as Promise<LedgerDto>;

const entryOf = async (sourceEventId: string) => {
  const [row] = (await dataSource.query(
    `SELECT period, original_period, reposted_from, reposted_at, explanation
       FROM ledger_entries WHERE source_event_id = $1`,
    [sourceEventId],
  )) as Array<{
    period: string;
    original_period: string | null;
    reposted_from: string | null;
    reposted_at: Date | null;
    explanation: Record<string, unknown>;
  }>;
  return row;
};

const allRows = () => dataSource.query('SELECT * FROM ledger_entries ORDER BY seq') as Promise<unknown[]>;

it('an event applied between the statements and PeriodClosed is reposted: the ledger reproduces the recorded statements', async () => {
  await append('plan-P1', [
    newEvent('PlanCreated', {
      planId: 'P1',
      name: 'Booking 10 %',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  ]);
  await append('salesperson-alice', [
    newEvent('SalespersonRegistered', {
      salespersonId: 'alice',
      name: 'Alice',
      managerId: null,
      teamId: null,
      hiredOn: '2025-01-01',
    }),
    newEvent('PlanAssigned', { assignmentId: 'A1', salespersonId: 'alice', planId: 'P1', effectiveFrom: '2026-01-01' }),
  ]);
  await sale('O1', 100_000, '2026-01-10T00:00:00.000Z');
  await engine.start();
  await caughtUp();

  // ClosePeriodHandler: statements and checkpoint H from one snapshot.
  const atH = await closeSnapshot(dataSource, '2026-01');
  expect(atH.statements).toEqual([expect.objectContaining({ salespersonId: 'alice', earned: 10_000, entryCount: 1 })]);
  expect(atH.throughLogPosition).toMatch(/^\d+\/\d+$/);

  // The race: a sale of January, applied by the ledger (posted to January) before PeriodClosed.
  const late = await sale('O2', 50_000, '2026-01-20T00:00:00.000Z');
  await caughtUp();
  expect((await entryOf(late.id))?.period).toBe('2026-01');
  expect(periodDigest(await periodStatements(dataSource, '2026-01'))).not.toBe(periodDigest(atH.statements));
  await pause(20);
  const close = await periodClosed('2026-01', atH);
  await caughtUp();

  // The ledger agrees with the recorded statements exactly.
  const recorded = (close.data as PeriodClosed['data']).statements;
  const now = await periodStatements(dataSource, '2026-01');
  expect(now).toEqual(recorded);
  expect(periodDigest(now)).toBe(periodDigest(recorded));
  // The late entry sits in February as a prior-period entry, moved by the close.
  expect(await entryOf(late.id)).toEqual({
    period: '2026-02',
    original_period: '2026-01',
    reposted_from: '2026-01',
    reposted_at: new Date(close.recordedAt),
    explanation: expect.objectContaining({ trigger: 'SALE_BOOKED', repostedByEventId: close.id }),
  });

  // Known at a time between the late sale and the close: it was in January, as first posted.
  const between = new Date((Date.parse(late.recordedAt) + Date.parse(close.recordedAt)) / 2);
  const janThen = await ledger('2026-01', between);
  expect(janThen).toMatchObject({ earned: 15_000, closing: 15_000 });
  expect(
    janThen.entries.map((e) => [e.sourceEventId, e.period, e.originalPeriod, e.repostedFrom, e.repostedAt]),
  ).toEqual([
    [expect.any(String), '2026-01', null, null, null],
    [late.id, '2026-01', null, null, null],
  ]);
  expect(janThen.entries[1]?.explanation).not.toHaveProperty('repostedByEventId');
  expect(await ledger('2026-02', between)).toMatchObject({ opening: 15_000, earned: 0, entries: [] });

  // Known now (or at the close): January as recorded, the late entry in February.
  for (const knownAt of [null, new Date(close.recordedAt)]) {
    const jan = await ledger('2026-01', knownAt);
    expect(jan).toMatchObject({ earned: 10_000, closing: 10_000 });
    expect(jan.entries).toHaveLength(1);
    const feb = await ledger('2026-02', knownAt);
    expect(feb).toMatchObject({ opening: 10_000, earned: 5_000, closing: 15_000 });
    expect(feb.entries.map((e) => [e.sourceEventId, e.period, e.originalPeriod, e.repostedFrom, e.repostedAt])).toEqual(
      [[late.id, '2026-02', '2026-01', '2026-01', close.recordedAt]],
    );
  }
});

it('the late event and PeriodClosed in one batch: the entry is inserted, then reposted', async () => {
  await sale('O3', 30_000, '2026-02-05T00:00:00.000Z');
  await caughtUp();
  const atH = await closeSnapshot(dataSource, '2026-02');
  await engine.stop(); // both events below reach the ledger in one batch
  const late = await sale('O4', 40_000, '2026-02-25T00:00:00.000Z');
  const prior = await sale('O5', 60_000, '2026-01-28T00:00:00.000Z'); // January is closed: posted to February
  const close = await periodClosed('2026-02', atH);
  await engine.start();
  await caughtUp();

  const now = await periodStatements(dataSource, '2026-02');
  expect(now).toEqual((close.data as PeriodClosed['data']).statements);
  expect(now).toEqual([expect.objectContaining({ opening: 10_000, earned: 8_000, entryCount: 2 })]);
  expect(await entryOf(late.id)).toMatchObject({
    period: '2026-03',
    original_period: '2026-02',
    reposted_from: '2026-02',
  });
  expect(await entryOf(prior.id)).toMatchObject({
    period: '2026-03',
    original_period: '2026-01',
    reposted_from: '2026-02',
  });
});

it('a rebuild from zero gives the same rows', async () => {
  const before = await allRows();
  expect(before.length).toBeGreaterThanOrEqual(5);
  await engine.rebuild('commission-ledger');
  await caughtUp();
  expect(await allRows()).toEqual(before);
  const [january] = await store.readStream(PERIODS_STREAM);
  expect(await periodStatements(dataSource, '2026-01')).toEqual((january?.data as PeriodClosed['data']).statements);
});
