/**
 * EventStoreDB adapter of the event-store port (`@eventstore/db-client` 6.x, gRPC).
 *
 * Server requirements: EventStoreDB >= 22.10 (stream reads must carry the event's log position;
 * older servers do not send it and this adapter refuses to guess). The `caughtUp` signal of
 * catch-up subscriptions needs >= 23.10; for older servers pass `{ serverSendsCaughtUp: false }`.
 * Reading `$all` needs a user allowed to read it (by default: `$admins`, or an insecure node).
 *
 * Stored shape of one event:
 * - ESDB event id = `NewEvent.id` (must be a UUID), ESDB event type = our `type`,
 *   content type `application/json`, ESDB data = our `data` as JSON;
 * - ESDB metadata = our metadata spread flat, plus three reserved keys:
 *   `{ ...metadata, "$schemaVersion": <number>, "$occurredAt": <ISO-8601 UTC, ms>,
 *      "$chain": { "hash": <hex>, "prevHash": <hex> | null } }`.
 *   Flat, so ESDB tooling (UI, projections) sees our correlation/causation fields directly.
 *   The `$` prefix keeps them apart from our own keys; an append whose metadata already carries
 *   one of them is refused (TypeError) so a read always gives back exactly what was written.
 *   Reading strips the three keys again; `$chain` becomes `StoredEvent.hash` / `prevHash`.
 * - Hash chain (ADR 0006, libs/eventsourcing/src/event-hash.ts): each event's hash is chained to
 *   the hash of the stream's previous event, which the adapter reads before appending (the last
 *   event, read backwards, or the whole stream it reads anyway for `any` / `stream_exists`), and
 *   the append then goes with that exact expected revision, so a concurrent writer cannot slip in
 *   between and fork the chain. Events written before the chain existed have no `$chain`: they
 *   read without a hash, the verifier reports them, and events after them chain from null.
 *   UNVERIFIED: no EventStoreDB server could run where this was written (no Docker); this code is
 *   type-checked only, and the contract suite (which checks the chain) has not run against it.
 * - Read back: `recordedAt` = ESDB `created` (ms precision), `streamRevision` = ESDB revision,
 *   `globalPosition` = commit position, `logPosition` = `{ major: commit, minor: prepare }`.
 *   Events without the reserved keys (written by other tools) read as schemaVersion 1 and
 *   occurredAt = recordedAt.
 *
 * Idempotency by event id (the port: an id already in the stream is a no-op). ESDB acknowledges an
 * exact retry at the same expected revision as a success without saying it appended nothing, and
 * its ANY check is best effort, so this adapter decides itself:
 * - exact revision r (`no_stream` is r = -1): it first reads the stream's last event (one small
 *   backwards read; its hash continues the chain). At r: a success from ESDB is a real append (fast
 *   path: read + append). Elsewhere, or ESDB refuses the append: the whole stream is read; if every given id is
 *   stored, in the given order, the answer is that earlier append with `appended: false`; some but
 *   not all: DuplicateEventIdError; none: WrongExpectedRevisionError.
 * - `any` / `stream_exists`: the whole stream is read and matched the same way, then the append goes
 *   with the exact revision just read (so a concurrent retry cannot slip in between, and the hash
 *   chain continues from the event just read); a lost race repeats this a few times and then
 *   fails with WrongExpectedRevisionError (no fallback to ESDB's own ANY: it would fork the chain).
 *   The cost is one read of the stream per append: fine for aggregate streams, not for huge ones.
 * Not detected (documented limits): ids stored at or below an exact expected revision that the
 * caller passes anyway (handleCommand rules this out by reading first), and two identical retries
 * racing between probe and append at an exact revision (both report `appended: true`).
 *
 * `readAll`: client 6.2.1's `readAll` has no server-side filter (its request always says
 * `no_filter`), so types are filtered here, on the client, while scanning $all forwards; a call
 * considers at most `maxCount + READ_ALL_SCAN_WINDOW` events and then returns with `isEnd: false`
 * and `lastPosition` at the last considered event. System events (type starting with `$`) are
 * always left out. `subscribeToAll` filters on the server (exact-type regex, or excludeSystemEvents).
 */
