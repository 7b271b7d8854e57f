import type { DataSource } from 'typeorm';
import type { ClientConfig } from 'pg';
import {
  comparePositions,
  type EventStore,
  formatLogPosition,
  parseLogPosition,
  START,
} from '../../eventsourcing/src/index';
import type { Projector } from './projector';
import {
  markInterruptedRebuilds,
  RebuildInProgressError,
  type RebuildOptions,
  type RebuildStatus,
  rebuildWithoutDowntime,
} from './shadow/zero-downtime-rebuild';

export class NotRebuildableError extends Error {}

/** Events per transaction of a rebuild (larger than the live batches: fewer round trips). */
const REBUILD_BATCH_SIZE = 5000;
import { ensureCheckpointRow, ProjectionRunner, type ProjectionState, type RunnerOptions } from './projection-runner';

export interface ProjectionReport {
  readonly name: string;
  /** This process's view of the runner, or `remote` when another process runs it. */
  readonly state: ProjectionState | 'remote';
  readonly owner: boolean;
  readonly checkpoint: string;
  /** Global position of the last applied event (as commands return them), or null. */
  readonly position: string | null;
  /** Newest global position in the log. */
  readonly headPosition: string | null;
  /** Events recorded after the checkpoint (counted up to 1,000,000; null when the store cannot count). */
  readonly lag: number | null;
  readonly eventsApplied: number;
  readonly lastError: string | null;
  readonly updatedAt: string;
  /** The last zero-downtime rebuild (in progress or finished), or null. */
  readonly rebuild: RebuildStatus | null;
}

export type WaitOutcome = 'reached' | 'timeout' | 'unknown_position';

/** Runs the projectors of this process and answers about all projections. */
export class ProjectionEngine {
  private readonly runners = new Map<string, ProjectionRunner>();

  constructor(
    readonly projectors: readonly Projector[],
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly lockConnection: ClientConfig,
    private readonly options: RunnerOptions = {},
  ) {
    const names = new Set<string>();
    for (const p of projectors) {
      if (names.has(p.name)) throw new Error(`Two projectors are named ${p.name}`);
      names.add(p.name);
    }
  }

  projector(name: string): Projector | undefined {
    return this.projectors.find((p) => p.name === name);
  }

