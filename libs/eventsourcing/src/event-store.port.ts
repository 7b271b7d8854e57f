import type { LogPosition, NewEvent, StoredEvent } from './event';

/**
 * What a writer expects of the stream it appends to:
 * - `any`: no check;
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must have at least one event;
 * - a bigint: the revision of the stream's last event must be exactly this.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (or found, for an idempotent retry). */
  readonly globalPosition: bigint;
  readonly logPosition: LogPosition;
  /** False when every event was already in the stream (an idempotent retry). */
  readonly appended: boolean;
}

export interface ReadStreamOptions {
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; default: from the start. */
  readonly after?: LogPosition;
  readonly maxCount: number;
  /** Only these event types (a server-side filter). */
  readonly eventTypes?: readonly string[];
}

export interface ReadAllResult {
  readonly events: readonly StoredEvent[];
  /**
   * Every event up to here has been considered (matching or not). With a filter this may be
   * past the last returned event; resume from it.
   */
  readonly lastPosition: LogPosition;
  /** True when the read reached the end of what is visible now (live head). */
  readonly isEnd: boolean;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position; default: from the start. */
  readonly from?: LogPosition;
  readonly eventTypes?: readonly string[];
  /** Largest batch handed to the handler at once. */
  readonly batchSize?: number;
}

export interface BatchInfo {
  /** Nothing more was visible when this batch was read. */
  readonly caughtUp: boolean;
}

/**
 * Receives events in global order. The next batch is not read until the returned promise
 * settles; if it rejects, the subscription stops and `done` rejects with that error.
 */
export type BatchHandler = (events: readonly StoredEvent[], info: BatchInfo) => Promise<void>;

export interface Subscription {
  /** Stop after the batch in progress. */
  stop(): Promise<void>;
  /** Settles when the subscription has stopped: rejects if the handler or the store failed. */
  readonly done: Promise<void>;
}

/** The port every event store adapter implements; one contract suite tests them all. */
export interface EventStore {
  readonly kind: 'postgres' | 'eventstoredb';
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Oldest first; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly StoredEvent[]>;
  readAll(options: ReadAllOptions): Promise<ReadAllResult>;
  /** Catch up from `from`, then stay live. */
  subscribeToAll(handler: BatchHandler, options?: SubscribeOptions): Subscription;
  /** The log position of the event at this global position, if it exists. */
  logPositionOf(globalPosition: bigint): Promise<LogPosition | null>;
  /** The newest visible event's log position, or START when the log is empty. */
  headPosition(): Promise<LogPosition>;
  /**
   * The newest committed event's log position even where subscribers cannot read it yet (an older
   * transaction still open holds them back), or START. Optional: stores whose head is always
   * readable answer headPosition(). "Caught up" waits use it, so none returns before an event
   * committed earlier is applied.
   */
  committedHead?(): Promise<LogPosition>;
  /** How many visible events come after `after`, counting at most `cap` (optional: lag reports). */
  countEventsAfter?(after: LogPosition, cap: number): Promise<number>;
  close(): Promise<void>;
}
