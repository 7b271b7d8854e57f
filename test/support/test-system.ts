import { type RunningSystem, startSystem, type SystemOptions } from '../../libs/bootstrap/src/system';
import { readSettings, type Settings } from '../../libs/platform/src/config/settings';
import type { RunnerOptions } from '../../libs/projections/src/projection-runner';
import { adminToken, Api, type Reply, TEST_SECRET } from './http';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The whole system (API + projectors) in-process on a fresh test database, with an admin client. */
export interface TestSystem {
  readonly db: TestDatabase;
  /** Replaced by `restart()`. */
  system: RunningSystem;
  api: Api;
  /** Position of the last command accepted through `ok`, for X-Consistent-Position. */
  lastPosition: string;
  /** Awaits a command that must be accepted (201) and remembers its position. */
  ok(reply: Promise<Reply>): Promise<string>;
  /** Headers that make a query read its own writes up to the last accepted command. */
  consistent(): Record<string, string>;
  /** Stops the system (not the database) and starts a new one on the same database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestSystemOptions {
  /** Settings over the defaults (the test database and TEST_SECRET are always set). */
  readonly settings?: Partial<Settings>;
  /** Webhook delivery timings. */
  readonly webhooks?: SystemOptions['webhooks'];
}

export async function startTestSystem(
  runner: RunnerOptions = {},
  options: TestSystemOptions = {},
): Promise<TestSystem> {
  const db = await createTestDatabase();
  const start = () =>
    startSystem({
      role: 'all',
      settings: {
        ...readSettings({}),
        rateLimitPerSecond: 0,
        ...options.settings,
        databaseUrl: db.url,
        authJwtSecret: TEST_SECRET,
      },
      port: 0,
      logger: false,
      runner,
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    });
  const system = await start();
  const t: TestSystem = {
    db,
    system,
    api: new Api(system.url!, adminToken()),
    lastPosition: '0',
    async ok(reply) {
      const r = await reply;
      if (r.status !== 201) throw new Error(`expected 201, got ${r.status}: ${JSON.stringify(r.body)}`);
      t.lastPosition = r.body.position as string;
      return t.lastPosition;
    },
    consistent: () => ({ 'X-Consistent-Position': t.lastPosition }),
    async restart() {
      await t.system.close();
      t.system = await start();
      t.api = new Api(t.system.url!, adminToken());
    },
    async close() {
      await t.system.close();
      await db.drop();
    },
  };
  return t;
}
