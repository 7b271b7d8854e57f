/**
 * Our PostgreSQL event store side by side with a peer, Emmett's (`@event-driven-io/emmett-postgresql`,
 * a dev dependency), on the same server, each in a fresh database of its own (`bench_peer_ours`,
 * `bench_peer_emmett`, created and dropped here), with the same workload:
 *
 * - append: `clients` concurrent loops for `seconds`; loop c appends to streams `order-c-k`, one
 *   event per call, three events per stream, each call with the expected revision (no stream, then
 *   the revision the previous call left). Events/s and the latency of one append (p50, p99).
 *   Ours also computes and stores the hash chain (ADR 0006) and notifies listeners; Emmett stores
 *   the event in its messages table and updates its streams table.
 * - read-all: the whole log in global order, in pages of 1,000, from the start until the end:
 *   ours `readAll` (PostgresEventStore), Emmett's `readMessagesBatch` (what its message batch
 *   puller and consumers read with). Both logs are first topped up to the same number of events
 *   (at least 50,000).
 *
 * Emmett ships a CommonJS build besides its ESM one, so it is imported normally (tsc's nodenext
 * CommonJS output `require`s its `.cjs` entry); no dynamic import() is needed.
 */
import { randomUUID } from 'node:crypto';
import { dumbo } from '@event-driven-io/dumbo';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import type { NewEvent } from '../../libs/eventsourcing/src/event';
import { PostgresEventStore } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { figure, type Figure } from './figure';
import { withScratchDatabase } from './import-bench';
import { closedLoop, type LoadResult, percentile } from './measure';

const PAGE = 1000;
const EVENTS_PER_STREAM = 3;
/** The logs are topped up to at least this many events before read-all. */
const READ_ALL_EVENTS = 50_000;

/** The payload of one benchmark event: about the size of a SaleBooked. */
function payload(client: number, n: number) {
  return {
    orderId: `O-${client}-${Math.floor(n / EVENTS_PER_STREAM)}`,
    customerId: `C${n % 300}`,
    amount: { amount: 100_000 + n, currency: 'USD' },
    bookedAt: '2026-01-10T09:00:00.000Z',
    businessUnit: 'smb',
    salesCredits: [{ salespersonId: `S${n % 30}`, splitBps: 10_000, planId: 'BK-STD', rateBps: 500 }],
  };
}

interface Side {
  append(client: number, n: number): Promise<void>;
  /** Appends `events` more events (in appends of 100 to new streams) to even the logs out. */
  topUp(events: number): Promise<void>;
  count(): Promise<number>;
  /** Reads the whole log in global order; answers the number of events read. */
  readAll(): Promise<number>;
  close(): Promise<void>;
}

