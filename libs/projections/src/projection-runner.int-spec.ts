/**
 * Regression (found by a property test, fixed): stopping a runner while it is still starting never returns.
 *
 * ProjectionRunner.run() takes its lock, then awaits ensureCheckpointRow() and readCheckpoint(),
 * then subscribes — without looking at `this.stopped` again. stop() called meanwhile finds no
 * subscription to stop (`this.subscription` is still null), then awaits the loop, which goes on
 * to subscribe and waits on a subscription nobody will ever stop. So `engine.stop()` /
 * `system.close()` hang when a process is told to stop (SIGTERM, a test's afterAll) within the
 * first moments after start, e.g. `await startSystem(...)` immediately followed by `close()`.
 */
import type { DataSource } from 'typeorm';
import { APP_SCHEMA } from '../../bootstrap/src/schema';
import { PostgresEventStore } from '../../eventstore-postgres/src/postgres-event-store';
import { createDataSource } from '../../platform/src/database/data-source';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ProjectionRunner } from './projection-runner';
import type { Projector } from './projector';

let db: TestDatabase;
let store: PostgresEventStore;
let dataSource: DataSource;

beforeAll(async () => {
  db = await createTestDatabase();
  store = PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
  dataSource = createDataSource(db.url, APP_SCHEMA, 'runner-stop-test');
  await dataSource.initialize();
});

afterAll(async () => {
  await store.close();
  await dataSource.destroy();
  await db.drop();
});

const idle: Projector = { name: 'stop-while-starting', tables: [], apply: async () => undefined };

it('stop() right after start() returns (it hangs when the runner had not subscribed yet)', async () => {
  const runner = new ProjectionRunner(idle, store, dataSource, { connectionString: db.url }, { retryDelayMs: 50 });
  runner.start();
  const stopping = runner.stop();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    stopping.then(() => 'stopped'),
    new Promise((resolve) => (timer = setTimeout(() => resolve('still running after 3 s'), 3_000))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'stopped') {
    // Clean up what stop() could not: the subscription made after it was called.
    await (runner as unknown as { subscription: { stop(): Promise<void> } | null }).subscription?.stop();
    await stopping;
  }
  expect(outcome).toBe('stopped');
});
