/**
 * Least privilege (ADR 0009, issue #8): the role the servers connect as may read and append
 * events but never change or remove one, while rebuilds and replays still work under it; the
 * owner that runs the migrations is still refused by the append-only triggers. The database is
 * set up the way an embedded start sets up a data directory from an earlier version (everything
 * owned by the superuser, a leftover replay schema), so the upgrade path is what is proved.
 * Figures: test/artifacts/reliability/db-grants.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { replayPeriods } from '../../libs/audit/src/replay/period-replay';
import { allProjectors, APP_SCHEMA } from '../../libs/bootstrap/src/schema';
import { newEvent } from '../../libs/eventsourcing/src/testing/event-store.contract';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { createDataSource, migrate, migrateAndGrant } from '../../libs/platform/src/database/data-source';
import { prepareEmbeddedRoles } from '../../libs/platform/src/database/embedded-postgres';
import { eventLogPowers } from '../../libs/platform/src/database/roles';
import { ProjectionEngine } from '../../libs/projections/src/projection-engine';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

let db: TestDatabase;
let ownerUrl: string;
let appUrl: string;
let appRole: string;
let ownerRole: string;
let app: Client;
let owner: Client;
const PASSWORD = 'db-grants-test';
const LEFTOVER = 'replay_20200101000000_0badc0de';

interface Attempt {
  readonly as: 'app' | 'owner';
  readonly sql: string;
  readonly refused: boolean;
  readonly code: string | null;
  readonly message: string;
}
const attempts: Attempt[] = [];

/** Runs `sql` as `who` in a transaction rolled back afterwards; records what the server answered. */
async function attempt(who: 'app' | 'owner', sql: string): Promise<Attempt> {
  const client = who === 'app' ? app : owner;
  await client.query('BEGIN');
  let outcome: Attempt;
  try {
    await client.query(sql);
    outcome = { as: who, sql, refused: false, code: null, message: 'accepted' };
  } catch (error) {
    const e = error as { code?: string; message: string };
    outcome = { as: who, sql, refused: true, code: e.code ?? null, message: e.message };
  } finally {
    await client.query('ROLLBACK');
  }
  attempts.push(outcome);
  return outcome;
}

const withRole = (url: string, user: string) => {
  const u = new URL(url);
  u.username = user;
  u.password = PASSWORD;
  return u.toString();
};

