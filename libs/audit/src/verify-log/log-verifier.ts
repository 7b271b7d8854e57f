/**
 * Recomputes the hash chains of the event log (ADR 0006) and reports the first broken link.
 * Framework-free: it reads the log through the EventStore port, and the seals and stream heads
 * through the small reader interfaces below (PostgreSQL implementations in log-sources.ts).
 *
 * In one pass over the whole log in global order it checks:
 * - per stream: revisions 0, 1, 2, … without a gap (a gap is a deleted event), each event's
 *   `prevHash` equal to the hash of the stream's previous event, each event's hash equal to the
 *   hash recomputed from its content (a difference is an edited event), and every event has one;
 * - the seals: numbered 1, 2, … without a gap, each chained to the previous one, each covering
 *   exactly the events of the log between its first and last position, and its hash recomputed
 *   from them (global positions, record times and event hashes: an edited `recorded_at` shows here);
 * - optionally an anchor noted earlier (`expectSeal`): that seal still has that hash;
 * - PostgreSQL: each stream's `es_streams` row (last revision and last hash) against its last
 *   event (a deleted last event, or a rewritten last hash).
 * The result is deterministic (no clock): the same log gives the same report.
 */
import { type EventStore } from '../../../eventsourcing/src/event-store.port';
import {
  comparePositions,
  formatLogPosition,
  type LogPosition,
  parseLogPosition,
  START,
  type StoredEvent,
} from '../../../eventsourcing/src/event';
import { eventHash } from '../../../eventsourcing/src/event-hash';
import { type LogSeal, sealHash } from '../log-seals/log-seals.projection';

/** Reads the seals (es_log_seals), in seal_no order. */
export interface SealReader {
  /** The highest seal number now, or null when there is none. */
  lastSealNo(): Promise<number | null>;
  /** Seals with afterSealNo < seal_no <= upTo, ascending, at most `limit`. */
  readSeals(afterSealNo: number, upTo: number, limit: number): Promise<LogSeal[]>;
}

export interface StreamHead {
  readonly revision: bigint;
  readonly lastHash: string | null;
}

/** What the store says each stream's last event is (PostgreSQL: es_streams). */
export interface StreamHeadReader {
  /** Every stream's head, or only those of `streamIds`. */
  read(streamIds?: readonly string[]): Promise<Map<string, StreamHead>>;
}

export interface BrokenLink {
  /** The global position of the event where the chain breaks; null for a missing event or a seal. */
  readonly globalPosition: string | null;
  readonly eventId: string | null;
  readonly streamId: string | null;
  /** For a missing event: the missing revision. */
  readonly streamRevision: string | null;
  readonly sealNo?: number;
  readonly reason: string;
  readonly expected?: string;
  readonly actual?: string;
}

export interface VerifyLogResult {
  /** True when no link is broken. */
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly sealsChecked: number;
  /** Events after the last seal (the log-seals projection has not sealed them yet). */
  readonly unsealedEvents: number;
  /** The newest seal checked: note its hash outside the system, and check it later with expectSeal. */
  readonly lastSeal: { readonly sealNo: number; readonly hash: string; readonly lastPosition: string } | null;
  /**
   * The first broken link: the first event-level one in global order (edited, deleted or unhashed
   * event, broken prevHash); when there is none, the first seal-level one.
   */
  readonly firstBrokenLink: BrokenLink | null;
  /** How many broken links were found in all (one tampering can break several). */
  readonly brokenLinkCount: number;
  /** The first broken links, in the order of `firstBrokenLink` (at most 20). */
  readonly brokenLinks: readonly BrokenLink[];
}

export interface VerifyLogOptions {
  /** Events per readAll page (default 1000). */
  readonly pageSize?: number;
  /** Called after each page: events checked so far, and the total when the store can count. */
  readonly onProgress?: (done: number, total: number | null) => void;
  /** An anchor noted earlier: seal `sealNo` must still exist with this hash. */
  readonly expectSeal?: { readonly sealNo: number; readonly hash: string };
}

