/**
 * Replay of periods: the projections are rebuilt from the event log into a schema of their own
 * (nothing live is written), brought to exactly the positions the live projections stand at,
 * and compared with the live read models for each period. The period's digest is computed from
 * the rebuilt ledger, and for a closed period compared with the statements recorded at close.
 */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  PERIODS_STREAM,
  type PeriodClosed,
  type PeriodStatement,
} from '../../../commissions/src/contracts/commissions.events';
import { periodDigest, periodStatements } from '../../../commissions/src/periods/close-period/period-statements';
import {
  comparePositions,
  type EventStore,
  type LogPosition,
  parseLogPosition,
  START,
} from '../../../eventsourcing/src/index';
import { compareProjectionTables, type RowDifference } from '../../../projections/src/shadow/compare-tables';
import type { Projector } from '../../../projections/src/projector';
import { ShadowBuild } from '../../../projections/src/shadow/shadow-build';
import { dropStaleShadowSchemas } from '../../../projections/src/shadow/shadow-schema';

export const LEDGER = 'commission-ledger';
/** At most this many differences are listed per period (the total is always given). */
export const MAX_DIFFERENCES = 100;

/** A difference of a replay: a read-model row, or (table `statements`) a recorded statement. */
export type ReplayDifference = RowDifference;

export interface RecordedClose {
  readonly closeEventId: string;
  readonly closedBy: string;
  readonly digest: string;
  /** The rebuilt statements equal the recorded ones, salesperson by salesperson. */
  readonly matches: boolean;
}

export interface PeriodReplayReport {
  readonly period: string;
  readonly projections: readonly string[];
  /** Events read from the log and applied to the rebuilt projections. */
  readonly eventsRead: number;
  /** Global position of the last event the rebuilt ledger applied (null: empty log). */
  readonly throughPosition: string | null;
  readonly rowsCompared: number;
  readonly differences: readonly ReplayDifference[];
  readonly differencesTotal: number;
  /** SHA-256 of the period's statements from the rebuilt ledger (docs/domain-decisions.md). */
  readonly digest: string;
  readonly statements: readonly PeriodStatement[];
  /** The close of this period as recorded in PeriodClosed, or null while it is open. */
  readonly recorded: RecordedClose | null;
}

export class ReplayInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class LiveProjectionBehindError extends Error {}

export interface ReplayDeps {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  readonly projectors: readonly Projector[];
}

export interface ReplayOptions {
  readonly periods: readonly string[];
  /** Projections to rebuild and compare (default: every rebuildable one). */
  readonly projections?: readonly string[];
  readonly batchSize?: number;
  /** Called after each batch with the events read so far and the log's size when it started. */
  readonly onProgress?: (eventsRead: number, total: number | null) => void | Promise<void>;
  /** How long to wait for the live projections to reach the rebuilt position (ms). */
  readonly liveTimeoutMs?: number;
}

/** A unique, sortable name for an isolated schema: `<prefix>_<yyyymmddhhmmss>_<random>`. */
export function isolatedSchemaName(prefix: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14);
  return `${prefix}_${stamp}_${randomBytes(4).toString('hex')}`;
}

export function selectProjectors(all: readonly Projector[], names: readonly string[] | undefined): Projector[] {
  const rebuildable = all.filter((p) => p.rebuildable !== false);
  if (!names || names.length === 0) return rebuildable;
  const unknown = names.filter((n) => !rebuildable.some((p) => p.name === n));
  if (unknown.length > 0) {
    throw new ReplayInputError(
      'projections',
      `Unknown or not replayable: ${unknown.join(', ')} (replayable: ${rebuildable.map((p) => p.name).join(', ')})`,
    );
  }
  return rebuildable.filter((p) => names.includes(p.name));
}

