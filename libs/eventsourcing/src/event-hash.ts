/**
 * Tamper evidence of the event log (ADR 0006): every event records a SHA-256 hash of its content
 * chained to the hash of the previous event of its stream. Framework-free.
 *
 * Canonical form hashed for one event (keys sorted at every level, no whitespace, see
 * `canonicalJson`):
 *
 *   {"data":…,"id":"<uuid, lower case>","metadata":{…},"occurredAt":"<ISO-8601 UTC, ms>",
 *    "prevHash":"<hex>"|null,"schemaVersion":<int>,"streamId":"…","streamRevision":"<decimal>",
 *    "type":"…"}
 *
 * - `prevHash`: the hash of the stream's previous event; null for revision 0.
 * - `data` and `metadata` are taken as JSON keeps them (`JSON.parse(JSON.stringify(x))`: undefined
 *   members dropped, dates as strings; undefined data is null), so the hash computed at append
 *   time equals the one recomputed from what a store reads back.
 * - `occurredAt` is normalised with `new Date(x).toISOString()` (UTC, millisecond precision); the
 *   stores keep it in that form.
 * - `recordedAt` and the global position are set by the store after the hash is computed; they
 *   are protected by the log seals (see libs/audit/src/log-seals), not by this hash.
 */
import type { NewEvent, StoredEvent } from './event';
import { canonicalJson, sha256Hex } from './ids';

/** What the hash of one event covers. */
export type HashedEvent = Pick<StoredEvent, 'streamId' | 'streamRevision'> &
  Pick<NewEvent, 'id' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'occurredAt'>;

/** `occurredAt` as the stores keep it (and as it is hashed): ISO-8601 UTC with milliseconds. */
export function normalizeOccurredAt(occurredAt: string): string {
  const ms = Date.parse(occurredAt);
  if (Number.isNaN(ms)) throw new TypeError(`occurredAt ${occurredAt} is not a date`);
  return new Date(ms).toISOString();
}

function asStoredJson(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** The canonical text whose SHA-256 is the event's hash (exported for documentation and tests). */
export function eventHashInput(prevHash: string | null, e: HashedEvent): string {
  return canonicalJson({
    prevHash,
    streamId: e.streamId,
    streamRevision: e.streamRevision.toString(),
    id: e.id.toLowerCase(),
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: asStoredJson(e.data),
    metadata: asStoredJson(e.metadata),
    occurredAt: normalizeOccurredAt(e.occurredAt),
  });
}

/** SHA-256 (lower-case hex) of the event's canonical form, chained to `prevHash`. */
export function eventHash(prevHash: string | null, e: HashedEvent): string {
  return sha256Hex(eventHashInput(prevHash, e));
}

/** Hashes for events appended after a stream's last event (`lastHash`, null for a new stream). */
export function chainHashes(
  lastHash: string | null,
  events: readonly HashedEvent[],
): Array<{ hash: string; prevHash: string | null }> {
  let prev = lastHash;
  return events.map((e) => {
    const hash = eventHash(prev, e);
    const link = { hash, prevHash: prev };
    prev = hash;
    return link;
  });
}
