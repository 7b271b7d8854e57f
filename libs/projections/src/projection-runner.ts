import type { DataSource, EntityManager } from 'typeorm';
import { Client, type ClientConfig } from 'pg';
import {
  comparePositions,
  type EventStore,
  formatLogPosition,
  type LogPosition,
  parseLogPosition,
  START,
  type StoredEvent,
  type Subscription,
} from '../../eventsourcing/src/index';
import { projectionBatchesTotal } from '../../platform/src/metrics/app-metrics';
import { LIVE, type Projector } from './projector';

export type ProjectionState = 'starting' | 'standby' | 'catching_up' | 'live' | 'failed' | 'stopped';

export interface ProjectionStatus {
  readonly name: string;
  readonly state: ProjectionState;
  /** This process holds the projection's lock and is the one applying events. */
  readonly owner: boolean;
  readonly error: string | null;
}

export interface RunnerOptions {
  readonly batchSize?: number;
  /** Hook for fault-injection tests: called after a batch committed. */
  readonly afterBatch?: (name: string, events: readonly StoredEvent[]) => Promise<void> | void;
  /**
   * Hook for fault-injection tests: called inside the batch's transaction just before the
   * projector applies it. Throwing here is a projector failing on that batch (nothing of it is
   * applied, the checkpoint does not move).
   */
  readonly beforeBatch?: (name: string, events: readonly StoredEvent[]) => Promise<void> | void;
  /**
   * Delay before retrying after a failure (ms); doubles up to 30 s (up to 5 s while the database
   * is unreachable), and starts again from this once a batch has committed.
   */
  readonly retryDelayMs?: number;
  /** How often an idle runner checks whether its projection was rebuilt elsewhere (ms). */
  readonly generationCheckMs?: number;
}

/** Thrown inside a batch transaction when the checkpoint moved under us (a rebuild, another owner). */
class CheckpointMovedError extends Error {}

/** A lost or refused database connection (socket errors, SQLSTATE 08xxx, 57P01–57P03). */
function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; name?: unknown; message?: unknown } | null;
  const code =
    typeof e?.code === 'string' ? e.code : typeof e?.driverError?.code === 'string' ? e.driverError.code : '';
  return (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|08...|57P0[123])$/.test(code) ||
    e?.name === 'EventStoreUnavailableError' ||
    /Connection terminated|terminating connection|database system is (starting up|shutting down)|ECONNREFUSED/i.test(
      String(e?.message ?? ''),
    )
  );
}

const LOCK_NAMESPACE = 7_340_021;

/**
 * Runs one projector: takes its advisory lock (one instance per projection across all
 * processes), subscribes from its checkpoint and applies each batch together with the new
 * checkpoint in one transaction. Conditional checkpoint updates make a batch built on a stale
 * checkpoint roll back rather than apply twice.
 */
export class ProjectionRunner {
  private state: ProjectionState = 'stopped';
  private error: string | null = null;
  private lockClient: Client | null = null;
  private subscription: Subscription | null = null;
  private stopped = true;
  private loop: Promise<void> | null = null;
  private wakeLoop: (() => void) | null = null;
  /** The checkpoint this runner read or last wrote: a batch only commits on top of it. */
  private expectedCheckpoint = formatLogPosition(START);
  /** A batch committed since the last failure: the retry delay starts again from its base. */
  private committedSinceFailure = false;

  constructor(
    readonly projector: Projector,
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly lockConnection: ClientConfig,
    private readonly options: RunnerOptions = {},
  ) {}

