/**
 * The log verifier on an in-memory log: an intact log is ok; each kind of tampering is named at
 * the right place (edited event, deleted event, deleted last event, rewritten hash, edited record
 * time, deleted seal, a stale anchor).
 */
import { comparePositions, type LogPosition, type StoredEvent } from '../../../eventsourcing/src/event';
import { chainHashes } from '../../../eventsourcing/src/event-hash';
import type { EventStore, ReadAllOptions, ReadAllResult } from '../../../eventsourcing/src/event-store.port';
import { type LogSeal, nextSeal } from '../log-seals/log-seals.projection';
import { LogVerifier, type SealReader, type StreamHead, type StreamHeadReader } from './log-verifier';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A log in global order, with its seals and stream heads, that a test may tamper with. */
class MemoryLog {
  events: Array<Mutable<StoredEvent>> = [];
  seals: LogSeal[] = [];
  heads = new Map<string, StreamHead>();
  private position = 0n;

  append(streamId: string, datas: unknown[]): void {
    const head = this.heads.get(streamId);
    const from = head ? head.revision + 1n : 0n;
    const news = datas.map((data, i) => ({
      id: `00000000-0000-4000-8000-${(this.position + 1n + BigInt(i)).toString().padStart(12, '0')}`,
      type: 'Thing',
      schemaVersion: 1,
      data,
      metadata: { actor: 't', commandId: 'c', commandType: 'C', correlationId: 'c', causationId: 'c' },
      occurredAt: '2026-01-10T00:00:00.000Z',
      streamId,
      streamRevision: from + BigInt(i),
    }));
    const links = chainHashes(head?.lastHash ?? null, news);
    news.forEach((e, i) => {
      this.position++;
      this.events.push({
        ...e,
        globalPosition: this.position,
        logPosition: { major: this.position, minor: this.position },
        recordedAt: new Date(Date.UTC(2026, 0, 10, 0, 0, Number(this.position))).toISOString(),
        hash: links[i]!.hash,
        prevHash: links[i]!.prevHash,
      });
    });
    this.heads.set(streamId, { revision: from + BigInt(news.length - 1), lastHash: links[links.length - 1]!.hash });
  }

  /** Seals every event not sealed yet, in batches of `size` (as the log-seals projector does). */
  seal(size: number): void {
    const sealed = this.seals.reduce((n, s) => n + s.eventCount, 0);
    const rest = this.events.slice(sealed);
    for (let i = 0; i < rest.length; i += size) {
      this.seals.push(nextSeal(this.seals[this.seals.length - 1] ?? null, rest.slice(i, i + size))!);
    }
  }

  at(streamId: string, revision: bigint): Mutable<StoredEvent> {
    return this.events.find((e) => e.streamId === streamId && e.streamRevision === revision)!;
  }

  remove(event: StoredEvent): void {
    this.events = this.events.filter((e) => e !== event);
  }

  readonly store = {
    kind: 'postgres',
    readAll: async ({ after, maxCount }: ReadAllOptions): Promise<ReadAllResult> => {
      const rest = this.events.filter((e) => !after || comparePositions(e.logPosition, after) > 0);
      const events = rest.slice(0, maxCount);
      const last: LogPosition = events[events.length - 1]?.logPosition ?? after ?? { major: -1n, minor: -1n };
      return { events, lastPosition: last, isEnd: events.length < maxCount };
    },
    readStream: async (streamId: string, options: { fromRevision?: bigint; maxCount?: number } = {}) =>
      this.events
        .filter((e) => e.streamId === streamId && e.streamRevision >= (options.fromRevision ?? 0n))
        .sort((a, b) => Number(a.streamRevision - b.streamRevision))
        .slice(0, options.maxCount),
    countEventsAfter: async () => this.events.length,
  } as unknown as EventStore;

  readonly sealReader: SealReader = {
    lastSealNo: async () => (this.seals.length ? Math.max(...this.seals.map((s) => s.sealNo)) : null),
    readSeals: async (after, upTo, limit) =>
      this.seals
        .filter((s) => s.sealNo > after && s.sealNo <= upTo)
        .sort((a, b) => a.sealNo - b.sealNo)
        .slice(0, limit),
  };

  readonly headReader: StreamHeadReader = {
    read: async (ids) =>
      new Map([...this.heads].filter(([id]) => !ids || ids.includes(id)).map(([id, h]) => [id, { ...h }])),
  };

  verify(options: Parameters<LogVerifier['verify']>[0] = {}) {
    return new LogVerifier(this.store, this.sealReader, this.headReader).verify({ pageSize: 3, ...options });
  }
}

/** Three streams of a few events, interleaved, sealed in batches of 4, then two unsealed events. */
function givenLog(): MemoryLog {
  const log = new MemoryLog();
  log.append('order-1', [{ n: 0 }, { n: 1 }]);
  log.append('order-2', [{ n: 0 }]);
  log.append('order-1', [{ n: 2 }]);
  log.append('order-3', [{ n: 0 }, { n: 1 }, { n: 2 }]);
  log.append('order-2', [{ n: 1 }, { n: 2 }]);
  log.append('order-1', [{ n: 3 }]);
  log.seal(4);
  log.append('order-3', [{ n: 3 }]);
  log.append('order-2', [{ n: 3 }]);
  return log;
}

