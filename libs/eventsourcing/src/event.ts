/**
 * Event envelopes. Framework-free: no NestJS, TypeORM or class-validator here.
 *
 * An event's `type` is an explicit, versioned string contract (never a class name) and its
 * `schemaVersion` says which shape of `data` it carries.
 */

/** Who did what, and why: recorded with every event. */
export interface EventMetadata {
  /** The authenticated user (`sub` of the token) or a system actor such as `system:seed`. */
  readonly actor: string;
  /** The command's own id (orderId, paymentId, ...), which makes a retry recognisable. */
  readonly commandId: string;
  /** The command's type, e.g. `BookSale`. */
  readonly commandType: string;
  /** Groups everything caused by one request. */
  readonly correlationId: string;
  /** The id of the message (request or event) that caused this event. */
  readonly causationId: string;
  /** SHA-256 of the command's canonical body: same id + other body is an idempotency conflict. */
  readonly requestHash?: string;
  readonly [key: string]: unknown;
}

/** An event as a command produces it, before the store gives it a place in the log. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** UUID. Appending an event whose id is already in the stream is an idempotent no-op. */
  readonly id: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
  /** Business time, given by the caller (ISO-8601 UTC). */
  readonly occurredAt: string;
}

/**
 * Where an event stands in the global log. Totally ordered by (major, minor):
 * PostgreSQL store: (transaction id, sequence); EventStoreDB: (commit, prepare).
 */
export interface LogPosition {
  readonly major: bigint;
  readonly minor: bigint;
}

export const START: LogPosition = Object.freeze({ major: -1n, minor: -1n });

export function comparePositions(a: LogPosition, b: LogPosition): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  return 0;
}

/** Text form of a log position, used for checkpoints and opaque cursors: `major/minor`. */
export function formatLogPosition(p: LogPosition): string {
  return `${p.major}/${p.minor}`;
}

export function parseLogPosition(text: string): LogPosition | null {
  const m = /^(-1|\d{1,20})\/(-1|\d{1,20})$/.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { major: BigInt(m[1]), minor: BigInt(m[2]) };
}

/** An event as the store keeps it. */
export interface StoredEvent<Type extends string = string, Data = unknown> extends NewEvent<Type, Data> {
  readonly streamId: string;
  /** 0-based revision within its stream. */
  readonly streamRevision: bigint;
  /** The event's global position: an integer, increasing in the global log (shown as a string). */
  readonly globalPosition: bigint;
  /** Its place in the global order, for checkpoints. */
  readonly logPosition: LogPosition;
  /** Record time, set by the store (ISO-8601 UTC). */
  readonly recordedAt: string;
  /**
   * SHA-256 (hex) of the event's canonical form chained to `prevHash` (see event-hash.ts).
   * Set by the stores; absent on events written before the chain existed (or built by hand in tests).
   */
  readonly hash?: string;
  /** The hash of the previous event of the stream; null for the stream's first event. */
  readonly prevHash?: string | null;
}

/** The category of a stream is the part of its id before the first '-': `order-42` → `order`. */
export function streamCategory(streamId: string): string {
  const i = streamId.indexOf('-');
  return i < 0 ? streamId : streamId.slice(0, i);
}