const sale = (i: number) =>
  newEvent(
    'SaleBooked',
    {
      orderId: `G${i}`,
      customerId: 'C',
      amount: { amount: 10_000 + i, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00.000Z',
      salesCredits: [{ salespersonId: 'gia', splitBps: 10000 }],
      paymentTermsDays: 30,
      dueDate: '2026-02-09',
      businessUnit: null,
      lines: [],
    },
    '2026-01-10T00:00:00.000Z',
  );

beforeAll(async () => {
  // Given a database as an earlier version left it: migrated and written by the superuser...
  db = await createTestDatabase({ migrate: false, role: 'admin' });
  await migrate(db.adminUrl, APP_SCHEMA);
  const legacy = PostgresEventStore.connect(db.adminUrl, { listen: false });
  await legacy.appendToStream('plan-PG', [
    newEvent('PlanCreated', {
      planId: 'PG',
      name: 'G',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  ]);
  await legacy.appendToStream('salesperson-gia', [
    newEvent('SalespersonRegistered', {
      salespersonId: 'gia',
      name: 'Gia',
      managerId: null,
      teamId: null,
      hiredOn: '2025-01-01',
    }),
    newEvent('PlanAssigned', { assignmentId: 'AG', salespersonId: 'gia', planId: 'PG', effectiveFrom: '2026-01-01' }),
  ]);
  await legacy.appendToStream('order-G1', [sale(1)]);
  await legacy.close();
  const su = new Client({ connectionString: db.adminUrl });
  await su.connect();
  await su.query(`CREATE SCHEMA ${LEFTOVER}`);
  await su.query(`CREATE TABLE ${LEFTOVER}.ledger_entries (entry_id text PRIMARY KEY)`);
  await su.end();
  // ...when it starts as this version does: two roles, migrations as the owner, grants to the app.
  ownerRole = `${db.name}_owner`;
  appRole = `${db.name}_app`;
  const roles = { owner: ownerRole, ownerPassword: PASSWORD, app: appRole, appPassword: PASSWORD };
  await prepareEmbeddedRoles(db.adminUrl, roles);
  ownerUrl = withRole(db.adminUrl, ownerRole);
  appUrl = withRole(db.adminUrl, appRole);
  const first = await migrateAndGrant(ownerUrl, appUrl, APP_SCHEMA);
  expect(first.grants).toMatchObject({ migrationRole: ownerRole, appRole, warnings: [] });
  expect(first.grants!.transferred).toEqual(expect.arrayContaining([`ledger_entries -> ${appRole}`]));
  app = new Client({ connectionString: appUrl });
  owner = new Client({ connectionString: ownerUrl });
  await app.connect();
  await owner.connect();
  const leftover = await app.query(`SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`, [
    LEFTOVER,
  ]);
  expect(leftover.rows).toEqual([{ owner: appRole }]);
});

afterAll(async () => {
  await app?.end();
  await owner?.end();
  const dir = join(__dirname, '..', 'artifacts', 'reliability');
  mkdirSync(dir, { recursive: true });
  const refusedAsExpected = attempts.filter((a) => a.refused).length;
  writeFileSync(
    join(dir, 'db-grants.json'),
    `${JSON.stringify(
      {
        server: version ?? '?',
        statementsAttempted: attempts.length,
        refusedAsExpected,
        accepted: attempts.length - refusedAsExpected,
        attempts,
      },
      null,
      2,
    )}\n`,
  );
  await db?.drop();
  const su = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await su.connect();
  await su.query(`DROP ROLE IF EXISTS ${appRole}`);
  await su.query(`DROP ROLE IF EXISTS ${ownerRole}`);
  await su.end();
});

let version: string | null = null;

describe('the app role (what the servers connect as)', () => {
  it('is neither a superuser nor the owner of the event log, and may not change events', async () => {
    version = ((await app.query(`SELECT current_setting('server_version') AS v`)).rows[0] as { v: string }).v;
    expect(await eventLogPowers(app)).toEqual({
      role: appRole,
      superuser: false,
      ownsEventLog: false,
      mayChangeEvents: false,
    });
    const { rows } = await app.query(
      `SELECT pg_has_role(current_user, $1, 'MEMBER') AS in_owner, has_database_privilege(current_database(), 'CREATE') AS may_create_schemas`,
      [ownerRole],
    );
    expect(rows[0]).toEqual({ in_owner: false, may_create_schemas: true });
  });

  it.each([
    ['UPDATE es_events SET event_type = event_type', /permission denied for table es_events/],
    ['DELETE FROM es_events', /permission denied for table es_events/],
    ['TRUNCATE es_events', /permission denied for table es_events/],
    ['UPDATE es_log_seals SET hash = hash', /permission denied for table es_log_seals/],
    ['DELETE FROM es_log_seals', /permission denied for table es_log_seals/],
    ['TRUNCATE es_log_seals', /permission denied for table es_log_seals/],
    ['DELETE FROM es_streams', /permission denied for table es_streams/],
    ['TRUNCATE es_streams', /permission denied for table es_streams/],
    ['UPDATE es_streams SET stream_id = stream_id', /permission denied for table es_streams/],
    ['ALTER TABLE es_events DISABLE TRIGGER es_events_no_update_delete', /must be owner of table es_events/],
    ['ALTER TABLE es_events DISABLE TRIGGER ALL', /must be owner of table es_events/],
    ['ALTER TABLE es_log_seals ADD COLUMN forged text', /must be owner of table es_log_seals/],
    ['DROP TABLE es_events', /must be owner of table es_events/],
    ['DROP FUNCTION es_refuse_change() CASCADE', /must be owner of function es_refuse_change/],
    [
      'CREATE OR REPLACE FUNCTION es_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$',
      /must be owner of function es_refuse_change/,
    ],
    ['SET session_replication_role = replica', /permission denied to set parameter "session_replication_role"/],
    ['UPDATE schema_migrations SET name = name', /permission denied for table schema_migrations/],
    [`SELECT setval(pg_get_serial_sequence('es_events', 'global_position'), 1)`, /permission denied for sequence/],
  ])('is refused: %s', async (sql, message) => {
    // Given the app role, when it tries to change or unprotect the log, then PostgreSQL refuses it
    // before any trigger runs (permission denied, SQLSTATE 42501).
    const outcome = await attempt('app', sql);
    expect(outcome).toMatchObject({ refused: true, code: '42501' });
    expect(outcome.message).toMatch(message);
  });

  it('appends, reads and subscribes', async () => {
    const store = PostgresEventStore.connect(appUrl, { pollIntervalMs: 50 });
    try {
      const appended = await store.appendToStream('probe-G2', [newEvent('DbGrantsProbe', { n: 1 })]);
      const again = await store.appendToStream('probe-G2', [newEvent('DbGrantsProbe', { n: 2 })], {
        expectedRevision: 0n,
      });
      expect(again.nextExpectedRevision).toBe(1n);
      const read = await store.readStream('probe-G2');
      expect(read.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(read[0]!.globalPosition).toBe(appended.globalPosition);
      const seen: string[] = [];
      const subscription = store.subscribeToAll(async (events, info) => {
        seen.push(...events.map((e) => e.streamId));
        if (info.caughtUp) void subscription.stop();
      });
      await subscription.done;
      expect(seen).toEqual(expect.arrayContaining(['plan-PG', 'order-G1', 'probe-G2']));
    } finally {
      await store.close();
    }
  });

  it('runs the projections, a zero-downtime rebuild of every rebuildable one and a period replay', async () => {
    const store = PostgresEventStore.connect(appUrl, { pollIntervalMs: 50 });
    const dataSource: DataSource = createDataSource(appUrl, APP_SCHEMA);
    await dataSource.initialize();
    const projectors = allProjectors();
    const engine = new ProjectionEngine(projectors, store, dataSource, { connectionString: appUrl });
    try {
      await store.appendToStream('order-G3', [sale(3)]);
      await engine.start();
      await engine.waitUntilCaughtUp(30_000);
      const entries = async () =>
        (await dataSource.query(
          `SELECT entry_id, amount::text AS amount FROM ledger_entries ORDER BY entry_id`,
        )) as unknown[];
      const live = await entries();
      expect(live.length).toBeGreaterThanOrEqual(2);
      // The seals are written by the app role (INSERT only).
      const seals = (await dataSource.query('SELECT count(*)::int AS n FROM es_log_seals')) as Array<{ n: number }>;
      expect(seals[0]!.n).toBeGreaterThan(0);

      const rebuildable = projectors.filter((p) => p.rebuildable !== false).map((p) => p.name);
      const status = await engine.rebuildMany(rebuildable, { batchSize: 500 });
      expect(status).toMatchObject({ state: 'done' });
      expect(await entries()).toEqual(live);
      // The swapped-in tables belong to the app role, as the ones they replaced did.
      const owners = (await dataSource.query(
        `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
            AND c.relname <> ALL(ARRAY['es_events', 'es_streams', 'es_log_seals', 'projection_checkpoints', 'schema_migrations'])`,
      )) as Array<{ owner: string }>;
      expect(owners).toEqual([{ owner: appRole }]);

      const [report] = await replayPeriods({ dataSource, store, projectors }, { periods: ['2026-01'] });
      expect(report).toMatchObject({ period: '2026-01', differencesTotal: 0 });
      expect(report!.rowsCompared).toBeGreaterThan(0);
      const schemas = (await dataSource.query(
        `SELECT nspname FROM pg_namespace WHERE nspname ~ '^(rebuild_set|replay|whatif)_'`,
      )) as unknown[];
      expect(schemas).toEqual([]); // its own and the earlier version's leftover (now the app's) are gone
    } finally {
      await engine.stop();
      await store.close();
      await dataSource.destroy();
    }
  });
});

describe('the owner (what runs the migrations)', () => {
  it.each(['UPDATE es_events SET event_type = event_type', 'DELETE FROM es_events', 'TRUNCATE es_events'])(
    'is still refused by the append-only triggers: %s',
    async (sql) => {
      const outcome = await attempt('owner', sql);
      expect(outcome).toMatchObject({ refused: true, code: '42501' });
      expect(outcome.message).toMatch(/es_events is append-only: (UPDATE|DELETE|TRUNCATE) refused/);
    },
  );

  it('is not a superuser, and a second start changes nothing (idempotent)', async () => {
    expect((await eventLogPowers(owner)).superuser).toBe(false);
    await prepareEmbeddedRoles(db.adminUrl, {
      owner: ownerRole,
      ownerPassword: PASSWORD,
      app: appRole,
      appPassword: PASSWORD,
    });
    const second = await migrateAndGrant(ownerUrl, appUrl, APP_SCHEMA);
    expect(second).toEqual({
      applied: [],
      grants: { migrationRole: ownerRole, appRole, transferred: [], warnings: [] },
    });
  });
});
