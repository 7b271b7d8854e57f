/**
 * The one place every reader goes through: a decorator of the EventStore port that delivers
 * upcast events from `readStream`, `readAll` and `subscribeToAll`, and passes appends (and every
 * other call) through untouched. Installed where the store is created (the server's
 * `connectEventStore`, the CLIs' `openCliContext`), so commands, projections, the feed and the SSE
 * stream all see current versions only. Framework-free.
 *
 * The hash chain covers the stored bytes, not the upcast ones: upcast events keep their stored
 * `hash`/`prevHash`, and the log verifier reads `storedEventsOf(store)`, the raw store.
 */
import type { LogPosition, NewEvent, StoredEvent } from '../event';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import type { Upcasters } from './upcaster';

export class UpcastingEventStore implements EventStore {
  readonly kind: EventStore['kind'];
  readonly countEventsAfter?: (after: LogPosition, cap: number) => Promise<number>;

  constructor(
    /** The store as it keeps the events (what the hash chain covers). */
    readonly stored: EventStore,
    private readonly upcasters: Upcasters,
  ) {
    this.kind = stored.kind;
    if (stored.countEventsAfter) {
      const count = stored.countEventsAfter.bind(stored);
      this.countEventsAfter = (after, cap) => count(after, cap);
    }
  }

  private upcastAll(events: readonly StoredEvent[]): readonly StoredEvent[] {
    let changed = false;
    const out = events.map((e) => {
      const u = this.upcasters.upcast(e);
      if (u !== e) changed = true;
      return u;
    });
    return changed ? out : events;
  }

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult> {
    return this.stored.appendToStream(streamId, events, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]> {
    return this.upcastAll(await this.stored.readStream(streamId, options));
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const result = await this.stored.readAll(options);
    const events = this.upcastAll(result.events);
    return events === result.events ? result : { ...result, events };
  }

  subscribeToAll(handler: BatchHandler, options?: SubscribeOptions): Subscription {
    return this.stored.subscribeToAll((events, info) => handler(this.upcastAll(events), info), options);
  }

  logPositionOf(globalPosition: bigint): Promise<LogPosition | null> {
    return this.stored.logPositionOf(globalPosition);
  }

  headPosition(): Promise<LogPosition> {
    return this.stored.headPosition();
  }

  committedHead(): Promise<LogPosition> {
    return this.stored.committedHead ? this.stored.committedHead() : this.stored.headPosition();
  }

  close(): Promise<void> {
    return this.stored.close();
  }
}

/** The store as it keeps the events: unwraps upcasting decorators (the hash chain covers these bytes). */
export function storedEventsOf(store: EventStore): EventStore {
  let s = store;
  while (s instanceof UpcastingEventStore) s = s.stored;
  return s;
}
