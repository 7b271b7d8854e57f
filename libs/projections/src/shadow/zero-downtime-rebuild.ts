import type { DataSource, EntityManager } from 'typeorm';
import { createHash } from 'node:crypto';
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

export const rebuildSchemaOf = (names: readonly string[]) =>
  names.length === 1
    ? `rebuild_${(names[0] as string).replace(/[^a-z0-9]+/g, '_')}`
    : `rebuild_set_${createHash('sha256')
        .update([...names].sort().join('\u0000'))
        .digest('hex')
        .slice(0, 12)}`;

/**
 * Rebuilds projections without downtime: their tables are built anew from the whole log in a
 * schema beside the live ones (with side effects off) while queries keep answering from the live
 * tables and the live runners keep applying new events. Several projections are built in one pass
 * over the log (each event read once for all of them). Then each projection in turn, in one short
 * transaction holding its live tables' locks, applies the last few events to its copy, replaces
 * its live tables and moves its checkpoint; the live runner (in any process) notices and
 * continues from there. Resolves with each projection's status once all are switched.
 */
export async function rebuildWithoutDowntime(
  projectorOrProjectors: Projector | readonly Projector[],
  store: EventStore,
  dataSource: DataSource,
  lockConnection: ClientConfig,
  options: RebuildOptions = {},
): Promise<RebuildStatus> {
  const projectors: readonly Projector[] = Array.isArray(projectorOrProjectors)
    ? projectorOrProjectors
    : [projectorOrProjectors as Projector];
  const names = projectors.map((p) => p.name);
  if (names.length === 0) throw new Error('Nothing to rebuild');
  const lock = new Client(lockConnection);
  await lock.connect();
  try {
    for (const name of names) {
      const taken = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        REBUILD_LOCK_NAMESPACE,
        name,
      ]);
      if (!taken.rows[0]?.locked) throw new RebuildInProgressError(`A rebuild of ${name} is already running`);
    }
    const startedAt = new Date().toISOString();
    const statuses = new Map<string, RebuildStatus>();
    const record = (name: string, next: RebuildStatus, manager: DataSource | EntityManager = dataSource) => {
      statuses.set(name, next);
      return manager.query('UPDATE projection_checkpoints SET rebuild = $2 WHERE name = $1', [name, next]);
    };
    const building: RebuildStatus = { state: 'building', eventsApplied: 0, startedAt, finishedAt: null, error: null };
    for (const name of names) await record(name, building);
    options.onStarted?.();
    let shadow: ShadowBuild | null = null;
    try {
      shadow = await ShadowBuild.create(dataSource, store, {
        schema: rebuildSchemaOf(names),
        projectors,
        batchSize: options.batchSize,
      });
      const build = shadow;
      let lastReport = 0;
      const onBatch = async () => {
        const applied = build.eventsRead;
        await options.onProgress?.(applied);
        if (applied - lastReport >= 10_000) {
          lastReport = applied;
          for (const name of names) {
            await record(name, { ...(statuses.get(name) as RebuildStatus), eventsApplied: build.eventsApplied(name) });
          }
        }
      };
      await build.advance({ onBatch });
      // Catch up outside the locks as long as there is something to catch up with.
      for (let i = 0; i < 5; i++) {
        const before = build.eventsRead;
        await build.advance({ onBatch });
        if (build.eventsRead === before) break;
      }
      // Statistics for the new tables before they serve queries (one connection per projection).
      await Promise.all(
        projectors
          .filter((p) => p.tables.length > 0)
          .map((p) =>
            dataSource.query(`ANALYZE ${p.tables.map((t) => `${ident(build.schema)}.${ident(t)}`).join(', ')}`),
          ),
      );
      let last: RebuildStatus = building;
      for (const projector of projectors) {
        const name = projector.name;
        await record(name, { ...building, state: 'switching', eventsApplied: build.eventsApplied(name) });
        await switchOver(dataSource, build, projector);
        last = {
          state: 'done',
          eventsApplied: build.eventsApplied(name),
          startedAt,
          finishedAt: new Date().toISOString(),
          error: null,
        };
        await record(name, last);
      }
      return last;
    } catch (error) {
      for (const name of names) {
        const status = statuses.get(name) as RebuildStatus;
        if (status.state === 'done') continue;
        await record(name, {
          ...status,
          state: 'failed',
          finishedAt: new Date().toISOString(),
          error: error instanceof Error ? error.message : String(error),
        }).catch(() => undefined);
      }
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
        await shadow.advance({ manager, only: [projector.name] });
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