interface StreamState {
  lastRevision: bigint;
  /** Hash of the event at lastRevision; undefined when unknown (it had none, or a gap precedes). */
  lastHash: string | null | undefined;
  lastIndex: number;
  /** Events seen ahead of a missing revision, by revision. */
  readonly pending: Map<bigint, { event: StoredEvent; index: number }>;
}

interface Found {
  readonly link: BrokenLink;
  /** Where in the scan it shows (index of the event in global order). */
  readonly index: number;
  readonly level: 'event' | 'seal';
}

const MAX_REPORTED = 20;
/** Events held back behind a missing revision before the gap is reported without waiting further. */
const MAX_PENDING = 10_000;
const SEAL_PAGE = 1000;

export class LogVerifier {
  constructor(
    private readonly store: EventStore,
    private readonly seals: SealReader | null,
    private readonly heads: StreamHeadReader | null,
  ) {}

  async verify(options: VerifyLogOptions = {}): Promise<VerifyLogResult> {
    const pageSize = options.pageSize ?? 1000;
    const found: Found[] = [];
    const report = (f: Found) => found.push(f);

    // Snapshots first: every seal and stream head read now covers events that readAll will see.
    const lastSealNo = this.seals ? await this.seals.lastSealNo() : null;
    const headsAtStart = this.heads ? await this.heads.read() : null;
    const total = this.store.countEventsAfter
      ? await this.store.countEventsAfter(START, Number.MAX_SAFE_INTEGER)
      : null;

    const streams = new Map<string, StreamState>();
    let pendingCount = 0;
    const sealCheck = new SealChecker(this.seals, lastSealNo, options.expectSeal ?? null, report);

    const checkEvent = (e: StoredEvent, index: number, state: StreamState, afterGap: boolean): void => {
      const where = {
        globalPosition: e.globalPosition.toString(),
        eventId: e.id,
        streamId: e.streamId,
        streamRevision: e.streamRevision.toString(),
      };
      if (e.hash === undefined) {
        report({ index, level: 'event', link: { ...where, reason: 'the event has no hash: it is outside the chain' } });
      } else {
        const expectedPrev = e.streamRevision === 0n ? null : afterGap ? undefined : state.lastHash;
        if (expectedPrev !== undefined && (e.prevHash ?? null) !== expectedPrev) {
          report({
            index,
            level: 'event',
            link: {
              ...where,
              reason:
                e.streamRevision === 0n
                  ? 'the first event of a stream must have no previous hash'
                  : `prevHash differs from the hash of revision ${e.streamRevision - 1n}: that event's hash or this link was rewritten`,
              expected: String(expectedPrev),
              actual: String(e.prevHash ?? null),
            },
          });
        }
        const recomputed = eventHash(e.prevHash ?? null, e);
        if (recomputed !== e.hash) {
          report({
            index,
            level: 'event',
            link: {
              ...where,
              reason: 'the content does not match its hash: the event was edited',
              expected: e.hash,
              actual: recomputed,
            },
          });
        }
      }
      state.lastRevision = e.streamRevision;
      state.lastHash = e.hash;
      state.lastIndex = index;
    };

    /** Checks the events of `state` that now follow on, in revision order. */
    const drain = (state: StreamState): void => {
      for (;;) {
        const next = state.pending.get(state.lastRevision + 1n);
        if (!next) return;
        state.pending.delete(next.event.streamRevision);
        pendingCount--;
        checkEvent(next.event, next.index, state, false);
      }
    };

    /** Gives up waiting for the revision after state.lastRevision: reported missing. */
    const skipGap = (state: StreamState, streamId: string): void => {
      let lowest: { event: StoredEvent; index: number } | undefined;
      for (const p of state.pending.values()) {
        if (!lowest || p.event.streamRevision < lowest.event.streamRevision) lowest = p;
      }
      if (!lowest) return;
      const missingFrom = state.lastRevision + 1n;
      const missingTo = lowest.event.streamRevision - 1n;
      report({
        index: lowest.index,
        level: 'event',
        link: {
          globalPosition: null,
          eventId: null,
          streamId,
          streamRevision: missingFrom.toString(),
          reason:
            missingFrom === missingTo
              ? `revision ${missingFrom} of ${streamId} is missing (deleted): the stream goes from revision ${state.lastRevision} to ${lowest.event.streamRevision} (at global position ${lowest.event.globalPosition})`
              : `revisions ${missingFrom} to ${missingTo} of ${streamId} are missing (deleted): the stream goes from revision ${state.lastRevision} to ${lowest.event.streamRevision} (at global position ${lowest.event.globalPosition})`,
        },
      });
      state.pending.delete(lowest.event.streamRevision);
      pendingCount--;
      checkEvent(lowest.event, lowest.index, state, true);
      drain(state);
    };

    let index = 0;
    let after: LogPosition = START;
    for (;;) {
      const page = await this.store.readAll({ after, maxCount: pageSize });
      for (const e of page.events) {
        let state = streams.get(e.streamId);
        if (!state) {
          state = { lastRevision: -1n, lastHash: null, lastIndex: index, pending: new Map() };
          streams.set(e.streamId, state);
        }
        if (e.streamRevision <= state.lastRevision || state.pending.has(e.streamRevision)) {
          report({
            index,
            level: 'event',
            link: {
              globalPosition: e.globalPosition.toString(),
              eventId: e.id,
              streamId: e.streamId,
              streamRevision: e.streamRevision.toString(),
              reason: `revision ${e.streamRevision} of ${e.streamId} appears twice in the log`,
            },
          });
        } else if (e.streamRevision === state.lastRevision + 1n) {
          checkEvent(e, index, state, false);
          drain(state);
        } else {
          state.pending.set(e.streamRevision, { event: e, index });
          if (++pendingCount > MAX_PENDING) {
            for (const [id, s] of streams) while (s.pending.size > 0) skipGap(s, id);
          }
        }
        await sealCheck.event(e, index);
        index++;
      }
      after = page.lastPosition;
      options.onProgress?.(index, total === null ? null : Math.max(total, index));
      if (page.isEnd) break;
    }
    for (const [id, s] of streams) while (s.pending.size > 0) skipGap(s, id);
    await sealCheck.end(index);

    if (this.heads && headsAtStart) await this.checkHeads(headsAtStart, streams, index, report);

    const ordered = [
      ...found.filter((f) => f.level === 'event').sort((a, b) => a.index - b.index),
      ...found.filter((f) => f.level === 'seal').sort((a, b) => a.index - b.index),
    ];
    return {
      ok: ordered.length === 0,
      eventsChecked: index,
      streamsChecked: streams.size,
      sealsChecked: sealCheck.sealsChecked,
      unsealedEvents: sealCheck.unsealedEvents,
      lastSeal: sealCheck.lastSeal,
      firstBrokenLink: ordered[0]?.link ?? null,
      brokenLinkCount: ordered.length,
      brokenLinks: ordered.slice(0, MAX_REPORTED).map((f) => f.link),
    };
  }

