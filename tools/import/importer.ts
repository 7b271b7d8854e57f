/**
 * The import: lines in, events out, in large transactions.
 *
 * Lines are read in chunks; the streams a chunk's commands will probably read are loaded in one
 * query; each command then runs, one after the other in file order, through the API's pipes,
 * controller and handler (commands.ts) against the staging store (staging-store.ts), so a command
 * sees every event of the lines before it. Once enough events are pending they are written in ONE
 * transaction with multi-row INSERTs (`appendBatch`, libs/eventstore-postgres/src/bulk-append.ts): hash chains
 * continued from each stream's stored head, revisions checked under the streams' row locks.
 *
 * Before writing, the batch's event ids are looked up: an id the database already holds on
 * another stream (a command id reused for another request, or a concurrent writer) means the
 * batch is run again from its first line with those ids known, so the command that reuses it is
 * refused as the API would refuse it (409 IDEMPOTENCY_CONFLICT) and nothing else changes. A
 * refused line writes nothing; a repeated command (same type and id, same body) is accepted and
 * writes nothing, like the API: importing a file twice appends nothing the second time.
 */
import type { Pool, PoolClient } from 'pg';
import { deterministicUuid, canonicalJson, WrongExpectedRevisionError } from '../../libs/eventsourcing/src/index';
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import { EVENT_COLUMNS, type EventRow, toStoredEvent } from '../../libs/eventstore-postgres/src/postgres-event-store';
import { UPCASTERS } from '../../libs/feed/src/event-schemas/published-events';
import type { RequestContext } from '../../libs/platform/src/http/request-context';
import { appendBatch } from '../../libs/eventstore-postgres/src/bulk-append';
import { CommandRunner } from './commands';
import { type ImportLine, isBlank, parseLine, type Refusal } from './parse-line';
import { likelyStreams } from './routes';
import { StagingEventStore, type StoredId } from './staging-store';

export interface ImportOptions {
  /** Run every command, write nothing. */
  readonly dryRun?: boolean;
  /** `metadata.actor` of lines that name none. */
  readonly actor?: string;
  /** Write once at least this many events are pending (one transaction each). */
  readonly eventsPerTransaction?: number;
  /** Lines run between two bulk loads of the streams they will read. */
  readonly linesPerChunk?: number;
  /** Called after each transaction (or chunk, in a dry run) with the lines done so far. */
  readonly onProgress?: (linesDone: number) => void;
  readonly onRefusal?: (refusal: Refusal) => void;
}

export interface ImportSummary {
  readonly dryRun: boolean;
  /** Non-blank lines read. */
  readonly lines: number;
  /** Commands that appended events. */
  readonly appended: number;
  /** Commands accepted that appended nothing: already executed with the same body. */
  readonly repeated: number;
  readonly refused: number;
  /** Events written (or, in a dry run, that would be). */
  readonly events: number;
  readonly transactions: number;
  /** Accepted commands per type. */
  readonly commands: Readonly<Record<string, number>>;
  /** Every refusal, in line order. */
  readonly refusals: readonly Refusal[];
  readonly seconds: number;
}

export class ImportAbortedError extends Error {}