import {
  BACKWARDS,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  InvalidArgumentError,
  NO_STREAM,
  NotLeaderError,
  START as ESDB_START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type ReadRevision,
} from '@eventstore/db-client';
import { chainHashes, normalizeOccurredAt } from '../../eventsourcing/src/event-hash';
import {
  START,
  comparePositions,
  type EventMetadata,
  type LogPosition,
  type NewEvent,
  type StoredEvent,
} from '../../eventsourcing/src/event';
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
} from '../../eventsourcing/src/event-store.port';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../eventsourcing/src/errors';

/** Reserved ESDB metadata keys carrying the envelope fields that ESDB has no slot for. */
export const SCHEMA_VERSION_KEY = '$schemaVersion';
export const OCCURRED_AT_KEY = '$occurredAt';
/** Reserved ESDB metadata key of the hash chain: `{ hash, prevHash }`. */
export const CHAIN_KEY = '$chain';

/** Events `readAll` may pass over (beyond `maxCount`) before it returns what it has. */
export const READ_ALL_SCAN_WINDOW = 4096;
/** Optimistic attempts of an `any` / `stream_exists` append before ESDB's own check is used. */
const ANY_APPEND_ATTEMPTS = 5;
const DEFAULT_BATCH_SIZE = 500;
/** Servers before 22.6 send this as the commit position of events read from a stream. */
const NO_POSITION = 2n ** 64n - 1n;

export interface EsdbEventStoreOptions {
  /**
   * The server sends the catch-up subscription's `caughtUp` message (EventStoreDB >= 23.10).
   * When false, a batch is reported `caughtUp` whenever nothing else is buffered. Default true.
   */
  readonly serverSendsCaughtUp?: boolean;
}

