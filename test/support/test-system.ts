import { type RunningSystem, startSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import type { RunnerOptions } from '../../libs/projections/src/projection-runner';
import { adminToken, Api, type Reply, TEST_SECRET } from './http';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The whole system (API + projectors) in-process on a fresh test database, with an admin client. */
export interface TestSystem {
  readonly db: TestDatabase;
  readonly system: RunningSystem;
  readonly api: Api;
  /** Position of the last command accepted through `ok`, for X-Consistent-Position. */
  lastPosition: string;
  /** Awaits a command that must be accepted (201) and remembers its position. */
  ok(reply: Promise<Reply>): Promise<string>;
  /** Headers that make a query read its own writes up to the last accepted command. */
  consistent(): Record<string, string>;
  close(): Promise<void>;
}

export async function startTestSystem(runner: RunnerOptions = {}): Promise<TestSystem> {
  const db = await createTestDatabase();
  const system = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
    runner,
  });
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
    async close() {
      await system.close();
      await db.drop();
    },
  };
  return t;
}