  status(): ProjectionStatus {
    return {
      name: this.projector.name,
      state: this.state,
      owner: this.lockClient !== null,
      error: this.error,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.state = 'starting';
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeLoop?.();
    await this.subscription?.stop();
    await this.loop;
    this.loop = null;
    await this.releaseLock();
    this.state = 'stopped';
  }

  private async run(): Promise<void> {
    const baseDelay = this.options.retryDelayMs ?? 1000;
    let delay = baseDelay;
    while (!this.stopped) {
      try {
        if (!(await this.acquireLock())) {
          this.state = 'standby';
          await this.pause(delay);
          continue;
        }
        await ensureCheckpointRow(this.dataSource, this.projector.name);
        const checkpoint = await readCheckpoint(this.dataSource, this.projector.name);
        if (this.stopped) break; // stop() came while we were starting: nothing to unsubscribe yet
        this.expectedCheckpoint = formatLogPosition(checkpoint.position);
        this.state = 'catching_up';
        const subscription = this.store.subscribeToAll((events, info) => this.applyBatch(events, info.caughtUp), {
          from: checkpoint.position,
          batchSize: this.options.batchSize ?? 500,
        });
        this.subscription = subscription;
        // A subscription with nothing to deliver calls no handler: say live once the head is reached.
        void this.markLiveIfCaughtUp();
        // A rebuild (from any process) bumps the generation: start over from the reset checkpoint.
        const watch = setInterval(() => {
          readCheckpoint(this.dataSource, this.projector.name)
            .then((now) => {
              if (now.generation !== checkpoint.generation) void subscription.stop();
            })
            .catch(() => undefined);
          void this.markLiveIfCaughtUp();
        }, this.options.generationCheckMs ?? 1000);
        try {
          await subscription.done;
        } finally {
          clearInterval(watch);
          this.subscription = null;
        }
        if (!this.stopped) continue;
      } catch (error) {
        this.subscription = null;
        if (this.stopped) break;
        if (error instanceof CheckpointMovedError) {
          delay = this.options.retryDelayMs ?? 1000;
          await this.pause(20);
          continue; // resubscribe from the stored checkpoint
        }
        if (this.committedSinceFailure) delay = baseDelay;
        this.committedSinceFailure = false;
        this.state = 'failed';
        this.error = error instanceof Error ? error.message : String(error);
        await this.dataSource
          .query('UPDATE projection_checkpoints SET last_error = $2, updated_at = now() WHERE name = $1', [
            this.projector.name,
            this.error,
          ])
          .catch(() => undefined);
        await this.releaseLock();
        await this.pause(delay);
        // An unreachable database is retried often enough to resume soon after it comes back.
        delay = Math.min(delay * 2, isConnectionLoss(error) ? Math.max(baseDelay, 5_000) : 30_000);
      }
    }
  }

  private async applyBatch(events: readonly StoredEvent[], caughtUp: boolean): Promise<void> {
    const last = events[events.length - 1];
    if (!last) return;
    await this.dataSource.transaction(async (manager: EntityManager) => {
      await this.options.beforeBatch?.(this.projector.name, events);
      await this.projector.apply(events, manager, LIVE);
      // A CTE, so the driver answers rows whatever the statement (TypeORM wraps UPDATE results).
      const moved = (await manager.query(
        `WITH moved AS (
           UPDATE projection_checkpoints
              SET position = $2, global_position = $3, events_applied = events_applied + $4,
                  last_error = NULL, updated_at = now()
            WHERE name = $1 AND position = $5
           RETURNING name)
         SELECT count(*)::int AS n FROM moved`,
        [
          this.projector.name,
          formatLogPosition(last.logPosition),
          last.globalPosition.toString(),
          events.length,
          this.expectedCheckpoint,
        ],
      )) as Array<{ n: number }>;
      if (moved[0]?.n !== 1) throw new CheckpointMovedError('checkpoint moved');
    });
    this.expectedCheckpoint = formatLogPosition(last.logPosition);
    projectionBatchesTotal.inc({ projection: this.projector.name });
    this.committedSinceFailure = true;
    this.error = null;
    this.state = caughtUp ? 'live' : 'catching_up';
    await this.options.afterBatch?.(this.projector.name, events);
  }

  /** catching_up → live when the log's head is not past what this runner has applied. */
  private async markLiveIfCaughtUp(): Promise<void> {
    if (this.state !== 'catching_up') return;
    const applied = parseLogPosition(this.expectedCheckpoint);
    const head = await this.store.headPosition().catch(() => null);
    if (head && applied && comparePositions(head, applied) <= 0 && this.state === 'catching_up') this.state = 'live';
  }

  private async acquireLock(): Promise<boolean> {
    if (this.lockClient) return true;
    const client = new Client(this.lockConnection);
    const lost = () => {
      // The lock dies with its connection (a restarted or unreachable database): stop applying
      // and try to take it again.
      if (this.lockClient !== client) return;
      this.lockClient = null;
      void this.subscription?.stop();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
      LOCK_NAMESPACE,
      this.projector.name,
    ]);
    if (result.rows[0]?.locked) {
      this.lockClient = client;
      return true;
    }
    await client.end();
    return false;
  }

  private async releaseLock(): Promise<void> {
    const client = this.lockClient;
    this.lockClient = null;
    await client?.end().catch(() => undefined);
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeLoop = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

export async function ensureCheckpointRow(dataSource: DataSource, name: string): Promise<void> {
  await dataSource.query(
    `INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
    [name, formatLogPosition(START)],
  );
}

export async function readCheckpoint(
  dataSource: DataSource | EntityManager,
  name: string,
): Promise<{ position: LogPosition; globalPosition: bigint | null; generation: number }> {
  const rows = (await dataSource.query(
    `SELECT position, global_position::text AS global_position, generation FROM projection_checkpoints WHERE name = $1`,
    [name],
  )) as Array<{ position: string; global_position: string | null; generation: number }>;
  const row = rows[0];
  if (!row) return { position: START, globalPosition: null, generation: 0 };
  return {
    position: parseLogPosition(row.position) ?? START,
    globalPosition: row.global_position === null ? null : BigInt(row.global_position),
    generation: row.generation,
  };
}
