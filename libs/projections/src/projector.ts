import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../eventsourcing/src/index';

/**
 * A projector turns events into read-model rows. `apply` runs inside the transaction that also
 * stores the projector's checkpoint, so a batch is applied exactly once or not at all.
 * Its business logic belongs in a pure `*.projection.ts` beside it; the projector only loads
 * the state that logic needs and writes the changes it returns.
 */
export interface Projector {
  /** Stable name: the checkpoint's key and the name shown at GET /api/v1/projections. */
  readonly name: string;
  /** The read-model tables it owns: built anew beside the live ones when it is rebuilt. */
  readonly tables: readonly string[];
  /** False: never rebuilt, replayed or compared (its tables are evidence, e.g. the log seals). Default true. */
  readonly rebuildable?: boolean;
  /**
   * How a replay of a period compares its tables with the live ones. A table not listed is
   * compared whole. Serial columns are never compared (retried batches leave gaps in them).
   */
  readonly replayScope?: readonly ReplayTable[];
  /**
   * Applies a batch. `context.sideEffects` is false when the batch feeds a copy (a rebuild, a
   * replay or a what-if): a projector that does more than write its tables must do only that then.
   */
  apply(events: readonly StoredEvent[], manager: EntityManager, context?: ApplyContext): Promise<void>;
}

/** How a batch is applied: to the live read models, or to a copy being built beside them. */
export interface ApplyContext {
  /** True only for the live projection: notifications and other effects outside its tables may run. */
  readonly sideEffects: boolean;
}

export const LIVE: ApplyContext = Object.freeze({ sideEffects: true });
export const SHADOW: ApplyContext = Object.freeze({ sideEffects: false });

/** How a replay compares one table of a projection for a period. */
export interface ReplayTable {
  readonly table: string;
  /** SQL condition on the table's unqualified columns selecting the period's rows, `$1` = `YYYY-MM`. */
  readonly periodFilter?: string;
  /** Columns that identify a row, to report a changed row as one difference. */
  readonly key?: readonly string[];
}
