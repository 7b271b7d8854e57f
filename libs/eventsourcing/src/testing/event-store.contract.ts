/**
 * The event-store contract: one suite, every adapter runs it (see each adapter's *.int-spec.ts).
 * Tests use fresh stream ids and event types per run, so they can share a store with other data.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, Subscription } from '../event-store.port';
import { comparePositions, type LogPosition, type NewEvent, type StoredEvent } from '../event';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import { eventHash } from '../event-hash';

export interface ContractHarness {
  /** A store connected to the backend; the suite closes it. */
  connect(): Promise<EventStore>;
}

export function newEvent(type: string, data: unknown = {}, occurredAt = '2026-01-10T00:00:00.000Z'): NewEvent {
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    occurredAt,
    metadata: {
      actor: 'contract-test',
      commandId: randomUUID(),
      commandType: 'ContractTest',
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}

/** Collects what a subscription delivers, and lets a test wait for a count. */
export class Collector {
  readonly events: StoredEvent[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly handler = async (batch: readonly StoredEvent[]): Promise<void> => {
    this.events.push(...batch);
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length >= w.count) w.resolve();
      return this.events.length < w.count;
    });
  };

  waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} events, got ${this.events.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

export function eventStoreContract(name: string, harness: ContractHarness): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    const type = (t: string) => `Contract${t}_${run}`;
    const stream = (s: string) => `contract${run}-${s}-${randomUUID().slice(0, 8)}`;
    const subscriptions: Subscription[] = [];

    beforeAll(async () => {
      store = await harness.connect();
    });
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
    });
    afterAll(async () => {
      await store.close();
    });

    describe('append and read a stream', () => {
      it('stores every field and gives revisions from 0 and increasing global positions', async () => {
        const id = stream('fields');
        const e1 = newEvent(type('A'), { n: 1, nested: { amount: 125000, currency: 'USD' } });
        const e2 = newEvent(type('B'), { n: 2 }, '2026-02-01T10:00:00.000Z');
        const result = await store.appendToStream(id, [e1, e2], { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(1n);
        expect(result.appended).toBe(true);

        const read = await store.readStream(id);
        expect(read.map((e) => e.id)).toEqual([e1.id, e2.id]);
        const [r1, r2] = read as [StoredEvent, StoredEvent];
        expect(r1).toMatchObject({
          streamId: id,
          type: e1.type,
          schemaVersion: 1,
          data: e1.data,
          occurredAt: e1.occurredAt,
          streamRevision: 0n,
        });
        expect(r1.metadata).toMatchObject(e1.metadata);
        expect(r2.streamRevision).toBe(1n);
        expect(r2.occurredAt).toBe('2026-02-01T10:00:00.000Z');
        expect(r2.globalPosition).toBeGreaterThan(r1.globalPosition);
        expect(comparePositions(r2.logPosition, r1.logPosition)).toBe(1);
        expect(result.globalPosition).toBe(r2.globalPosition);
        expect(Number.isNaN(Date.parse(r1.recordedAt))).toBe(false);
      });

      it('reads past revision 9 in numeric order (0, 1, …, 9, 10, 11), also from the global log', async () => {
        const id = stream('twelve');
        const t = type('Twelve');
        await store.appendToStream(
          id,
          Array.from({ length: 12 }, (_, n) => newEvent(t, { n })),
        );
        const read = await store.readStream(id);
        expect(read.map((e) => Number(e.streamRevision))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(read.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        const all = await readAllOf(store, [t]);
        expect(all.map((e) => (e.data as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      });

      it('reads an unknown stream as empty', async () => {
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('reads from a revision with a maximum count', async () => {
        const id = stream('range');
        await store.appendToStream(
          id,
          [1, 2, 3, 4].map((n) => newEvent(type('R'), { n })),
        );
        const read = await store.readStream(id, { fromRevision: 1n, maxCount: 2 });
        expect(read.map((e) => (e.data as { n: number }).n)).toEqual([2, 3]);
      });
    });

    describe('expected revision', () => {
      it('no_stream refuses an existing stream', async () => {
        const id = stream('ns');
        await store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('stream_exists refuses a missing stream and accepts an existing one', async () => {
        const id = stream('se');
        await expect(
          store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 'stream_exists' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.appendToStream(id, [newEvent(type('A'))]);
        await store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 'stream_exists' });
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('an exact revision must match the last event', async () => {
        const id = stream('exact');
        await store.appendToStream(id, [newEvent(type('A')), newEvent(type('A'))]);
        await expect(store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 0n })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        const ok = await store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 1n });
        expect(ok.nextExpectedRevision).toBe(2n);
      });

      it('of concurrent writers at the same revision exactly one wins', async () => {
        const id = stream('race');
        await store.appendToStream(id, [newEvent(type('A'))]);
        const writers = Array.from({ length: 8 }, () =>
          store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 0n }),
        );
        const results = await Promise.allSettled(writers);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const r of lost) {
          expect((r as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('concurrent creators of one stream: one wins', async () => {
        const id = stream('create-race');
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, () =>
            store.appendToStream(id, [newEvent(type('A'))], { expectedRevision: 'no_stream' }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(id)).toHaveLength(1);
      });
    });

    describe('idempotency by event id', () => {
      it('a retried append of the same events succeeds and appends nothing', async () => {
        const id = stream('idem');
        const events = [newEvent(type('A')), newEvent(type('B'))];
        const first = await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        const retry = await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        expect(retry.appended).toBe(false);
        expect(retry.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(retry.globalPosition).toBe(first.globalPosition);
        const anyRetry = await store.appendToStream(id, events, { expectedRevision: 'any' });
        expect(anyRetry.appended).toBe(false);
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('a retry after later appends still appends nothing', async () => {
        const id = stream('idem-later');
        const events = [newEvent(type('A'))];
        await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        await store.appendToStream(id, [newEvent(type('B'))], { expectedRevision: 0n });
        const retry = await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        expect(retry.appended).toBe(false);
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('refuses a mix of stored and new event ids', async () => {
        const id = stream('idem-mix');
        const stored = newEvent(type('A'));
        await store.appendToStream(id, [stored], { expectedRevision: 'no_stream' });
        const error = await store
          .appendToStream(id, [stored, newEvent(type('A'))], { expectedRevision: 'no_stream' })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(error instanceof DuplicateEventIdError || error instanceof WrongExpectedRevisionError).toBe(true);
        expect(await store.readStream(id)).toHaveLength(1);
      });
    });

    describe('hash chain (ADR 0006)', () => {
      it("chains each event's hash to the previous event of its stream, across appends and retries", async () => {
        const id = stream('chain');
        const t = type('Chain');
        const first = [newEvent(t, { n: 0, nested: { b: 2, a: 1 } }), newEvent(t, { n: 1 }, '2026-02-01T10:00:00Z')];
        await store.appendToStream(id, first, { expectedRevision: 'no_stream' });
        await store.appendToStream(id, [newEvent(t, { n: 2 })], { expectedRevision: 1n });
        await store.appendToStream(id, [newEvent(t, { n: 3 })], { expectedRevision: 'any' });
        await store.appendToStream(id, first, { expectedRevision: 'no_stream' }); // a retry: nothing new

        const read = await store.readStream(id);
        expect(read).toHaveLength(4);
        let previous: string | null = null;
        for (const e of read) {
          expect(e.prevHash).toBe(previous);
          expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
          expect(eventHash(previous, e)).toBe(e.hash);
          previous = e.hash!;
        }
        const all = await readAllOf(store, [t]);
        expect(all.map((e) => [e.hash, e.prevHash])).toEqual(read.map((e) => [e.hash, e.prevHash]));
      });
    });

    describe('read all', () => {
      it('gives events of all streams in append order, resumable from a position, filtered by type', async () => {
        const a = stream('all-a');
        const b = stream('all-b');
        const t1 = type('All1');
        const t2 = type('All2');
        await store.appendToStream(a, [newEvent(t1, { i: 0 })]);
        await store.appendToStream(b, [newEvent(t2, { i: 1 }), newEvent(t1, { i: 2 })]);
        await store.appendToStream(a, [newEvent(t2, { i: 3 })]);

        const all = await readAllOf(store, [t1, t2]);
        expect(all.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
        for (let i = 1; i < all.length; i++) {
          expect(comparePositions(all[i]!.logPosition, all[i - 1]!.logPosition)).toBe(1);
        }

        const onlyT1 = await readAllOf(store, [t1]);
        expect(onlyT1.map((e) => (e.data as { i: number }).i)).toEqual([0, 2]);

        const after = await readAllOf(store, [t1, t2], all[1]!.logPosition);
        expect(after.map((e) => (e.data as { i: number }).i)).toEqual([2, 3]);
      });

      it('maps a global position to its log position, and knows the head', async () => {
        const id = stream('pos');
        const r = await store.appendToStream(id, [newEvent(type('P'))]);
        expect(await store.logPositionOf(r.globalPosition)).toEqual(r.logPosition);
        expect(comparePositions(await store.headPosition(), r.logPosition)).toBeGreaterThanOrEqual(0);
      });
    });

    describe('subscribe to all', () => {
      it('catches up, then delivers live events, in order and once each', async () => {
        const t = type('Sub');
        const id = stream('sub');
        await store.appendToStream(id, [newEvent(t, { i: 0 }), newEvent(t, { i: 1 })]);
        const collector = new Collector();
        subscriptions.push(store.subscribeToAll(collector.handler, { eventTypes: [t], batchSize: 1 }));
        await collector.waitFor(2);
        await store.appendToStream(stream('sub2'), [newEvent(t, { i: 2 })]);
        await store.appendToStream(id, [newEvent(t, { i: 3 })]);
        await collector.waitFor(4);
        expect(collector.events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3]);
      });

      it('resumes from a checkpoint after a restart without loss or duplicates', async () => {
        const t = type('Resume');
        const write = (i: number) => store.appendToStream(stream('resume'), [newEvent(t, { i })]);
        for (let i = 0; i < 5; i++) await write(i);

        const first = new Collector();
        const s1 = store.subscribeToAll(first.handler, { eventTypes: [t], batchSize: 2 });
        await first.waitFor(5);
        await s1.stop();
        await s1.done;
        const checkpoint = first.events[first.events.length - 1]!.logPosition;

        for (let i = 5; i < 9; i++) await write(i);
        const second = new Collector();
        subscriptions.push(store.subscribeToAll(second.handler, { eventTypes: [t], from: checkpoint, batchSize: 3 }));
        await second.waitFor(4);
        await write(9);
        await second.waitFor(5);
        const seen = [...first.events, ...second.events].map((e) => (e.data as { i: number }).i);
        expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });

      it('stops with the error when the handler throws', async () => {
        const t = type('Boom');
        await store.appendToStream(stream('boom'), [newEvent(t)]);
        const sub = store.subscribeToAll(
          async () => {
            throw new Error('poison');
          },
          { eventTypes: [t] },
        );
        await expect(sub.done).rejects.toThrow('poison');
      });
    });
  });
}

async function readAllOf(
  store: EventStore,
  eventTypes: readonly string[],
  after?: LogPosition,
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let position = after;
  for (;;) {
    const page = await store.readAll({ after: position, maxCount: 2, eventTypes });
    out.push(...page.events);
    position = page.lastPosition;
    if (page.isEnd) return out;
  }
}