/** The fields of an ESDB recorded event that the adapter uses. */
interface EsdbRecord {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private readonly serverSendsCaughtUp: boolean;
  private readonly subscriptions = new Set<Subscription>();
  private closed: Promise<void> | null = null;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.serverSendsCaughtUp = options.serverSendsCaughtUp ?? true;
  }

  /** e.g. `esdb://localhost:2113?tls=false` or `esdb://admin:changeit@host:2113`. */
  static connect(connectionString: string, options?: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  // ---------------------------------------------------------------------------------------------
  // Append

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    assertDistinctIds(streamId, events);
    if (events.length === 0) return this.appendNothing(streamId, expected);
    for (const event of events) assertNoReservedKeys(event);

    if (expected === 'any' || expected === 'stream_exists') {
      for (let attempt = 0; attempt < ANY_APPEND_ATTEMPTS; attempt++) {
        const stored = await this.readWholeStream(streamId);
        const earlier = findEarlierAppend(streamId, stored, events);
        if (earlier) return earlier;
        const last = stored[stored.length - 1];
        if (expected === 'stream_exists' && !last) {
          throw new WrongExpectedRevisionError(streamId, 'stream_exists', 'no_stream');
        }
        try {
          return await this.appendNow(
            streamId,
            toChainedEventData(streamId, last, events),
            last ? last.streamRevision : NO_STREAM,
          );
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw mapError(error);
          // Someone appended in between: look again (the chain must continue from their event).
        }
      }
      // No fallback to ESDB's own ANY / STREAM_EXISTS: the chain would be computed on a stale last event.
      const stored = await this.readWholeStream(streamId);
      const earlier = findEarlierAppend(streamId, stored, events);
      if (earlier) return earlier;
      throw new WrongExpectedRevisionError(streamId, expected, 'changed concurrently');
    }

    const revision = expected === 'no_stream' ? -1n : expected;
    const last = await this.readLastEvent(streamId);
    if ((last ? last.streamRevision : -1n) !== revision) {
      // The stream is past (or behind) the expected revision: a retry, a partial retry or a conflict.
      return this.resolveRefused(streamId, events, expected);
    }
    try {
      return await this.appendNow(
        streamId,
        toChainedEventData(streamId, last, events),
        expected === 'no_stream' ? NO_STREAM : revision,
      );
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return this.resolveRefused(streamId, events, expected);
      throw mapError(error);
    }
  }

  /** A real append; ESDB's refusal is thrown as its WrongExpectedVersionError. */
  private async appendNow(
    streamId: string,
    data: EventData[],
    expectedRevision: AppendExpectedRevision,
  ): Promise<AppendResult> {
    const result = await this.client.appendToStream(streamId, data, { expectedRevision });
    if (!result.success) {
      // Only with `throwOnAppendFailure=false` in the connection string.
      throw new WrongExpectedVersionError(undefined, {
        streamName: streamId,
        expected: expectedRevision,
        current: result.nextExpectedRevision < 0n ? NO_STREAM : result.nextExpectedRevision,
      });
    }
    if (result.position) {
      const { commit, prepare } = result.position;
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        globalPosition: commit,
        logPosition: { major: commit, minor: prepare },
        appended: true,
      };
    }
    // The server did not report a position: take it from the last event written.
    const last = await this.readEventAt(streamId, result.nextExpectedRevision);
    if (!last) {
      throw new EventStoreUnavailableError(
        `EventStoreDB acknowledged an append to ${streamId} at revision ${result.nextExpectedRevision} that cannot be read back`,
      );
    }
    return {
      nextExpectedRevision: last.streamRevision,
      globalPosition: last.globalPosition,
      logPosition: last.logPosition,
      appended: true,
    };
  }

  /** After a refusal (or a probe that found the stream further on): retry, partial retry or conflict. */
  private async resolveRefused(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const stored = await this.readWholeStream(streamId);
    const earlier = findEarlierAppend(streamId, stored, events);
    if (earlier) return earlier;
    const last = stored[stored.length - 1];
    throw new WrongExpectedRevisionError(streamId, String(expected), last ? String(last.streamRevision) : 'no_stream');
  }

  /** An empty append writes nothing but still checks the expectation. */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.readLastEvent(streamId);
    const actual = last ? last.streamRevision : -1n;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && !last) ||
      (expected === 'stream_exists' && !!last) ||
      (typeof expected === 'bigint' && expected === actual);
    if (!ok) {
      throw new WrongExpectedRevisionError(streamId, String(expected), last ? String(actual) : 'no_stream');
    }
    return {
      nextExpectedRevision: actual,
      globalPosition: last ? last.globalPosition : -1n,
      logPosition: last ? last.logPosition : START,
      appended: false,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Stream reads

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    const { fromRevision, maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return [];
    return this.readStreamEvents(streamId, {
      fromRevision: fromRevision !== undefined && fromRevision >= 0n ? fromRevision : ESDB_START,
      direction: FORWARDS,
      ...(maxCount !== undefined ? { maxCount } : {}),
    });
  }

  private readWholeStream(streamId: string): Promise<StoredEvent[]> {
    return this.readStreamEvents(streamId, { fromRevision: ESDB_START, direction: FORWARDS });
  }

  private async readEventAt(streamId: string, revision: bigint): Promise<StoredEvent | undefined> {
    if (revision < 0n) return undefined;
    const [event] = await this.readStreamEvents(streamId, {
      fromRevision: revision,
      direction: FORWARDS,
      maxCount: 1,
    });
    return event && event.streamRevision === revision ? event : undefined;
  }

  private async readLastEvent(streamId: string): Promise<StoredEvent | undefined> {
    const [event] = await this.readStreamEvents(streamId, {
      fromRevision: END,
      direction: BACKWARDS,
      maxCount: 1,
    });
    return event;
  }

  private async readStreamEvents(
    streamId: string,
    options: { fromRevision: ReadRevision; direction: typeof FORWARDS | typeof BACKWARDS; maxCount?: number },
  ): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        const record = resolved.event;
        if (record) out.push(toStoredEvent(record, record.position));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw mapError(error);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // $all reads

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const { after, maxCount, eventTypes } = options;
    if (!Number.isSafeInteger(maxCount) || maxCount < 1) {
      throw new RangeError(`readAll: maxCount must be a positive integer, got ${maxCount}`);
    }
    const from = after && after.major >= 0n ? after : undefined;
    const types = eventTypes ? new Set(eventTypes) : undefined;
    // The event at `after` itself comes back first (the client's position is inclusive).
    const limit = maxCount + READ_ALL_SCAN_WINDOW + (from ? 1 : 0);
    const read = this.client.readAll({
      fromPosition: from ? toEsdbPosition(from) : ESDB_START,
      direction: FORWARDS,
      maxCount: limit,
    });

    const events: StoredEvent[] = [];
    let lastPosition: LogPosition = from ?? START;
    let received = 0;
    let full = false;
    try {
      for await (const resolved of read) {
        received++;
        const position = positionOf(resolved);
        if (!position) continue;
        const logPosition = toLogPosition(position);
        if (from && comparePositions(logPosition, from) <= 0) continue;
        lastPosition = logPosition;
        const record = resolved.event;
        if (!record || isSystemType(record.type) || (types && !types.has(record.type))) continue;
        events.push(toStoredEvent(record, position));
        if (events.length >= maxCount) {
          full = true;
          break;
        }
      }
    } catch (error) {
      throw mapError(error);
    } finally {
      if (full) await read.cancel().catch(() => undefined);
    }
    return { events, lastPosition, isEnd: !full && received < limit };
  }

  async logPositionOf(globalPosition: bigint): Promise<LogPosition | null> {
    if (globalPosition < 0n) return null;
    try {
      const read = this.client.readAll({
        fromPosition: { commit: globalPosition, prepare: globalPosition },
        direction: FORWARDS,
        maxCount: 1,
      });
      for await (const resolved of read) {
        const position = positionOf(resolved);
        const record = resolved.event;
        if (!position || !record || position.commit !== globalPosition || isSystemType(record.type)) {
          return null;
        }
        return toLogPosition(position);
      }
      return null;
    } catch (error) {
      // A number that is not the start of a record is refused by the server: no such event.
      if (error instanceof InvalidArgumentError || error instanceof UnknownError) return null;
      throw mapError(error);
    }
  }

  async headPosition(): Promise<LogPosition> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    let found: LogPosition = START;
    let early = false;
    try {
      for await (const resolved of read) {
        const position = positionOf(resolved);
        const record = resolved.event;
        if (position && record && !isSystemType(record.type)) {
          found = toLogPosition(position);
          early = true;
          break;
        }
      }
    } catch (error) {
      throw mapError(error);
    } finally {
      if (early) await read.cancel().catch(() => undefined);
    }
    return found;
  }

  // ---------------------------------------------------------------------------------------------
  // Subscription

  subscribeToAll(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`subscribeToAll: batchSize must be a positive integer, got ${batchSize}`);
    }
    const from = options.from && options.from.major >= 0n ? options.from : undefined;
    const types = options.eventTypes ? new Set(options.eventTypes) : undefined;
    const filter =
      options.eventTypes && options.eventTypes.length > 0
        ? eventTypeFilter({ regex: `^(?:${options.eventTypes.map(escapeRegex).join('|')})$` })
        : excludeSystemEvents();
    const stream: AllStreamSubscription = this.client.subscribeToAll({
      fromPosition: from ? toEsdbPosition(from) : ESDB_START,
      filter,
    });

    // Backpressure: stop reading when this many events wait, read again below half of it.
    const highWater = Math.max(2 * batchSize, 64);
    const lowWater = Math.floor(highWater / 2);
    const buffer: StoredEvent[] = [];
    let lastQueued: LogPosition | undefined = from;
    let caughtUpSignalled = false;
    let handling = false;
    let stopping = false;
    let settled = false;

    let resolveDone!: () => void;
    let rejectDone!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });
    // `done` may never be awaited (e.g. a stopped subscription); its rejection must not go unhandled.
    done.catch(() => undefined);

    const unsubscribe = (): Promise<void> => stream.unsubscribe().catch(() => undefined);
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      stopping = true;
      buffer.length = 0;
      void unsubscribe();
      this.subscriptions.delete(subscription);
      if (error === undefined) resolveDone();
      else rejectDone(error);
    };

    const pump = (): void => {
      if (handling || settled) return;
      if (stopping) {
        finish();
        return;
      }
      if (buffer.length === 0) return;
      const batch = buffer.splice(0, batchSize);
      if (stream.isPaused() && buffer.length <= lowWater) stream.resume();
      const caughtUp =
        buffer.length === 0 && stream.readableLength === 0 && (caughtUpSignalled || !this.serverSendsCaughtUp);
      handling = true;
      Promise.resolve()
        .then(() => handler(batch, { caughtUp }))
        .then(
          () => {
            handling = false;
            pump();
          },
          (error: unknown) => {
            handling = false;
            finish(error);
          },
        );
    };

    stream.on('data', (resolved: AllStreamResolvedEvent) => {
      if (stopping) return;
      try {
        const record = resolved.event;
        const position = positionOf(resolved);
        if (!record || !position || isSystemType(record.type) || (types && !types.has(record.type))) return;
        const logPosition = toLogPosition(position);
        // `from` is exclusive, and a position is never delivered twice.
        if (lastQueued && comparePositions(logPosition, lastQueued) <= 0) return;
        lastQueued = logPosition;
        buffer.push(toStoredEvent(record, position));
        if (buffer.length >= highWater) stream.pause();
        pump();
      } catch (error) {
        finish(error);
      }
    });
    stream.on('caughtUp', () => {
      caughtUpSignalled = true;
    });
    stream.on('fellBehind', () => {
      caughtUpSignalled = false;
    });
    stream.on('error', (error: Error) => finish(mapError(error)));
    stream.on('close', () => {
      if (!stopping) finish(new EventStoreUnavailableError('EventStoreDB closed the $all subscription'));
    });

    const subscription: Subscription = {
      done,
      stop: async () => {
        if (!stopping) {
          stopping = true;
          buffer.length = 0;
          await unsubscribe();
        }
        // Let the batch in progress finish; do not await stop() from inside the handler.
        if (!handling) finish();
        await done.catch(() => undefined);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  // ---------------------------------------------------------------------------------------------

  close(): Promise<void> {
    this.closed ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.stop()));
      await this.client.dispose();
    })();
    return this.closed;
  }
}