  async start(): Promise<void> {
    await markInterruptedRebuilds(
      this.dataSource,
      this.projectors.map((p) => p.name),
    );
    for (const projector of this.projectors) {
      await ensureCheckpointRow(this.dataSource, projector.name);
      const runner = new ProjectionRunner(projector, this.store, this.dataSource, this.lockConnection, this.options);
      this.runners.set(projector.name, runner);
      runner.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }

  async status(): Promise<ProjectionReport[]> {
    const rows = (await this.dataSource.query(
      `SELECT name, position, global_position::text AS global_position, events_applied::text AS events_applied,
              last_error, rebuild, updated_at
         FROM projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name`,
      [this.projectors.map((p) => p.name)],
    )) as Array<{
      name: string;
      position: string;
      global_position: string | null;
      events_applied: string;
      last_error: string | null;
      rebuild: RebuildStatus | null;
      updated_at: Date;
    }>;
    const head = await this.store.headPosition();
    const headGlobal = await this.headGlobalPosition(head);
    const reports: ProjectionReport[] = [];
    for (const projector of this.projectors) {
      const row = rows.find((r) => r.name === projector.name);
      const runner = this.runners.get(projector.name)?.status();
      const checkpoint = (row && parseLogPosition(row.position)) || START;
      reports.push({
        name: projector.name,
        state: runner ? runner.state : 'remote',
        owner: runner?.owner ?? false,
        checkpoint: formatLogPosition(checkpoint),
        position: row?.global_position ?? null,
        headPosition: headGlobal,
        lag: this.store.countEventsAfter ? await this.store.countEventsAfter(checkpoint, 1_000_000) : null,
        eventsApplied: Number(row?.events_applied ?? 0),
        lastError: row?.last_error ?? runner?.error ?? null,
        updatedAt: (row?.updated_at ?? new Date(0)).toISOString(),
        rebuild: row?.rebuild ?? null,
      });
    }
    return reports;
  }

  private async headGlobalPosition(head: { major: bigint; minor: bigint }): Promise<string | null> {
    if (comparePositions(head, START) === 0) return null;
    return this.store.kind === 'postgres' ? head.minor.toString() : head.major.toString();
  }

  /**
   * Rebuilds a projection from the whole log without downtime (see rebuildWithoutDowntime):
   * resolves once the new tables have replaced the live ones.
   */
  rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildStatus> {
    return this.rebuildMany([name], options);
  }

  /**
   * Rebuilds several projections in one pass over the log (each event read once for all of
   * them), then switches each one in turn.
   */
  async rebuildMany(names: readonly string[], options: RebuildOptions = {}): Promise<RebuildStatus> {
    const projectors = names.map((name) => {
      const projector = this.projector(name);
      if (!projector) throw new Error(`Unknown projection ${name}`);
      if (projector.rebuildable === false)
        throw new NotRebuildableError(`${name} is never rebuilt: its rows are evidence`);
      return projector;
    });
    for (const name of names) await ensureCheckpointRow(this.dataSource, name);
    return rebuildWithoutDowntime(projectors, this.store, this.dataSource, this.lockConnection, {
      batchSize: Math.max(this.options.batchSize ?? REBUILD_BATCH_SIZE, 500),
      ...options,
    });
  }

  /**
   * Starts a rebuild in the background (HTTP). Resolves true once it is under way, false when a
   * rebuild of that projection already runs in some process. The outcome is recorded in the
   * checkpoint row (`rebuild`), shown by status().
   */
  startRebuild(name: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let settled = false;
      this.rebuild(name, {
        onStarted: () => {
          settled = true;
          resolve(true);
        },
      }).then(
        () => undefined,
        (error: unknown) => {
          if (settled) return; // recorded as failed in the checkpoint row
          if (error instanceof RebuildInProgressError) resolve(false);
          else reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /**
   * Waits until every named projection has applied the event at `globalPosition`
   * (read-your-writes for X-Consistent-Position).
   */
  async waitFor(names: readonly string[], globalPosition: bigint, timeoutMs: number): Promise<WaitOutcome> {
    const target = await this.store.logPositionOf(globalPosition);
    if (!target) return 'unknown_position';
    const deadline = Date.now() + timeoutMs;
    let delay = 5;
    for (;;) {
      const rows = (await this.dataSource.query(
        'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])',
        [names],
      )) as Array<{ name: string; position: string }>;
      const reached = names.every((n) => {
        const row = rows.find((r) => r.name === n);
        const at = row ? parseLogPosition(row.position) : null;
        return at !== null && comparePositions(at, target) >= 0;
      });
      if (reached) return 'reached';
      if (Date.now() >= deadline) return 'timeout';
      await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(1, deadline - Date.now()))));
      delay = Math.min(delay * 2, 50);
    }
  }

  /** Waits until every projection has applied everything in the log now (for tests and tools). */
  async waitUntilCaughtUp(timeoutMs = 30_000, only?: readonly string[]): Promise<void> {
    // Everything committed by now, even what an open transaction still hides from the subscribers.
    const head = this.store.committedHead ? await this.store.committedHead() : await this.store.headPosition();
    const deadline = Date.now() + timeoutMs;
    const names = only ?? this.projectors.map((p) => p.name);
    for (;;) {
      const rows = (await this.dataSource.query(
        'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])',
        [names],
      )) as Array<{ name: string; position: string }>;
      const behind = names.filter((n) => {
        const at = parseLogPosition(rows.find((r) => r.name === n)?.position ?? '');
        return at === null || comparePositions(at, head) < 0;
      });
      if (behind.length === 0 || comparePositions(head, START) === 0) return;
      if (Date.now() >= deadline) throw new Error(`Projections not caught up: ${behind.join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
