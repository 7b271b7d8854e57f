import type { DataSource, EntityManager } from 'typeorm';
import { Client, type ClientConfig } from 'pg';
import { type EventStore, formatLogPosition } from '../../../eventsourcing/src/index';
import type { Projector } from '../projector';
import { ShadowBuild } from './shadow-build';
import { ident, LIVE_SCHEMA, promoteShadowTables } from './shadow-schema';

/** Where a rebuild stands; kept in projection_checkpoints.rebuild so every process can report it. */
export interface RebuildStatus {
  readonly state: 'building' | 'switching' | 'done' | 'failed';
  readonly eventsApplied: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
}

export class RebuildInProgressError extends Error {}

export interface RebuildOptions {
  readonly batchSize?: number;
  /** Called after each batch of the build with the events applied so far (CLI progress, tests). */
  readonly onProgress?: (eventsApplied: number) => Promise<void> | void;
  /** Called once the rebuild holds its lock and has recorded that it is building. */
  readonly onStarted?: () => void;
}

const REBUILD_LOCK_NAMESPACE = 7_340_031;
const LOCK_NOT_AVAILABLE = '55P03';

export const rebuildSchemaOf = (name: string) => `rebuild_${name.replace(/[^a-z0-9]+/g, '_')}`;

/**
 * Rebuilds a projection without downtime: its tables are built anew from the whole log in a
 * schema beside the live ones (with side effects off) while queries keep answering from the live
 * tables and the live runner keeps applying new events. Then, in one short transaction holding
 * the live tables' locks, the copy applies the last few events, replaces the live tables and
 * moves the checkpoint; the live runner (in any process) notices and continues from there.
 */
export async function rebuildWithoutDowntime(
  projector: Projector,
  store: EventStore,
  dataSource: DataSource,
  lockConnection: ClientConfig,
  options: RebuildOptions = {},
): Promise<RebuildStatus> {
  const name = projector.name;
  const lock = new Client(lockConnection);
  await lock.connect();
  try {
    const taken = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
      REBUILD_LOCK_NAMESPACE,
      name,
    ]);
    if (!taken.rows[0]?.locked) throw new RebuildInProgressError(`A rebuild of ${name} is already running`);
    const startedAt = new Date().toISOString();
    let status: RebuildStatus = { state: 'building', eventsApplied: 0, startedAt, finishedAt: null, error: null };
    const record = (next: RebuildStatus, manager: DataSource | EntityManager = dataSource) => {
      status = next;
      return manager.query('UPDATE projection_checkpoints SET rebuild = $2 WHERE name = $1', [name, next]);
    };
    await record(status);
    options.onStarted?.();
    let shadow: ShadowBuild | null = null;
    try {
      shadow = await ShadowBuild.create(dataSource, store, {
        schema: rebuildSchemaOf(name),
        projectors: [projector],
        batchSize: options.batchSize,
      });
      const build = shadow;
      let lastReport = 0;
      const onBatch = async () => {
        const applied = build.eventsApplied(name);
        await options.onProgress?.(applied);
        if (applied - lastReport >= 10_000) {
          lastReport = applied;
          await record({ ...status, eventsApplied: applied });
        }
      };
      await build.advance({ onBatch });
      // Catch up outside the locks as long as there is something to catch up with.
      for (let i = 0; i < 5; i++) {
        const before = build.eventsApplied(name);
        await build.advance({ onBatch });
        if (build.eventsApplied(name) === before) break;
      }
      if (projector.tables.length > 0) {
        await dataSource.query(
          `ANALYZE ${projector.tables.map((t) => `${ident(build.schema)}.${ident(t)}`).join(', ')}`,
        );
      }
      await record({ ...status, state: 'switching', eventsApplied: build.eventsApplied(name) });
      await switchOver(dataSource, build, projector);
      const done: RebuildStatus = {
        state: 'done',
        eventsApplied: build.eventsApplied(name),
        startedAt,
        finishedAt: new Date().toISOString(),
        error: null,
      };
      await record(done);
      return done;
    } catch (error) {
      await record({
        ...status,
        state: 'failed',
        finishedAt: new Date().toISOString(),
        error: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
      throw error;
    } finally {
      await shadow?.drop().catch(() => undefined);
    }
  } finally {
    await lock.end().catch(() => undefined);
  }
}

/**
 * The switch: lock the live tables (NOWAIT, retried, so neither a live batch nor a long query is
 * deadlocked or queued behind us for long), apply what the copy still lacks, swap the tables and
 * move the checkpoint, all in one transaction.
 */
async function switchOver(dataSource: DataSource, shadow: ShadowBuild, projector: Projector): Promise<void> {
  const live = projector.tables.map((t) => `${ident(LIVE_SCHEMA)}.${ident(t)}`).join(', ');
  for (let attempt = 0; ; attempt++) {
    try {
      await dataSource.transaction(async (manager) => {
        if (live) await manager.query(`LOCK TABLE ${live} IN ACCESS EXCLUSIVE MODE NOWAIT`);
        await manager.query('SELECT name FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [projector.name]);
        await shadow.advance({ manager });
        await promoteShadowTables(manager, shadow.schema, projector.tables);
        const at = shadow.position(projector.name);
        await manager.query(
          `UPDATE projection_checkpoints
              SET position = $2, global_position = $3, generation = generation + 1, events_applied = $4,
                  last_error = NULL, updated_at = now()
            WHERE name = $1`,
          [
            projector.name,
            formatLogPosition(at),
            shadow.lastGlobalPosition(projector.name)?.toString() ?? null,
            shadow.eventsApplied(projector.name),
          ],
        );
      });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= 200) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 100)));
    }
  }
}

/**
 * A rebuild whose process died leaves its status at `building`/`switching`. Whoever starts the
 * projections marks such a status `failed` when no process holds that rebuild's lock any more
 * (the leftover schema is dropped by the next rebuild).
 */
export async function markInterruptedRebuilds(dataSource: DataSource, names: readonly string[]): Promise<void> {
  await dataSource.query(
    `UPDATE projection_checkpoints
        SET rebuild = rebuild || jsonb_build_object('state', 'failed', 'error', 'interrupted: the process running it stopped')
      WHERE name = ANY($1::text[]) AND rebuild->>'state' IN ('building', 'switching')
        AND pg_try_advisory_lock($2, hashtext(name)) AND pg_advisory_unlock($2, hashtext(name))`,
    [names, REBUILD_LOCK_NAMESPACE],
  );
}