export async function replayPeriods(deps: ReplayDeps, options: ReplayOptions): Promise<PeriodReplayReport[]> {
  const compared = selectProjectors(deps.projectors, options.projections);
  const ledger = deps.projectors.find((p) => p.name === LEDGER);
  if (!ledger) throw new Error('The commission ledger projector is missing');
  const built = compared.some((p) => p.name === LEDGER) ? compared : [...compared, ledger];
  await dropStaleShadowSchemas(deps.dataSource, ['replay'], 24 * 3600_000);
  const total = deps.store.countEventsAfter ? await deps.store.countEventsAfter(START, 1e12) : null;
  const build = await ShadowBuild.create(deps.dataSource, deps.store, {
    schema: isolatedSchemaName('replay'),
    projectors: built,
    batchSize: options.batchSize,
  });
  try {
    const onBatch = () => options.onProgress?.(build.eventsRead, total);
    await build.advance({ onBatch });
    await waitForLive(deps.dataSource, build, compared, options.liveTimeoutMs ?? 30_000);

    // One snapshot of the live side: each projection's rows and checkpoint as committed together.
    const runner = deps.dataSource.createQueryRunner();
    await runner.connect();
    const comparisons = new Map<string, { rowsCompared: number; differences: RowDifference[] }>();
    try {
      await runner.startTransaction('REPEATABLE READ');
      const live = await checkpoints(runner, compared);
      for (const projector of compared) {
        await build.advance({ until: live.get(projector.name) ?? START, only: [projector.name], onBatch });
      }
      const serials = new Map<string, readonly string[]>();
      for (const period of options.periods) {
        let rowsCompared = 0;
        const differences: RowDifference[] = [];
        for (const projector of compared) {
          const result = await build.query((copy) => compareProjectionTables(projector, period, runner, copy, serials));
          rowsCompared += result.rowsCompared;
          differences.push(...result.differences);
        }
        comparisons.set(period, { rowsCompared, differences });
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }

    const closes = await recordedCloses(deps.store);
    const reports: PeriodReplayReport[] = [];
    for (const period of options.periods) {
      const statements = await build.query((copy) => periodStatements(copy, period));
      const comparison = comparisons.get(period) ?? { rowsCompared: 0, differences: [] };
      const differences = [...comparison.differences];
      const close = closes.get(period);
      let recorded: RecordedClose | null = null;
      if (close) {
        const statementDifferences = compareStatements(close.data.statements, statements);
        differences.push(...statementDifferences);
        recorded = {
          closeEventId: close.id,
          closedBy: close.data.closedBy,
          digest: periodDigest(close.data.statements),
          matches: statementDifferences.length === 0,
        };
      }
      reports.push({
        period,
        projections: compared.map((p) => p.name),
        eventsRead: build.eventsRead,
        throughPosition: build.lastGlobalPosition(LEDGER)?.toString() ?? null,
        rowsCompared: comparison.rowsCompared + statements.length,
        differences: differences.slice(0, MAX_DIFFERENCES),
        differencesTotal: differences.length,
        digest: periodDigest(statements),
        statements,
        recorded,
      });
    }
    return reports;
  } finally {
    await build.drop().catch(() => undefined);
  }
}

async function checkpoints(
  db: { query(sql: string, parameters?: unknown[]): Promise<unknown> },
  projectors: readonly Projector[],
): Promise<Map<string, LogPosition>> {
  const rows = (await db.query('SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])', [
    projectors.map((p) => p.name),
  ])) as Array<{ name: string; position: string }>;
  return new Map(rows.map((r) => [r.name, parseLogPosition(r.position) ?? START]));
}

/** The live projections must have applied at least what the copies have, to be compared at all. */
async function waitForLive(
  dataSource: DataSource,
  build: ShadowBuild,
  projectors: readonly Projector[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await checkpoints(dataSource, projectors);
    const behind = projectors.filter((p) => comparePositions(live.get(p.name) ?? START, build.position(p.name)) < 0);
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      throw new LiveProjectionBehindError(
        `The live projections ${behind.map((p) => p.name).join(', ')} are behind the log: compare again when they have caught up`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

type RecordedPeriodClose = PeriodClosed & { readonly id: string };

/** Every PeriodClosed of the log, by period. */
async function recordedCloses(store: EventStore): Promise<Map<string, RecordedPeriodClose>> {
  const events = await store.readStream(PERIODS_STREAM);
  const closes = new Map<string, RecordedPeriodClose>();
  for (const e of events) {
    if (e.type !== 'PeriodClosed') continue;
    const close = { id: e.id, type: 'PeriodClosed', data: e.data, occurredAt: e.occurredAt } as RecordedPeriodClose;
    closes.set(close.data.period, close);
  }
  return closes;
}

/** Recorded vs rebuilt statements, salesperson by salesperson (`live` holds the recorded one). */
export function compareStatements(
  recorded: readonly PeriodStatement[],
  rebuilt: readonly PeriodStatement[],
): RowDifference[] {
  const differences: RowDifference[] = [];
  const text = (s: PeriodStatement | undefined) => (s ? JSON.stringify(s, Object.keys(s).sort()) : '');
  const ids = [...new Set([...recorded.map((s) => s.salespersonId), ...rebuilt.map((s) => s.salespersonId)])].sort();
  for (const id of ids) {
    const was = recorded.find((s) => s.salespersonId === id);
    const now = rebuilt.find((s) => s.salespersonId === id);
    if (text(was) === text(now)) continue;
    differences.push({
      projection: LEDGER,
      table: 'statements',
      kind: !was ? 'missing' : !now ? 'unexpected' : 'changed',
      key: { salespersonId: id },
      live: was ?? null,
      rebuilt: now ?? null,
    });
  }
  return differences;
}
