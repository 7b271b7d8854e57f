/**
 * A poison event. The system runs in this process with a fault hook on the projection runners
 * (`RunnerOptions.beforeBatch`, called inside each batch's transaction just before the projector
 * applies it): while "poisoned", the dashboard projection throws on any batch holding the sale
 * event of order PX, exactly as a projector that cannot handle that event. Then:
 * - only the dashboard stops, before PX (nothing of PX's batch is applied): the ledger,
 *   track-to-cash and the log seals go on and apply the later events;
 * - GET /api/v1/projections and /health show the dashboard `failed` with its lastError while it
 *   retries; the others are live without error;
 * and once "fixed" (the hook lets the event through), the dashboard resumes from its checkpoint:
 * PX's sale is applied, exactly once (it is in exactly one committed batch), nothing is skipped
 * (its counter equals the log's size), and its read models equal a clean rebuild.
 * Figures: test/artifacts/reliability/faults-poison-event.json.
 */
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { sleep, writeFigures } from '../support/faults';
import { adminToken, Api, givenReferenceData, TEST_SECRET } from '../support/http';
import { readModelSnapshot, rebuildableProjections, untilAllApplied } from '../support/read-models';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const VICTIM = 'dashboard';
const isPoison = (e: StoredEvent) => e.metadata.commandType === 'BookSale' && e.metadata.commandId === 'PX';

let db: TestDatabase;
let system: RunningSystem;
let api: Api;
let poisoned = true;
let failedAttempts = 0;
let poisonEventId: string | null = null;
/** Committed batches of the victim that held the poison event. */
let poisonCommits = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  system = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
    runner: {
      retryDelayMs: 100,
      generationCheckMs: 50,
      beforeBatch: (name, events) => {
        const poison = events.find(isPoison);
        if (name !== VICTIM || !poison) return;
        poisonEventId = poison.id;
        if (poisoned) {
          failedAttempts++;
          throw new Error(`poisoned by event ${poison.id}`);
        }
      },
      afterBatch: (name, events) => {
        if (name === VICTIM && events.some(isPoison)) poisonCommits++;
      },
    },
  });
  api = new Api(system.url!, adminToken());
});

afterAll(async () => {
  await system?.close();
  await db?.drop();
});

const order = (orderId: string, amount: number) =>
  api.post('/api/v1/orders', {
    orderId,
    customerId: 'C1',
    amount: { amount, currency: 'USD' },
    bookedAt: '2026-03-10T09:00:00Z',
  });

interface Report {
  name: string;
  state: string;
  lastError: string | null;
  eventsApplied?: number;
}

const projections = async () => (await api.get<{ items: Report[] }>('/api/v1/projections')).body.items;
const health = async () => {
  const r = await api.get<{ ready: boolean; projections: Report[] }>('/health');
  return { ...r.body, httpStatus: r.status };
};
const dashOrders = async () =>
  (
    (await system.dataSource.query('SELECT DISTINCT order_id FROM dash_order_credits ORDER BY order_id')) as Array<{
      order_id: string;
    }>
  ).map((r) => r.order_id);