// -----------------------------------------------------------------------------------------------
// Mapping

function assertNoReservedKeys(event: NewEvent): void {
  const metadata = event.metadata as Record<string, unknown>;
  for (const key of [SCHEMA_VERSION_KEY, OCCURRED_AT_KEY, CHAIN_KEY]) {
    if (Object.prototype.hasOwnProperty.call(metadata, key)) {
      throw new TypeError(`Event ${event.id}: metadata key ${key} is reserved by the EventStoreDB adapter`);
    }
  }
  if (Number.isNaN(Date.parse(event.occurredAt))) {
    throw new TypeError(`occurredAt ${event.occurredAt} is not a date`);
  }
}

/**
 * The events to append after `last` (the stream's last event, if any), each with its `$chain`.
 * UNVERIFIED against a server (see the file's comment).
 */
function toChainedEventData(streamId: string, last: StoredEvent | undefined, events: readonly NewEvent[]): EventData[] {
  const first = last ? last.streamRevision + 1n : 0n;
  const occurredAt = events.map((e) => normalizeOccurredAt(e.occurredAt));
  const links = chainHashes(
    last?.hash ?? null,
    events.map((e, i) => ({ ...e, streamId, streamRevision: first + BigInt(i), occurredAt: occurredAt[i]! })),
  );
  return events.map((event, i) =>
    jsonEvent({
      id: event.id,
      type: event.type,
      // JSON.stringify(undefined) writes nothing at all; store it as null.
      data: (event.data === undefined ? null : event.data) as JSONType,
      metadata: {
        ...(event.metadata as Record<string, unknown>),
        [SCHEMA_VERSION_KEY]: event.schemaVersion,
        [OCCURRED_AT_KEY]: occurredAt[i]!,
        [CHAIN_KEY]: { hash: links[i]!.hash, prevHash: links[i]!.prevHash },
      },
    }),
  );
}