describe('LogVerifier', () => {
  it('an intact log is ok: counts, the latest seal, and progress up to the total', async () => {
    const log = givenLog();
    const progress: Array<[number, number | null]> = [];
    const result = await log.verify({ onProgress: (done, total) => progress.push([done, total]) });
    expect(result).toEqual({
      ok: true,
      eventsChecked: 12,
      streamsChecked: 3,
      sealsChecked: 3,
      unsealedEvents: 2,
      lastSeal: { sealNo: 3, hash: log.seals[2]!.hash, lastPosition: '10/10' },
      firstBrokenLink: null,
      brokenLinkCount: 0,
      brokenLinks: [],
    });
    expect(progress[progress.length - 1]).toEqual([12, 12]);
  });

  it('an edited event is named exactly: its position, id, stream and revision', async () => {
    const log = givenLog();
    const edited = log.at('order-3', 1n);
    edited.data = { n: 1, amount: 999 };
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({
      globalPosition: edited.globalPosition.toString(),
      eventId: edited.id,
      streamId: 'order-3',
      streamRevision: '1',
      reason: expect.stringContaining('edited'),
    });
    expect(result.brokenLinkCount).toBe(1);
  });

  it('an event deleted in the middle of its stream: the stream and the missing revision', async () => {
    const log = givenLog();
    log.remove(log.at('order-2', 1n));
    const result = await log.verify();
    expect(result.firstBrokenLink).toMatchObject({
      globalPosition: null,
      eventId: null,
      streamId: 'order-2',
      streamRevision: '1',
      reason: expect.stringContaining('missing'),
    });
    // the seal that covered it is short of one event too
    expect(result.brokenLinks.some((l) => l.sealNo === 2 && /deleted/.test(l.reason))).toBe(true);
  });

  it("a stream's deleted last event: its row still says the stream goes further", async () => {
    const log = givenLog();
    log.remove(log.at('order-2', 3n)); // unsealed, last of its stream
    const result = await log.verify();
    expect(result.firstBrokenLink).toMatchObject({ streamId: 'order-2', streamRevision: '3' });
  });

  it("an edited event whose hash was recomputed breaks the next event's link", async () => {
    const log = givenLog();
    const edited = log.at('order-1', 1n);
    edited.data = { n: 1, forged: true };
    edited.hash = chainHashes(edited.prevHash!, [edited])[0]!.hash;
    const result = await log.verify();
    const next = log.at('order-1', 2n);
    expect(result.firstBrokenLink).toMatchObject({
      globalPosition: next.globalPosition.toString(),
      streamId: 'order-1',
      streamRevision: '2',
      reason: expect.stringContaining('prevHash'),
    });
    // and the seal over the rewritten hash no longer matches
    expect(result.brokenLinks.some((l) => l.sealNo === 1)).toBe(true);
  });

  it('an edited record time is caught by its seal (and named when the seal holds that one event)', async () => {
    const log = givenLog();
    const edited = log.at('order-2', 1n); // position 8: seal 2 holds positions 5 to 8
    edited.recordedAt = '2020-01-01T00:00:00.000Z';
    const result = await log.verify();
    expect(result.firstBrokenLink).toMatchObject({ sealNo: 2, reason: expect.stringContaining('5/5 to 8/8') });

    const single = new MemoryLog();
    single.append('s', [{ n: 0 }]);
    single.seal(1);
    single.append('s', [{ n: 1 }]);
    single.seal(1);
    single.events[1]!.recordedAt = '2020-01-01T00:00:00.000Z';
    expect((await single.verify()).firstBrokenLink).toMatchObject({
      sealNo: 2,
      globalPosition: '2',
      eventId: single.events[1]!.id,
      streamId: 's',
      streamRevision: '1',
    });
  });

  it('an event without a hash is a broken link', async () => {
    const log = givenLog();
    const bare = log.at('order-3', 0n);
    delete bare.hash;
    delete bare.prevHash;
    expect((await log.verify()).firstBrokenLink).toMatchObject({
      globalPosition: bare.globalPosition.toString(),
      reason: expect.stringContaining('no hash'),
    });
  });

  it('a deleted seal breaks the seal sequence', async () => {
    const log = givenLog();
    log.seals.splice(1, 1);
    const result = await log.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBrokenLink).toMatchObject({ sealNo: 2, reason: expect.stringContaining('seal 2 is missing') });
  });

  it('checks an anchor noted earlier: the same hash holds, another is reported', async () => {
    const log = givenLog();
    const noted = log.seals[1]!;
    expect((await log.verify({ expectSeal: { sealNo: 2, hash: noted.hash } })).ok).toBe(true);
    const stale = await log.verify({ expectSeal: { sealNo: 2, hash: 'f'.repeat(64) } });
    expect(stale.firstBrokenLink).toMatchObject({ sealNo: 2, expected: 'f'.repeat(64), actual: noted.hash });
    const missing = await log.verify({ expectSeal: { sealNo: 9, hash: noted.hash } });
    expect(missing.firstBrokenLink).toMatchObject({ sealNo: 9, reason: expect.stringContaining('does not exist') });
  });

  it('a log rewritten consistently from scratch passes the chain but not an anchor noted before', async () => {
    const log = givenLog();
    const anchor = { sealNo: 3, hash: log.seals[2]!.hash };
    // A superuser rebuilds the whole log with one edit and recomputes every hash and seal.
    const forged = new MemoryLog();
    for (const e of log.events) forged.append(e.streamId, [e.streamRevision === 0n ? { forged: true } : e.data]);
    forged.seal(4);
    expect((await forged.verify()).ok).toBe(true);
    expect((await forged.verify({ expectSeal: anchor })).ok).toBe(false);
  });

  it('tolerates revisions of a stream out of order in the global log (a late commit), then checks them', async () => {
    const log = givenLog();
    const [first, second] = [log.events[0]!, log.events[1]!]; // order-1 revisions 0 and 1
    log.events[0] = { ...second, logPosition: first.logPosition };
    log.events[1] = { ...first, logPosition: second.logPosition };
    const result = await new LogVerifier(log.store, null, log.headReader).verify();
    expect(result).toMatchObject({ ok: true, eventsChecked: 12, sealsChecked: 0, lastSeal: null });
  });
});