it('a poison event stops only its projection, is reported, and is applied once after the fix', async () => {
  let sent = 0;
  let acknowledged = 0;
  const ok = async (reply: ReturnType<typeof order>) => {
    sent++;
    const r = await reply;
    if (r.status === 201) acknowledged++;
    else throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  };
  // Given reference data and two orders, all projected...
  await givenReferenceData(api);
  sent += 7;
  acknowledged += 7;
  await ok(order('O1', 10_000));
  await ok(order('O2', 20_000));
  await system.engine.waitUntilCaughtUp(30_000);
  expect(await dashOrders()).toEqual(['O1', 'O2']);

  // When the sale of PX poisons the dashboard, and more orders follow...
  await ok(order('PX', 30_000));
  await ok(order('O3', 40_000));
  await ok(order('O4', 50_000));

  // Then the other projections go on past it...
  const others = system.engine.projectors.map((p) => p.name).filter((n) => n !== VICTIM);
  await system.engine.waitUntilCaughtUp(30_000, others);
  const ledgerOrders = (
    (await system.dataSource.query('SELECT DISTINCT order_id FROM ledger_entries ORDER BY order_id')) as Array<{
      order_id: string;
    }>
  ).map((r) => r.order_id);
  expect(ledgerOrders).toEqual(['O1', 'O2', 'O3', 'O4', 'PX']);

  // ...while the dashboard is reported failed with its error, retrying (poll, bounded).
  const deadline = Date.now() + 30_000;
  let victim: Report | undefined;
  while (Date.now() < deadline) {
    victim = (await projections()).find((p) => p.name === VICTIM);
    if (victim?.state === 'failed' && failedAttempts >= 3) break;
    await sleep(50);
  }
  expect(victim).toMatchObject({ state: 'failed', lastError: `poisoned by event ${poisonEventId}` });
  expect(failedAttempts).toBeGreaterThanOrEqual(3);
  const reported = await projections();
  for (const p of reported.filter((r) => r.name !== VICTIM)) {
    expect({ name: p.name, state: p.state, lastError: p.lastError }).toEqual({
      name: p.name,
      state: 'live',
      lastError: null,
    });
  }
  const sick = await health();
  expect(sick.projections.find((p) => p.name === VICTIM)?.lastError).toBe(`poisoned by event ${poisonEventId}`);
  expect(sick.projections.find((p) => p.name === VICTIM)?.state).toBe('failed');
  // Nothing of PX's batch was applied, nor anything after it.
  expect(await dashOrders()).toEqual(['O1', 'O2']);
  const [poisonRow] = (await system.dataSource.query(
    `SELECT e.global_position::text AS position, c.global_position::text AS checkpoint
       FROM es_events e, projection_checkpoints c WHERE e.event_id = $1 AND c.name = $2`,
    [poisonEventId, VICTIM],
  )) as Array<{ position: string; checkpoint: string }>;
  expect(BigInt(poisonRow!.checkpoint)).toBeLessThan(BigInt(poisonRow!.position));
  expect(poisonCommits).toBe(0);
  const attemptsWhilePoisoned = failedAttempts;

  // When the projector is fixed...
  poisoned = false;

  // Then the dashboard resumes from its checkpoint and applies PX and what follows, PX once.
  await system.engine.waitUntilCaughtUp(60_000, [VICTIM]);
  const names = rebuildableProjections(system.engine.projectors);
  await untilAllApplied(system.dataSource, names, 30_000); // every event exactly once: none skipped
  const [counts] = (await system.dataSource.query(
    `SELECT (SELECT count(*)::int FROM es_events) AS events,
            (SELECT events_applied::int FROM projection_checkpoints WHERE name = $1) AS applied`,
    [VICTIM],
  )) as Array<{ events: number; applied: number }>;
  expect(await dashOrders()).toEqual(['O1', 'O2', 'O3', 'O4', 'PX']);
  expect(poisonCommits).toBe(1);
  const healed = (await projections()).find((p) => p.name === VICTIM);
  expect(healed).toMatchObject({ state: 'live', lastError: null });
  const well = await health();
  expect(well.httpStatus).toBe(200);
  expect(well.projections.every((p) => p.lastError === null)).toBe(true);

  // And the incrementally built read models equal a clean rebuild.
  const incremental = await readModelSnapshot(system.dataSource, system.engine.projectors);
  await system.engine.rebuildMany(names);
  await untilAllApplied(system.dataSource, names, 30_000);
  const rebuilt = await readModelSnapshot(system.dataSource, system.engine.projectors);
  expect(rebuilt).toEqual(incremental);

  writeFigures('poison-event', {
    commandsSent: sent,
    acknowledged,
    eventsInLog: counts!.events,
    eventsAppliedByVictim: counts!.applied,
    failedAttemptsWhilePoisoned: attemptsWhilePoisoned,
    victimStateWhilePoisoned: victim?.state,
    othersLiveWhilePoisoned: reported.filter((r) => r.name !== VICTIM && r.state === 'live').length,
    poisonEventCommits: poisonCommits,
    eventsSkipped: counts!.events - counts!.applied,
    duplicates: poisonCommits - 1,
    status500: 0,
    readModelsEqualRebuild: true,
  });
}, 120_000);