function toStoredEvent(record: EsdbRecord, position: Position | undefined): StoredEvent {
  if (!position || position.commit === NO_POSITION) {
    throw new Error(
      `EventStoreDB did not report the log position of event ${record.id} in ${record.streamId}: ` +
        'the EventStoreDB adapter needs server version 22.10 or later',
    );
  }
  const recordedAt = record.created.toISOString();
  const { metadata, schemaVersion, occurredAt, chain } = splitMetadata(record.metadata);
  return {
    id: record.id,
    type: record.type,
    schemaVersion: schemaVersion ?? 1,
    data: record.data,
    metadata,
    occurredAt: occurredAt ?? recordedAt,
    streamId: record.streamId,
    streamRevision: record.revision,
    globalPosition: position.commit,
    logPosition: toLogPosition(position),
    recordedAt,
    ...(chain ? { hash: chain.hash, prevHash: chain.prevHash } : {}),
  };
}

function splitMetadata(raw: unknown): {
  metadata: EventMetadata;
  schemaVersion: number | undefined;
  occurredAt: string | undefined;
  chain: { hash: string; prevHash: string | null } | undefined;
} {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) {
    return { metadata: {} as EventMetadata, schemaVersion: undefined, occurredAt: undefined, chain: undefined };
  }
  const {
    [SCHEMA_VERSION_KEY]: schemaVersion,
    [OCCURRED_AT_KEY]: occurredAt,
    [CHAIN_KEY]: chain,
    ...rest
  } = raw as Record<string, unknown>;
  const link = chain as { hash?: unknown; prevHash?: unknown } | null | undefined;
  return {
    metadata: rest as EventMetadata,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : undefined,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : undefined,
    chain:
      link && typeof link === 'object' && typeof link.hash === 'string'
        ? { hash: link.hash, prevHash: typeof link.prevHash === 'string' ? link.prevHash : null }
        : undefined,
  };
}

