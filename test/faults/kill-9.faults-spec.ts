/**
 * kill -9 under load. The built all-in-one app (API and projectors in one process) runs on a test
 * database; four clients send independent histories of commands (reference data, then sales,
 * invoices, payments, cancellations, returns, write-offs, adjustments, payouts, drawn with
 * fast-check and decided by the real deciders) concurrently. At seeded moments (after a number of
 * answered commands) the process is killed with SIGKILL and started again; a command whose answer
 * was lost is sent again with the same ids and body. Then:
 * - every command got exactly the answer its decider decided (201, or its refusal code): a resent
 *   command that had been applied is answered as the first time, never applied twice;
 * - the log holds, for every acknowledged command, exactly the events decided (by the command type
 *   and id in their metadata), none for refused ones, and nothing else;
 * - every projection has applied every event exactly once (checkpoint counters) and its read
 *   models equal a clean rebuild from the log.
 *
 * FAULTS_SEED=<n> (or random) changes the histories and the kill moments; FAULTS_KILLS=<n> kills
 * more often (default 8). Figures: test/artifacts/reliability/faults-kill-9.json.
 */
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import {
  checkExactlyOnce,
  envCount,
  eventsOf,
  faultSeed,
  histories,
  newLaneStats,
  prng,
  runLane,
  sleep,
  writeFigures,
} from '../support/faults';
import { adminToken, TEST_SECRET } from '../support/http';
import { freePort, startApp, type Started, waitForHealthy } from '../support/processes';
import { readModelSnapshot, rebuildableProjections, untilAllApplied } from '../support/read-models';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SEED = faultSeed(20_261_108);
const KILLS = envCount('FAULTS_KILLS', 8);
const LANES = 4;

let db: TestDatabase;
let app: Started | null = null;
let checker: RunningSystem | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  // An API-only system in this process on the same database: it applies no events; the test
  // reads the log and the checkpoints and runs the rebuild through it.
  checker = await startSystem({
    role: 'api',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
  });
});

function checkerDb() {
  if (!checker) throw new Error('checker not started');
  return checker.dataSource;
}

afterAll(async () => {
  app?.child.kill('SIGKILL');
  await app?.exited;
  await checker?.close();
  await db?.drop();
});

it('acknowledged commands survive kill -9 exactly once and the read models equal a rebuild', async () => {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    DATABASE_URL: db.url,
    AUTH_JWT_SECRET: TEST_SECRET,
    PORT: String(port),
    // Small batches: more commits, so a kill lands between and inside batches.
    PROJECTION_BATCH_SIZE: '7',
    // A test client sends as fast as it can: no rate limit.
    RATE_LIMIT_PER_SECOND: '0',
  };
  const start = async () => {
    app = startApp('all-in-one', env);
    await waitForHealthy(baseUrl, app, 60_000);
  };
  await start();

  // Given four independent histories sent concurrently...
  const lanes = histories(SEED, LANES, { minOrders: 6, maxOrders: 9, maxOpsPerOrder: 5, maxAdmin: 5 });
  const total = lanes.reduce((a, h) => a + h.steps.length, 0);
  // ...and kill moments: after these numbers of answered commands, drawn from the seed.
  const random = prng(SEED);
  const killAt = Array.from({ length: KILLS }, () => Math.floor(total * (0.05 + 0.85 * random()))).sort(
    (a, b) => a - b,
  );
  const stats = newLaneStats();
  let answered = 0;
  let kills = 0;
  let restarts = 0;
  let lostAnswersAlreadyApplied = 0;
  const restartMs: number[] = [];
  let killing: Promise<void> | null = null;

  const killAndRestart = async () => {
    const running = app!;
    // a random moment within the next few milliseconds, so the kill lands anywhere in a request
    await sleep(Math.floor(random() * 30));
    running.child.kill('SIGKILL');
    const { signal } = await running.exited;
    if (signal !== 'SIGKILL') throw new Error(`the app ended by itself (${signal}):\n${running.output()}`);
    kills++;
    const t0 = Date.now();
    await start();
    restartMs.push(Date.now() - t0);
    restarts++;
  };
  const onAnswered = () => {
    answered++;
    if (killing === null && killAt.length > 0 && answered >= killAt[0]!) {
      killAt.shift();
      killing = killAndRestart().finally(() => (killing = null));
    }
  };

  // When the clients send them while the app is killed and restarted...
  const results = await Promise.all(
    lanes.map((history) =>
      runLane({
        baseUrl,
        token: adminToken(),
        steps: history.steps,
        stats,
        onAnswered,
        // Whether the lost answer's command was in fact applied (the resend must then not apply it again).
        beforeResend: async (step) => {
          if ((await eventsOf(checkerDb(), step)) > 0) lostAnswersAlreadyApplied++;
        },
      }),
    ),
  );
  while (killing) await killing;
  // the last kills, if the commands ended before their moments
  while (killAt.length > 0) {
    killAt.shift();
    await killAndRestart();
  }

  // Then the log holds each acknowledged command's events exactly once, and nothing else...
  const report = await checkExactlyOnce(checkerDb(), results.flat());

  // ...and every projection applied every event once and equals a clean rebuild.
  await checker!.engine.waitUntilCaughtUp(60_000);
  await untilAllApplied(checker!.dataSource, rebuildableProjections(checker!.engine.projectors), 60_000);
  const incremental = await readModelSnapshot(checker!.dataSource, checker!.engine.projectors);
  await checker!.engine.rebuildMany(rebuildableProjections(checker!.engine.projectors));
  await untilAllApplied(checker!.dataSource, rebuildableProjections(checker!.engine.projectors), 60_000);
  const rebuilt = await readModelSnapshot(checker!.dataSource, checker!.engine.projectors);
  const differingTables = Object.keys(incremental).filter(
    (t) => JSON.stringify(incremental[t]) !== JSON.stringify(rebuilt[t]),
  );

  const figures = {
    seed: SEED,
    commandsSent: total,
    requests: stats.requests,
    acknowledged: stats.acknowledged,
    refusedAsDecided: stats.refused,
    kills,
    restarts,
    restartMs,
    unansweredRequests: stats.unanswered,
    lostAnswers: stats.lostAnswers,
    lostAnswersAlreadyApplied,
    timeouts: stats.timeouts,
    status503: stats.status503,
    status500: stats.status500 + stats.other5xx,
    outcomeMismatches: report.outcomeMismatches.length,
    eventsInLog: report.eventsInLog,
    eventsExpected: report.eventsExpected,
    eventsLost: report.eventsLost.length,
    duplicates: report.duplicates.length,
    strayEvents: report.strayEvents,
    readModelRows: Object.values(incremental).reduce((a, rows) => a + rows.length, 0),
    tablesDifferingFromRebuild: differingTables.length,
  };
  writeFigures('kill-9', figures);

  expect(kills).toBe(KILLS);
  expect(restarts).toBe(KILLS);
  expect(stats.acknowledged).toBeGreaterThan(100);
  expect(report.outcomeMismatches).toEqual([]);
  expect(report.eventsLost).toEqual([]);
  expect(report.duplicates).toEqual([]);
  expect(report.strayEvents).toBe(0);
  expect(report.eventsInLog).toBe(report.eventsExpected);
  expect(figures.status500).toBe(0);
  expect(stats.timeouts).toBe(0);
  expect(differingTables).toEqual([]);
  expect(rebuilt).toEqual(incremental);
  expect(figures.readModelRows).toBeGreaterThan(100);
}, 240_000);
