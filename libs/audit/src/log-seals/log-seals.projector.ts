import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { Projector } from '../../../projections/src/projector';
import { nextSeal } from './log-seals.projection';

/**
 * Seals the event log: every batch the runner hands over (all event types, in global order)
 * becomes one row of `es_log_seals`, chained to the previous seal, written in the batch's
 * transaction together with the checkpoint. Never rebuilt: the seals are evidence of what the
 * log held when they were made, and a rebuild would recompute them from a possibly altered log.
 */
export class LogSealProjector implements Projector {
  readonly name = 'log-seals';
  readonly tables = ['es_log_seals'];
  readonly rebuildable = false;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const [last] = (await manager.query(
      'SELECT seal_no::text AS seal_no, hash FROM es_log_seals ORDER BY es_log_seals.seal_no DESC LIMIT 1',
    )) as Array<{ seal_no: string; hash: string }>;
    const seal = nextSeal(last ? { sealNo: Number(last.seal_no), hash: last.hash } : null, events);
    if (!seal) return;
    await manager.query(
      `INSERT INTO es_log_seals
         (seal_no, first_position, last_position, last_global_position, event_count, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        seal.sealNo,
        seal.firstPosition,
        seal.lastPosition,
        seal.lastGlobalPosition,
        seal.eventCount,
        seal.prevHash,
        seal.hash,
      ],
    );
  }
}
