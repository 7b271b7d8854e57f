import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { DATA_SOURCE, EVENT_STORE } from '../../../platform/src/cqrs/tokens';

/**
 * Finds the event a ledger entry came from, in the event store itself (the truth), from the
 * event id and global position the entry keeps. The port has no "read one event by id", and we
 * add nothing to it:
 *
 * - PostgreSQL store: `es_events` is in our database, so its row (looked up by `event_id`, unique)
 *   gives the stream and revision, and the event is then read with `store.readStream`.
 * - Any other store (EventStoreDB): `logPositionOf(globalPosition)` gives the event's log position,
 *   and `readAll` from just before it (minor − 1; positions are integers, so nothing lies between)
 *   returns it first. This path is unverified against a real EventStoreDB server, like that
 *   adapter; if the store refuses the read, the lineage answers `sourceEvent: null`.
 *
 * Either way the event is returned only if its id is the one the entry names.
 */
@Injectable()
export class SourceEventLocator {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
  ) {}

  async find(eventId: string, globalPosition: bigint): Promise<StoredEvent | null> {
    const same = (e: StoredEvent | undefined): e is StoredEvent => e?.id.toLowerCase() === eventId.toLowerCase();
    if (this.store.kind === 'postgres') {
      const [row] = (await this.db.query(
        'SELECT stream_id, stream_revision::text AS stream_revision FROM es_events WHERE event_id = $1',
        [eventId],
      )) as Array<{ stream_id: string; stream_revision: string }>;
      if (!row) return null;
      const [event] = await this.store.readStream(row.stream_id, {
        fromRevision: BigInt(row.stream_revision),
        maxCount: 1,
      });
      return same(event) ? event : null;
    }
    const at = await this.store.logPositionOf(globalPosition);
    if (!at) return null;
    try {
      const { events } = await this.store.readAll({ after: { major: at.major, minor: at.minor - 1n }, maxCount: 1 });
      const event = events[0];
      return same(event) ? event : null;
    } catch {
      return null;
    }
  }
}
