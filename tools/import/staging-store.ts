/**
 * The event store the import's command handlers run against: reads come from memory (streams
 * loaded from the real store, in bulk where possible, plus what this import has appended), appends
 * are kept in memory, in order, until the importer writes them in one transaction
 * (`pendingAppends`, then `commit`) or drops them (`rollback`).
 *
 * It answers the way the PostgreSQL store would if each append had been committed at once:
 * expected revisions are checked, an append whose event ids are all already in the same stream at
 * consecutive revisions is an exact retry (nothing appended), any other known id is a
 * DuplicateEventIdError (the API's IDEMPOTENCY_CONFLICT). Event ids stored in the database are
 * only known when the importer has told it (`noteStoredIds`, after looking the batch's ids up).
 * Data and metadata are kept as JSON keeps them and occurredAt normalised, so the next command
 * folds exactly what it would fold after reading the events back.
 */
import {
  DuplicateEventIdError,
  type EventStore,
  type ExpectedRevision,
  type AppendResult,
  type NewEvent,
  normalizeOccurredAt,
  type ReadStreamOptions,
  type StoredEvent,
  WrongExpectedRevisionError,
} from '../../libs/eventsourcing/src/index';
import type { RevisionedAppend } from '../../libs/eventstore-postgres/src/bulk-append';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_POSITION = { major: -1n, minor: -1n };

/** Loads whole streams from the real store (upcast as the API reads them); absent streams map to []. */
export type StreamLoader = (streamIds: readonly string[]) => Promise<ReadonlyMap<string, readonly StoredEvent[]>>;

interface Cached {
  events: StoredEvent[];
  /** How many of `events` are in the database (or counted as such in a dry run). */
  committed: number;
}

export interface StoredId {
  readonly streamId: string;
  readonly revision: bigint;
}

export class StagingEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly cache = new Map<string, Cached>();
  private pending: RevisionedAppend[] = [];
  private readonly pendingIds = new Map<string, StoredId>();
  private readonly storedIds = new Map<string, StoredId>();
  private pendingEvents = 0;

  constructor(
    private readonly load: StreamLoader,
    /** Streams kept in memory after a commit; the least recently read are dropped beyond it. */
    private readonly maxCachedStreams = 200_000,
  ) {}

  /** Loads, in one call, the streams not in memory yet. */
  async prefetch(streamIds: readonly string[]): Promise<void> {
    const missing = [...new Set(streamIds)].filter((s) => !this.cache.has(s));
    if (missing.length === 0) return;
    const loaded = await this.load(missing);
    for (const s of missing) {
      if (this.cache.has(s)) continue; // loaded meanwhile
      const events = [...(loaded.get(s) ?? [])];
      this.cache.set(s, { events, committed: events.length });
    }
  }

  private async entry(streamId: string): Promise<Cached> {
    let cached = this.cache.get(streamId);
    if (!cached) {
      await this.prefetch([streamId]);
      cached = this.cache.get(streamId)!;
    } else {
      // Most recently used last (Map order), for eviction.
      this.cache.delete(streamId);
      this.cache.set(streamId, cached);
    }
    return cached;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    const { events } = await this.entry(streamId);
    const from = Number(options.fromRevision ?? 0n);
    return events.slice(from, options.maxCount === undefined ? undefined : from + options.maxCount);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new TypeError('appendToStream needs at least one event');
    for (const e of events) if (!UUID.test(e.id)) throw new TypeError(`Event id ${e.id} is not a UUID`);
    const ids = events.map((e) => e.id.toLowerCase());
    if (new Set(ids).size !== ids.length) throw new TypeError('The same event id appears twice in one append');
    const cached = await this.entry(streamId);
    const current = BigInt(cached.events.length - 1);

    const known = ids.map((i) => this.pendingIds.get(i) ?? this.storedIds.get(i));
    if (known.some((k) => k !== undefined)) {
      const first = known[0];
      const exactRetry =
        first !== undefined &&
        known.every((k, i) => k !== undefined && k.streamId === streamId && k.revision === first.revision + BigInt(i));
      if (!exactRetry) throw new DuplicateEventIdError(streamId, ids[known.findIndex((k) => k !== undefined)]!);
      return {
        nextExpectedRevision: first.revision + BigInt(ids.length - 1),
        globalPosition: -1n,
        logPosition: NO_POSITION,
        appended: false,
      };
    }

    const expected = options.expectedRevision ?? 'any';
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === -1n) ||
      (expected === 'stream_exists' && current >= 0n) ||
      (typeof expected === 'bigint' && expected === current);
    if (!ok) {
      throw new WrongExpectedRevisionError(
        streamId,
        typeof expected === 'bigint' ? expected.toString() : expected,
        current === -1n ? 'no_stream' : current.toString(),
      );
    }

    const stored: NewEvent[] = [];
    events.forEach((e, i) => {
      const event: NewEvent = {
        id: ids[i]!,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data === undefined ? null : (JSON.parse(JSON.stringify(e.data)) as unknown),
        metadata: JSON.parse(JSON.stringify(e.metadata)) as NewEvent['metadata'],
        occurredAt: normalizeOccurredAt(e.occurredAt),
      };
      stored.push(event);
      const revision = current + 1n + BigInt(i);
      cached.events.push({
        ...event,
        streamId,
        streamRevision: revision,
        globalPosition: -1n,
        logPosition: NO_POSITION,
        recordedAt: event.occurredAt,
      });
      this.pendingIds.set(event.id, { streamId, revision });
    });
    this.pending.push({ streamId, expectedRevision: current, events: stored });
    this.pendingEvents += stored.length;
    return {
      nextExpectedRevision: current + BigInt(events.length),
      globalPosition: -1n,
      logPosition: NO_POSITION,
      appended: true,
    };
  }

  /** The appends since the last commit or rollback, in the order they were made. */
  pendingAppends(): readonly RevisionedAppend[] {
    return this.pending;
  }

  pendingEventCount(): number {
    return this.pendingEvents;
  }

  /** Event ids the database already holds (found by the importer): later appends see them. */
  noteStoredIds(ids: ReadonlyMap<string, StoredId>): void {
    for (const [id, at] of ids) this.storedIds.set(id.toLowerCase(), at);
  }

  /** The pending appends were written (or, in a dry run, are taken as written). */
  commit(): void {
    for (const a of this.pending) {
      const cached = this.cache.get(a.streamId);
      if (cached) cached.committed = cached.events.length;
    }
    this.clearPending();
    const excess = this.cache.size - this.maxCachedStreams;
    if (excess > 0) {
      let n = 0;
      for (const key of this.cache.keys()) {
        if (n++ >= excess) break;
        this.cache.delete(key);
      }
    }
  }

  /** Forgets the pending appends, as if they had never been made. */
  rollback(): void {
    for (const a of this.pending) {
      const cached = this.cache.get(a.streamId);
      if (cached) cached.events.length = cached.committed;
    }
    this.clearPending();
  }

  private clearPending(): void {
    this.pending = [];
    this.pendingIds.clear();
    this.pendingEvents = 0;
  }

  readAll(): never {
    throw new Error('The import store reads streams only');
  }

  subscribeToAll(): never {
    throw new Error('The import store reads streams only');
  }

  logPositionOf(): Promise<null> {
    return Promise.resolve(null);
  }

  headPosition(): Promise<typeof NO_POSITION> {
    return Promise.resolve(NO_POSITION);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