/** Loads whole streams in one query, upcast as the API's store reads them. */
export function streamLoader(pool: Pool) {
  return async (streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> => {
    const result = await pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = ANY($1::text[])
        ORDER BY es_events.stream_id, es_events.stream_revision`,
      [streamIds],
    );
    const out = new Map<string, StoredEvent[]>();
    for (const row of result.rows) {
      const event = UPCASTERS.upcast(toStoredEvent(row));
      const list = out.get(event.streamId);
      if (list) list.push(event);
      else out.set(event.streamId, [event]);
    }
    return out;
  };
}

/** Who sent a line: its own actor and correlation id, else ids derived from the request (re-import gives the same). */
export function contextOf(defaultActor: string) {
  return (line: ImportLine): RequestContext => {
    const request = canonicalJson([line.route.method, line.route.type, line.params, line.body]);
    return {
      actor: line.actor ?? defaultActor,
      correlationId: line.correlationId ?? deterministicUuid('import', 'correlation', request),
      requestId: deterministicUuid('import', 'request', request),
    };
  };
}

export async function importLines(
  pool: Pool,
  lines: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const dryRun = options.dryRun ?? false;
  const perTransaction = options.eventsPerTransaction ?? 10_000;
  const perChunk = options.linesPerChunk ?? 2_000;
  const store = new StagingEventStore(streamLoader(pool));
  const runner = new CommandRunner(store, contextOf(options.actor ?? 'system:import'));

  const refusals: Refusal[] = [];
  const commands: Record<string, number> = {};
  let lineCount = 0;
  let appended = 0;
  let repeated = 0;
  let events = 0;
  let transactions = 0;
  let linesDone = 0;
  // The lines since the last write: run again when the write finds a stored id.
  let unwritten: ImportLine[] = [];
  type Result = { refusals: Refusal[]; appended: number; repeated: number; commands: Record<string, number> };
  let batch: Result = { refusals: [], appended: 0, repeated: 0, commands: {} };

  const runLines = async (chunk: readonly ImportLine[], into: Result): Promise<void> => {
    await store.prefetch(chunk.flatMap((l) => likelyStreams(l.route.type, l.params, l.body)));
    for (const line of chunk) {
      const before = store.pendingEventCount();
      const outcome = await runner.run(line);
      if (outcome.kind === 'refused') into.refusals.push(outcome.refusal);
      else {
        if (store.pendingEventCount() > before) into.appended++;
        else into.repeated++;
        into.commands[outcome.type] = (into.commands[outcome.type] ?? 0) + 1;
      }
    }
  };

  const settle = (written: number) => {
    refusals.push(...batch.refusals);
    for (const r of batch.refusals) options.onRefusal?.(r);
    appended += batch.appended;
    repeated += batch.repeated;
    for (const [t, n] of Object.entries(batch.commands)) commands[t] = (commands[t] ?? 0) + n;
    events += written;
    linesDone += unwritten.length;
    unwritten = [];
    batch = { refusals: [], appended: 0, repeated: 0, commands: {} };
    options.onProgress?.(linesDone);
  };

  const flush = async (): Promise<void> => {
    if (dryRun) {
      const n = store.pendingEventCount();
      store.commit();
      settle(n);
      return;
    }
    for (;;) {
      const appends = store.pendingAppends();
      if (appends.length === 0) {
        store.commit();
        settle(0);
        return;
      }
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const clashes = await storedIdsAmong(
          client,
          appends.flatMap((a) => a.events.map((e) => e.id)),
        );
        if (clashes.size > 0) {
          await client.query('ROLLBACK');
          store.rollback();
          store.noteStoredIds(clashes);
          const again = unwritten;
          batch = { refusals: [], appended: 0, repeated: 0, commands: {} };
          for (let i = 0; i < again.length; i += perChunk) await runLines(again.slice(i, i + perChunk), batch);
          continue;
        }
        const written = await appendBatch(client, appends);
        await client.query('COMMIT');
        transactions++;
        store.commit();
        settle(written);
        return;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        if (error instanceof WrongExpectedRevisionError) {
          throw new ImportAbortedError(
            `${error.message}: another writer changed the store during the import. Nothing of the current ` +
              `transaction was written (lines ${unwritten[0]?.lineNo ?? '?'}-${unwritten[unwritten.length - 1]?.lineNo ?? '?'}); ` +
              `run the import again: commands already imported are recognised and skipped.`,
          );
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  };

  let chunk: ImportLine[] = [];
  const runChunk = async () => {
    await runLines(chunk, batch);
    unwritten.push(...chunk);
    chunk = [];
    if (store.pendingEventCount() >= perTransaction) await flush();
  };

  let lineNo = 0;
  for await (const text of lines) {
    lineNo++;
    if (isBlank(text)) continue;
    lineCount++;
    const parsed = parseLine(text, lineNo);
    if (!parsed.ok) {
      refusals.push(parsed.refusal);
      options.onRefusal?.(parsed.refusal);
      continue;
    }
    chunk.push(parsed.line);
    if (chunk.length >= perChunk) await runChunk();
  }
  if (chunk.length > 0) await runChunk();
  await flush();
  refusals.sort((a, b) => a.line - b.line);

  return {
    dryRun,
    lines: lineCount,
    appended,
    repeated,
    refused: refusals.length,
    events,
    transactions,
    commands,
    refusals,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Which of these event ids the database already holds, and where. */
async function storedIdsAmong(client: PoolClient, ids: readonly string[]): Promise<Map<string, StoredId>> {
  const result = await client.query<{ event_id: string; stream_id: string; stream_revision: string }>(
    `SELECT event_id::text AS event_id, stream_id, stream_revision::text AS stream_revision
       FROM es_events WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(result.rows.map((r) => [r.event_id, { streamId: r.stream_id, revision: BigInt(r.stream_revision) }]));
}