  /** es_streams against the events: a deleted last event, a rewritten last hash, a stream without a row. */
  private async checkHeads(
    headsAtStart: Map<string, StreamHead>,
    streams: Map<string, StreamState>,
    endIndex: number,
    report: (f: Found) => void,
  ): Promise<void> {
    const unknown = [...streams.keys()].filter((id) => !headsAtStart.has(id));
    const later = unknown.length > 0 && this.heads ? await this.heads.read(unknown) : new Map<string, StreamHead>();
    for (const id of unknown) {
      const state = streams.get(id)!;
      const head = later.get(id);
      if (!head) {
        report({
          index: state.lastIndex,
          level: 'event',
          link: {
            globalPosition: null,
            eventId: null,
            streamId: id,
            streamRevision: null,
            reason: `${id} has events but no es_streams row: events were inserted around the store`,
          },
        });
      }
    }
    for (const [id, headThen] of headsAtStart) {
      const state = streams.get(id);
      let head = headThen;
      if (state && head.revision < state.lastRevision) {
        // The scan saw events appended after the snapshot: compare with the row as it is now.
        head = (await this.heads!.read([id])).get(id) ?? head;
        if (head.revision > state.lastRevision) continue;
      }
      const seen = state ? state.lastRevision : -1n;
      const index = state ? state.lastIndex : endIndex;
      /** A link broken at the level of the stream (no event to name but the stream's revision). */
      const streamBroken = (revision: bigint, reason: string, values: { expected?: string; actual?: string } = {}) =>
        report({
          index,
          level: 'event',
          link: {
            globalPosition: null,
            eventId: null,
            streamId: id,
            streamRevision: revision.toString(),
            reason,
            ...values,
          },
        });
      if (head.revision > seen) {
        // Appended after the scan read past it, or not yet visible in the global order?
        const [next] = await this.store.readStream(id, { fromRevision: seen + 1n, maxCount: 1 });
        if (next && next.streamRevision === seen + 1n) continue;
        streamBroken(
          seen + 1n,
          head.revision === seen + 1n
            ? `revision ${head.revision} of ${id} is missing (deleted): the stream's row says it ends there`
            : `revisions ${seen + 1n} to ${head.revision} of ${id} are missing (deleted): the stream's row says it ends at ${head.revision}`,
        );
      } else if (head.revision < seen) {
        streamBroken(
          seen,
          `${id} has events up to revision ${seen} but its row says ${head.revision}: events were inserted around the store`,
        );
      } else if (state && state.lastHash !== undefined && head.lastHash !== state.lastHash) {
        streamBroken(
          seen,
          `the stream's recorded last hash differs from the hash of its last event (revision ${seen}): that event's hash was rewritten`,
          { expected: String(head.lastHash), actual: String(state.lastHash) },
        );
      }
    }
  }
}

