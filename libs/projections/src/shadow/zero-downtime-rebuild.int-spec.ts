import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { APP_SCHEMA } from '../../../bootstrap/src/schema';
import { CommissionLedgerProjector } from '../../../commissions/src/commission-ledger/commission-ledger.projector';
import { newEvent } from '../../../eventsourcing/src/testing/event-store.contract';
import { PostgresEventStore } from '../../../eventstore-postgres/src/postgres-event-store';
import { createDataSource } from '../../../platform/src/database/data-source';
import { ProjectionEngine } from '../projection-engine';
import type { Projector } from '../projector';
import { createShadowTables, dropSchema } from './shadow-schema';
import { RebuildInProgressError } from './zero-downtime-rebuild';

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  store = PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
  dataSource = createDataSource(db.url, APP_SCHEMA);
  await dataSource.initialize();
  await dataSource.query('CREATE TABLE zd_seen (event_id uuid PRIMARY KEY, seq bigserial NOT NULL)');
  await store.appendToStream('plan-PZ', [
    newEvent('PlanCreated', {
      planId: 'PZ',
      name: 'Z',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  ]);
  await store.appendToStream('salesperson-zoe', [
    newEvent('SalespersonRegistered', {
      salespersonId: 'zoe',
      name: 'Zoe',
      managerId: null,
      teamId: null,
      hiredOn: '2025-01-01',
    }),
    newEvent('PlanAssigned', { assignmentId: 'AZ', salespersonId: 'zoe', planId: 'PZ', effectiveFrom: '2026-01-01' }),
  ]);
});
afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

async function appendSales(from: number, count: number): Promise<bigint> {
  let last = 0n;
  for (let i = from; i < from + count; i++) {
    const r = await store.appendToStream(`order-Z${i}`, [
      newEvent(
        'SaleBooked',
        {
          orderId: `Z${i}`,
          customerId: 'C',
          amount: { amount: 1000 + i, currency: 'USD' },
          bookedAt: '2026-01-10T00:00:00.000Z',
          salesCredits: [{ salespersonId: 'zoe', splitBps: 10000 }],
          paymentTermsDays: 30,
          dueDate: '2026-02-09',
          businessUnit: null,
          lines: [],
        },
        '2026-01-10T00:00:00.000Z',
      ),
    ]);
    last = r.globalPosition;
  }
  return last;
}

const count = async (table: string) =>
  Number(((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as Array<{ n: number }>)[0]!.n);

const entries = async () =>
  (await dataSource.query(
    `SELECT entry_id, salesperson_id, type, amount::text AS amount, period, source_event_id, explanation
       FROM ledger_entries ORDER BY ledger_entries.entry_id`,
  )) as unknown[];

const indexes = async (schema: string, table: string) =>
  (
    (await dataSource.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2', [
      schema,
      table,
    ])) as Array<{ indexname: string }>
  )
    .map((r) => r.indexname)
    .sort();

/** A projector with a side effect outside its table: it must only fire for the live projection. */
function sideEffectProjector(effects: string[]): Projector {
  return {
    name: 'zd-side-effects',
    tables: ['zd_seen'],
    async apply(events, manager, context) {
      for (const e of events) {
        await manager.query('INSERT INTO zd_seen (event_id) VALUES ($1)', [e.id]);
        if (context?.sideEffects) effects.push(e.id);
      }
    },
  };
}

it('copies tables with their index names and a sequence of their own', async () => {
  await dataSource.transaction(async (m) => {
    await createShadowTables(m, 'zd_copy', ['ledger_entries', 'ledger_assignments']);
  });
  try {
    expect(await indexes('zd_copy', 'ledger_entries')).toEqual(await indexes('public', 'ledger_entries'));
    expect(await indexes('zd_copy', 'ledger_assignments')).toEqual(await indexes('public', 'ledger_assignments'));
    const [d] = (await dataSource.query(
      `SELECT pg_get_expr(adbin, adrelid) AS expr FROM pg_attrdef
        WHERE adrelid = 'zd_copy.ledger_entries'::regclass
          AND adnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'zd_copy.ledger_entries'::regclass AND attname = 'seq')`,
    )) as Array<{ expr: string }>;
    expect(d!.expr).toContain('zd_copy.ledger_entries_seq_seq');
  } finally {
    await dropSchema(dataSource, 'zd_copy');
  }
});