/**
 * If the given events were appended before: that append's result, with `appended: false`.
 * None of them stored: null. Some, or all but out of order: DuplicateEventIdError.
 */
function findEarlierAppend(
  streamId: string,
  stored: readonly StoredEvent[],
  events: readonly NewEvent[],
): AppendResult | null {
  const byId = new Map(stored.map((e) => [e.id.toLowerCase(), e]));
  const found = events.map((e) => byId.get(e.id.toLowerCase()));
  const firstFound = found.findIndex((e) => e !== undefined);
  if (firstFound < 0) return null;
  let previous: StoredEvent | undefined;
  for (const event of found) {
    if (!event || (previous && event.streamRevision <= previous.streamRevision)) {
      throw new DuplicateEventIdError(streamId, events[firstFound]!.id);
    }
    previous = event;
  }
  const last = previous!;
  return {
    nextExpectedRevision: last.streamRevision,
    globalPosition: last.globalPosition,
    logPosition: last.logPosition,
    appended: false,
  };
}

function assertDistinctIds(streamId: string, events: readonly NewEvent[]): void {
  const seen = new Set<string>();
  for (const event of events) {
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new DuplicateEventIdError(streamId, event.id);
    seen.add(id);
  }
}

function positionOf(resolved: AllStreamResolvedEvent): Position | undefined {
  return resolved.event?.position ?? resolved.link?.position;
}

function toLogPosition(position: Position): LogPosition {
  return { major: position.commit, minor: position.prepare };
}

function toEsdbPosition(position: LogPosition): ReadPosition {
  return { commit: position.major, prepare: position.minor };
}

function isSystemType(type: string): boolean {
  return type.startsWith('$');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Connection-level failures become EventStoreUnavailableError; the rest pass through. */
function mapError(error: unknown): unknown {
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError
  ) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${error.message}`, { cause: error });
  }
  return error;
}