/** Walks the seals alongside the events: each seal covers the events up to its last position. */
class SealChecker {
  sealsChecked = 0;
  unsealedEvents = 0;
  lastSeal: VerifyLogResult['lastSeal'] = null;
  private buffer: LogSeal[] = [];
  private loadedUpTo = 0;
  private current: { seal: LogSeal; last: LogPosition; events: StoredEvent[]; firstIndex: number } | null = null;
  private previous: LogSeal | null = null;
  private exhausted: boolean;
  private anchorSeen = false;

  constructor(
    private readonly reader: SealReader | null,
    private readonly lastSealNo: number | null,
    private readonly anchor: { sealNo: number; hash: string } | null,
    private readonly report: (f: Found) => void,
  ) {
    this.exhausted = !reader || lastSealNo === null;
  }

  async event(e: StoredEvent, index: number): Promise<void> {
    for (;;) {
      if (!this.current && !(await this.open(index))) {
        this.unsealedEvents++;
        return;
      }
      const current = this.current!;
      if (comparePositions(e.logPosition, current.last) <= 0) {
        current.events.push(e);
        return;
      }
      this.close();
    }
  }

  async end(index: number): Promise<void> {
    if (this.current) this.close();
    // Seals beyond the end of the log cover events that are gone (each is reported).
    while (await this.open(index)) this.close();
    if (this.anchor && !this.anchorSeen) {
      this.report({
        index,
        level: 'seal',
        link: {
          globalPosition: null,
          eventId: null,
          streamId: null,
          streamRevision: null,
          sealNo: this.anchor.sealNo,
          reason: `the expected seal ${this.anchor.sealNo} does not exist (the log has ${this.lastSealNo ?? 0} seals)`,
          expected: this.anchor.hash,
        },
      });
    }
  }