it('rebuilds beside the live tables: queries keep answering, the live projection keeps applying, side effects stay off, then it switches', async () => {
  const effects: string[] = [];
  const engine = new ProjectionEngine(
    [new CommissionLedgerProjector(), sideEffectProjector(effects)],
    store,
    dataSource,
    { connectionString: db.url },
    { retryDelayMs: 50, batchSize: 10, generationCheckMs: 100 },
  );
  await appendSales(0, 40);
  await engine.start();
  try {
    await engine.waitUntilCaughtUp();
    const before = await entries();
    expect(before).toHaveLength(40);
    const effectsBefore = effects.length;
    const indexesBefore = await indexes('public', 'ledger_entries');
    const [{ generation: generationBefore }] = (await dataSource.query(
      `SELECT generation FROM projection_checkpoints WHERE name = 'commission-ledger'`,
    )) as [{ generation: number }];

    // Readers hammer the live table during the whole rebuild: none may fail or see it shrink.
    let reading = true;
    let reads = 0;
    let smallest = Infinity;
    const readers = (async () => {
      while (reading) {
        smallest = Math.min(smallest, await count('ledger_entries'));
        reads++;
      }
    })();

    let paused = false;
    let duringBuild: { entries: number; liveAfterNewSales: number } | null = null;
    const status = await engine.rebuild('commission-ledger', {
      batchSize: 10,
      onProgress: async () => {
        if (paused) return;
        paused = true;
        // Mid-build: the live tables still answer in full, and new events still reach them.
        const entriesNow = await count('ledger_entries');
        const last = await appendSales(40, 5);
        expect(await engine.waitFor(['commission-ledger', 'zd-side-effects'], last, 10_000)).toBe('reached');
        duringBuild = { entries: entriesNow, liveAfterNewSales: await count('ledger_entries') };
      },
    });
    await appendSales(45, 3); // after the switch, the live runner carries on in the new tables
    await engine.waitUntilCaughtUp();
    reading = false;
    await readers;

    expect(duringBuild).toEqual({ entries: 40, liveAfterNewSales: 45 });
    expect(status).toMatchObject({ state: 'done', error: null });
    expect(reads).toBeGreaterThan(0);
    expect(smallest).toBeGreaterThanOrEqual(40);
    const after = await entries();
    expect(after).toHaveLength(48);
    expect(after).toEqual(expect.arrayContaining(before));
    // The new tables carry the migrations' index names (later migrations may refer to them).
    expect(await indexes('public', 'ledger_entries')).toEqual(indexesBefore);
    expect(indexesBefore).toContain('ledger_entries_salesperson_period_idx');
    const [{ generation }] = (await dataSource.query(
      `SELECT generation FROM projection_checkpoints WHERE name = 'commission-ledger'`,
    )) as [{ generation: number }];
    expect(generation).toBe(generationBefore + 1);
    const schemas = (await dataSource.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%'`,
    )) as unknown[];
    expect(schemas).toEqual([]);
    const report = (await engine.status()).find((r) => r.name === 'commission-ledger')!;
    expect(report).toMatchObject({ lag: 0, lastError: null, rebuild: { state: 'done' } });

    // The side-effect projection, rebuilt too: its copy is filled without firing effects.
    const effectsBeforeRebuild = effects.length;
    await engine.rebuild('zd-side-effects');
    await engine.waitUntilCaughtUp();
    expect(effects.length).toBe(effectsBeforeRebuild);
    expect(effects.length).toBe(effectsBefore + 8); // each live event once: the 5 + 3 new sales
    expect(await count('zd_seen')).toBe(await count('es_events'));
  } finally {
    await engine.stop();
  }
});

it('refuses a second rebuild of the same projection while one runs', async () => {
  const engine = new ProjectionEngine([new CommissionLedgerProjector()], store, dataSource, {
    connectionString: db.url,
  });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  let firstBatch: () => void = () => undefined;
  const started = new Promise<void>((r) => (firstBatch = r));
  const first = engine.rebuild('commission-ledger', {
    batchSize: 5,
    onProgress: async () => {
      firstBatch();
      await gate;
    },
  });
  await started;
  await expect(engine.rebuild('commission-ledger')).rejects.toBeInstanceOf(RebuildInProgressError);
  expect(await engine.startRebuild('commission-ledger')).toBe(false);
  release();
  await expect(first).resolves.toMatchObject({ state: 'done' });
});

it('marks a rebuild whose process died as failed when the projections start again', async () => {
  await dataSource.query(
    `UPDATE projection_checkpoints SET rebuild = '{"state": "building", "eventsApplied": 10}' WHERE name = 'commission-ledger'`,
  );
  const engine = new ProjectionEngine([new CommissionLedgerProjector()], store, dataSource, {
    connectionString: db.url,
  });
  await engine.start();
  try {
    const report = (await engine.status()).find((r) => r.name === 'commission-ledger')!;
    expect(report.rebuild).toMatchObject({
      state: 'failed',
      eventsApplied: 10,
      error: expect.stringMatching(/interrupted/),
    });
    // Nothing new to apply after the start: the runner still says it is live (no batch ever comes).
    const deadline = Date.now() + 5000;
    while ((await engine.status()).find((r) => r.name === 'commission-ledger')!.state !== 'live') {
      if (Date.now() > deadline) throw new Error('the caught-up runner never said live');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await engine.stop();
  }
});

it('rebuilds several projections in one pass over the log, then switches each of them', async () => {
  await appendSales(500, 30);
  const reads: number[] = [];
  const counting: typeof store = Object.create(store) as typeof store;
  counting.readAll = async (options) => {
    const page = await store.readAll(options);
    reads.push(page.events.length);
    return page;
  };
  const effects: string[] = [];
  const engine = new ProjectionEngine(
    [new CommissionLedgerProjector(), sideEffectProjector(effects)],
    counting,
    dataSource,
    {
      connectionString: db.url,
    },
  );
  await engine.start();
  try {
    await engine.waitUntilCaughtUp(10_000);
    const live = await entries();
    const seen = await count('zd_seen');
    const logLength = Number(
      ((await dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>)[0]!.n,
    );
    reads.length = 0;
    let progress = 0;
    const status = await engine.rebuildMany(['commission-ledger', 'zd-side-effects'], {
      batchSize: 500,
      onProgress: (read) => {
        progress = read;
      },
    });
    expect(status).toMatchObject({ state: 'done' });
    // Given one log, when both are rebuilt together, then each event was read once for both.
    expect(progress).toBe(logLength);
    expect(reads.reduce((a, b) => a + b, 0)).toBe(logLength);
    expect(await entries()).toEqual(live);
    expect(await count('zd_seen')).toBe(seen);
    for (const name of ['commission-ledger', 'zd-side-effects']) {
      const report = (await engine.status()).find((r) => r.name === name)!;
      expect(report).toMatchObject({ lastError: null, rebuild: { state: 'done', eventsApplied: logLength } });
    }
    const leftovers = (await dataSource.query(
      `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%'`,
    )) as unknown[];
    expect(leftovers).toEqual([]);
  } finally {
    await engine.stop();
  }
});
