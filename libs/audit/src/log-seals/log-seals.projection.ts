/**
 * The global chain of the event log (ADR 0006): the log cut into consecutive seals, each the
 * SHA-256 of what the per-event hashes do not cover (global position and record time) plus the
 * events' own hashes, chained to the previous seal. Pure: no clock, no I/O.
 *
 * Canonical form of seal n (keys sorted, no whitespace, see `canonicalJson`):
 *
 *   {"events":[["<globalPosition, decimal>","<recordedAt, ISO-8601 UTC>","<event hash>"|null],…],
 *    "prevHash":"<hash of seal n-1>"|null,"sealNo":n}
 *
 * Seals are numbered from 1; seal 1 has prevHash null. Events are in global order.
 */
import { canonicalJson, sha256Hex } from '../../../eventsourcing/src/ids';
import { formatLogPosition, type StoredEvent } from '../../../eventsourcing/src/event';

export interface LogSeal {
  readonly sealNo: number;
  /** Log position (`major/minor`) of the first and last event sealed. */
  readonly firstPosition: string;
  readonly lastPosition: string;
  readonly lastGlobalPosition: string;
  readonly eventCount: number;
  readonly prevHash: string | null;
  readonly hash: string;
}

export type SealedEvent = Pick<StoredEvent, 'globalPosition' | 'recordedAt' | 'hash'>;

/** The canonical text whose SHA-256 is the seal's hash. */
export function sealHashInput(sealNo: number, prevHash: string | null, events: readonly SealedEvent[]): string {
  return canonicalJson({
    sealNo,
    prevHash,
    events: events.map((e) => [e.globalPosition.toString(), e.recordedAt, e.hash ?? null]),
  });
}

export function sealHash(sealNo: number, prevHash: string | null, events: readonly SealedEvent[]): string {
  return sha256Hex(sealHashInput(sealNo, prevHash, events));
}

/** The seal that follows `previous` (null: the first) and covers `events` (a batch, in global order). */
export function nextSeal(
  previous: Pick<LogSeal, 'sealNo' | 'hash'> | null,
  events: readonly StoredEvent[],
): LogSeal | null {
  const first = events[0];
  const last = events[events.length - 1];
  if (!first || !last) return null;
  const sealNo = previous ? previous.sealNo + 1 : 1;
  const prevHash = previous ? previous.hash : null;
  return {
    sealNo,
    firstPosition: formatLogPosition(first.logPosition),
    lastPosition: formatLogPosition(last.logPosition),
    lastGlobalPosition: last.globalPosition.toString(),
    eventCount: events.length,
    prevHash,
    hash: sealHash(sealNo, prevHash, events),
  };
}