  /** Starts the next seal; false when there is none (the rest of the log is not sealed yet). */
  private async open(index: number): Promise<boolean> {
    if (this.exhausted || !this.reader || this.lastSealNo === null) return false;
    if (this.buffer.length === 0) {
      if (this.loadedUpTo >= this.lastSealNo) {
        this.exhausted = true;
        return false;
      }
      this.buffer = await this.reader.readSeals(this.loadedUpTo, this.lastSealNo, SEAL_PAGE);
      const lastLoaded = this.buffer[this.buffer.length - 1];
      this.loadedUpTo = lastLoaded ? lastLoaded.sealNo : this.lastSealNo;
      if (this.buffer.length === 0) {
        this.exhausted = true;
        return false;
      }
    }
    const seal = this.buffer.shift()!;
    const expectedNo = (this.previous?.sealNo ?? 0) + 1;
    if (seal.sealNo !== expectedNo) {
      this.report({
        index,
        level: 'seal',
        link: {
          ...noEvent,
          sealNo: expectedNo,
          reason:
            seal.sealNo > expectedNo
              ? `seal ${expectedNo} is missing (deleted): seal ${seal.sealNo} follows seal ${expectedNo - 1}`
              : `seal ${seal.sealNo} is out of sequence`,
        },
      });
    }
    const last = parseLogPosition(seal.lastPosition);
    if (!last) {
      this.report({
        index,
        level: 'seal',
        link: { ...noEvent, sealNo: seal.sealNo, reason: `seal ${seal.sealNo} has an unreadable last position` },
      });
    }
    this.current = { seal, last: last ?? START, events: [], firstIndex: index };
    return true;
  }

  private close(): void {
    const { seal, events, firstIndex } = this.current!;
    this.current = null;
    this.sealsChecked++;
    const prevHash = this.previous ? this.previous.hash : null;
    const fault = (reason: string, extra: Partial<BrokenLink> = {}) =>
      this.report({ index: firstIndex, level: 'seal', link: { ...noEvent, sealNo: seal.sealNo, reason, ...extra } });
    const range = `positions ${seal.firstPosition} to ${seal.lastPosition}`;
    if ((seal.prevHash ?? null) !== prevHash && seal.sealNo === (this.previous?.sealNo ?? 0) + 1) {
      fault(`seal ${seal.sealNo}'s prevHash differs from the hash of seal ${seal.sealNo - 1}: a seal was rewritten`, {
        expected: String(prevHash),
        actual: String(seal.prevHash),
      });
    }
    const first = events[0];
    const last = events[events.length - 1];
    if (events.length !== seal.eventCount) {
      fault(
        events.length < seal.eventCount
          ? `seal ${seal.sealNo} covers ${seal.eventCount} events at ${range}, the log has ${events.length} there: ${seal.eventCount - events.length} deleted`
          : `seal ${seal.sealNo} covers ${seal.eventCount} events at ${range}, the log has ${events.length} there: ${events.length - seal.eventCount} inserted`,
        { expected: String(seal.eventCount), actual: String(events.length) },
      );
    } else if (!first || formatLogPosition(first.logPosition) !== seal.firstPosition) {
      fault(
        `seal ${seal.sealNo} starts at ${seal.firstPosition}, the log at ${first ? formatLogPosition(first.logPosition) : 'nothing'}`,
      );
    } else if (!last || formatLogPosition(last.logPosition) !== seal.lastPosition) {
      fault(
        `seal ${seal.sealNo} ends at ${seal.lastPosition}, the log at ${last ? formatLogPosition(last.logPosition) : 'nothing'}`,
      );
    } else {
      const recomputed = sealHash(seal.sealNo, seal.prevHash ?? null, events);
      if (recomputed !== seal.hash) {
        const only = events.length === 1 ? first : undefined;
        fault(
          only
            ? `seal ${seal.sealNo} does not match its event (at ${range}): its global position or record time was changed`
            : `seal ${seal.sealNo} does not match its ${events.length} events at ${range}: the global position or record time of one of them was changed`,
          {
            expected: seal.hash,
            actual: recomputed,
            ...(only
              ? {
                  globalPosition: only.globalPosition.toString(),
                  eventId: only.id,
                  streamId: only.streamId,
                  streamRevision: only.streamRevision.toString(),
                }
              : {}),
          },
        );
      }
    }
    if (this.anchor && seal.sealNo === this.anchor.sealNo) {
      this.anchorSeen = true;
      if (seal.hash !== this.anchor.hash) {
        fault(`seal ${seal.sealNo} is not the one noted earlier: the log was rewritten since`, {
          expected: this.anchor.hash,
          actual: seal.hash,
        });
      }
    }
    this.previous = seal;
    this.lastSeal = { sealNo: seal.sealNo, hash: seal.hash, lastPosition: seal.lastPosition };
  }
}

const noEvent = { globalPosition: null, eventId: null, streamId: null, streamRevision: null } as const;