async function ours(url: string): Promise<Side> {
  // The store's own pool: 10 connections.
  const store = PostgresEventStore.connect(url, { listen: false });
  const event = (c: number, n: number): NewEvent => ({
    id: randomUUID(),
    type: 'SaleBooked',
    schemaVersion: 1,
    data: payload(c, n),
    metadata: {
      actor: 'system:bench',
      commandId: `O-${c}-${n}`,
      commandType: 'BookSale',
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
    occurredAt: '2026-01-10T09:00:00.000Z',
  });
  return {
    async append(c, n) {
      const k = n % EVENTS_PER_STREAM;
      await store.appendToStream(`order-${c}-${Math.floor(n / EVENTS_PER_STREAM)}`, [event(c, n)], {
        expectedRevision: k === 0 ? 'no_stream' : BigInt(k - 1),
      });
    },
    async topUp(events) {
      for (let i = 0; i < events; i += 100) {
        const n = Math.min(100, events - i);
        await store.appendToStream(
          `topup-${i}`,
          Array.from({ length: n }, (_, j) => event(-1, i + j)),
          {
            expectedRevision: 'no_stream',
          },
        );
      }
    },
    async count() {
      let n = 0;
      for (let page = await store.readAll({ maxCount: 100_000 }); ;) {
        n += page.events.length;
        if (page.isEnd) return n;
        page = await store.readAll({ after: page.lastPosition, maxCount: 100_000 });
      }
    },
    async readAll() {
      let n = 0;
      let page = await store.readAll({ maxCount: PAGE });
      for (;;) {
        n += page.events.length;
        if (page.isEnd) return n;
        page = await store.readAll({ after: page.lastPosition, maxCount: PAGE });
      }
    },
    close: () => store.close(),
  };
}

async function emmett(url: string): Promise<Side> {
  const pool = dumbo({ connectionString: url });
  const store = getPostgreSQLEventStore(url, { connectionOptions: { dumbo: pool } });
  const event = (c: number, n: number) => ({
    type: 'SaleBooked',
    data: payload(c, n),
    metadata: {
      actor: 'system:bench',
      commandId: `O-${c}-${n}`,
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  });
  await store.schema.migrate();
  const readAll = async (pageSize: number) => {
    let n = 0;
    let after = 0n;
    for (;;) {
      const batch = await readMessagesBatch(pool.execute, { after, batchSize: pageSize });
      n += batch.messages.length;
      if (batch.messages.length === 0 || batch.messages.length < pageSize) return n;
      after = batch.currentGlobalPosition;
    }
  };
  return {
    async append(c, n) {
      const k = n % EVENTS_PER_STREAM;
      await store.appendToStream(`order-${c}-${Math.floor(n / EVENTS_PER_STREAM)}`, [event(c, n)], {
        expectedStreamVersion: k === 0 ? STREAM_DOES_NOT_EXIST : BigInt(k),
      });
    },
    async topUp(events) {
      for (let i = 0; i < events; i += 100) {
        const n = Math.min(100, events - i);
        await store.appendToStream(
          `topup-${i}`,
          Array.from({ length: n }, (_, j) => event(-1, i + j)),
          {
            expectedStreamVersion: STREAM_DOES_NOT_EXIST,
          },
        );
      }
    },
    count: () => readAll(100_000),
    readAll: () => readAll(PAGE),
    async close() {
      await store.close();
      await pool.close();
    },
  };
}

const ms = (n: number) => Math.round(n * 100) / 100;

function appendFigures(name: string, r: LoadResult, baseline: LoadResult | null, clients: number): Figure[] {
  const rate = r.ok / r.seconds;
  const note =
    `${clients} clients, ${r.seconds.toFixed(1)} s, one event per append with its expected revision, ` +
    `${EVENTS_PER_STREAM} per stream; p50 ${ms(percentile(r.latencies, 50))} ms, p99 ${ms(percentile(r.latencies, 99))} ms` +
    (r.failed > 0 ? `; ${r.failed} failed (first: ${r.firstError})` : '');
  return [
    figure(`peer append ${name}`, rate, 'events/s', baseline ? baseline.ok / baseline.seconds : null, note),
    figure(
      `peer append ${name} p99`,
      percentile(r.latencies, 99),
      'ms',
      baseline ? percentile(baseline.latencies, 99) : null,
      `p50 ${ms(percentile(r.latencies, 50))} ms`,
    ),
  ];
}

export async function peerBenchmark(
  databaseUrl: string,
  opts: { seconds: number; clients: number },
): Promise<Figure[]> {
  return withScratchDatabase(databaseUrl, 'bench_peer_ours', (oursUrl) =>
    withScratchDatabase(
      databaseUrl,
      'bench_peer_emmett',
      async (emmettUrl) => {
        const sides = { ours: await ours(oursUrl), emmett: await emmett(emmettUrl) };
        try {
          // Warm-up: connections, prepared plans, Emmett's first-use checks.
          for (const side of Object.values(sides))
            await closedLoop(opts.clients, 1, (c, n) => side.append(c + 1000, n));
          const loads = {
            emmett: await closedLoop(opts.clients, opts.seconds, (c, n) => sides.emmett.append(c, n)),
            ours: await closedLoop(opts.clients, opts.seconds, (c, n) => sides.ours.append(c, n)),
          };
          const counts = { ours: await sides.ours.count(), emmett: await sides.emmett.count() };
          const target = Math.max(counts.ours, counts.emmett, READ_ALL_EVENTS);
          await sides.ours.topUp(target - counts.ours);
          await sides.emmett.topUp(target - counts.emmett);
          const read = async (side: Side) => {
            const started = performance.now();
            const n = await side.readAll();
            return { n, seconds: (performance.now() - started) / 1000 };
          };
          const reads = { emmett: await read(sides.emmett), ours: await read(sides.ours) };
          const readNote = (r: { n: number; seconds: number }) =>
            `${r.n.toLocaleString('en-US')} events in global order, pages of ${PAGE}, ${r.seconds.toFixed(2)} s`;
          return [
            ...appendFigures('ours', loads.ours, loads.emmett, opts.clients),
            ...appendFigures('emmett', loads.emmett, null, opts.clients),
            figure(
              'peer read-all ours',
              reads.ours.n / reads.ours.seconds,
              'events/s',
              reads.emmett.n / reads.emmett.seconds,
              readNote(reads.ours),
            ),
            figure(
              'peer read-all emmett',
              reads.emmett.n / reads.emmett.seconds,
              'events/s',
              null,
              readNote(reads.emmett),
            ),
          ];
        } finally {
          await sides.ours.close();
          await sides.emmett.close();
        }
      },
      { migrate: false },
    ),
  );
}
