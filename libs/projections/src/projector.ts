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
  /** The read-model tables it owns: emptied when it is rebuilt from zero. */
  readonly tables: readonly string[];
  apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void>;
}
