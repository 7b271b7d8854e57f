import { Client, type ClientConfig, Pool, type PoolClient } from 'pg';
import {
  type AppendResult,
  type BatchHandler,
  chainHashes,
  DuplicateEventIdError,
  type EventStore,
  EventStoreUnavailableError,
  type ExpectedRevision,
  type LogPosition,
  type NewEvent,
  normalizeOccurredAt,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  START,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedRevisionError,
} from '../../eventsourcing/src/index';
import { NOTIFY_CHANNEL } from './schema';

export interface PostgresEventStoreOptions {
  /** Fallback polling interval when no notification arrives (ms). */
  readonly pollIntervalMs?: number;
  /** Listen for append notifications (default true). */
  readonly listen?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The columns of an event row, as `toStoredEvent` reads them (`FROM es_events`). */
export const EVENT_COLUMNS = `es_events.global_position::text AS global_position,
  es_events.transaction_id::text AS transaction_id, es_events.event_id::text AS event_id, es_events.stream_id,
  es_events.stream_revision::text AS stream_revision, es_events.event_type, es_events.schema_version,
  es_events.data, es_events.metadata, es_events.occurred_at, es_events.recorded_at, es_events.hash,
  es_events.prev_hash`;
const COLUMNS = EVENT_COLUMNS;

export interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: StoredEvent['metadata'];
  occurred_at: Date;
  recorded_at: Date;
  /** Null only between the hash-chain migration's ADD COLUMN and its backfill. */
  hash: string | null;
  prev_hash: string | null;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    globalPosition: BigInt(row.global_position),
    logPosition: { major: BigInt(row.transaction_id), minor: BigInt(row.global_position) },
    ...(row.hash === null ? {} : { hash: row.hash, prevHash: row.prev_hash }),
  };
}

/** xid8 has no -1: the start of the log is (0, -1). */
function positionParams(p: LogPosition | undefined): [string, string] {
  const at = p ?? START;
  return [(at.major < 0n ? 0n : at.major).toString(), at.minor.toString()];
}

function describeExpected(e: ExpectedRevision): string {
  return typeof e === 'bigint' ? e.toString() : e;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** Turns connection failures into EventStoreUnavailableError; other errors pass through. */
function translate(error: unknown): unknown {
  const code = (error as { code?: string } | null)?.code;
  if (
    (code && (CONNECTION_ERRORS.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) ||
    (error instanceof Error &&
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message))
  ) {
    return new EventStoreUnavailableError(`PostgreSQL event store unavailable: ${(error as Error).message}`);
  }
  return error;
}

/**
 * The INSERT of an append's events (parameters $1–$10 of `eventParams`), inserting only `when`
 * holds, in the order given, returning their positions.
 */
function insertEvents(when: string): string {
  return `INSERT INTO es_events
         (event_id, stream_id, stream_revision, event_type, schema_version, data, metadata, occurred_at, hash, prev_hash)
       SELECT e.event_id, $1, $2::bigint + e.ord, e.event_type, e.schema_version, e.data, e.metadata, e.occurred_at,
              e.hash, e.prev_hash
         FROM unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::text[], $10::text[])
              WITH ORDINALITY AS e(event_id, event_type, schema_version, data, metadata, occurred_at, hash, prev_hash, ord)
        WHERE ${when}
        ORDER BY e.ord
       RETURNING global_position, transaction_id`;
}

function eventParams(
  streamId: string,
  current: bigint,
  events: readonly NewEvent[],
  occurredAt: readonly string[],
  links: ReadonlyArray<{ hash: string; prevHash: string | null }>,
): unknown[] {
  return [
    streamId,
    current.toString(),
    events.map((e) => e.id),
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion),
    events.map((e) => JSON.stringify(e.data)),
    events.map((e) => JSON.stringify(e.metadata)),
    occurredAt,
    links.map((l) => l.hash),
    links.map((l) => l.prevHash),
  ];
}

/**
 * Appends inside a transaction the caller has begun on `client`. Exposed for tests that need to
 * hold an append's transaction open (the late-commit case); the store itself wraps it in
 * BEGIN/COMMIT.
 */
export async function appendInTransaction(
  client: PoolClient | Client,
  streamId: string,
  events: readonly NewEvent[],
  expectedRevision: ExpectedRevision,
): Promise<AppendResult> {
  if (events.length === 0) throw new TypeError('appendToStream needs at least one event');
  for (const e of events) {
    if (!UUID.test(e.id)) throw new TypeError(`Event id ${e.id} is not a UUID`);
    if (Number.isNaN(Date.parse(e.occurredAt))) throw new TypeError(`occurredAt ${e.occurredAt} is not a date`);
  }
  if (new Set(events.map((e) => e.id)).size !== events.length) {
    throw new TypeError('The same event id appears twice in one append');
  }

  // Creates the stream's row if need be and locks it, in one round trip: concurrent appends to one
  // stream serialise here.
  const locked = await client.query<{ revision: string; last_hash: string | null }>(
    `INSERT INTO es_streams (stream_id, revision) VALUES ($1, -1)
     ON CONFLICT (stream_id) DO UPDATE SET revision = es_streams.revision
     RETURNING revision::text AS revision, last_hash`,
    [streamId],
  );
  const current = BigInt(locked.rows[0]?.revision ?? '-1');
  const ids = events.map((e) => e.id);

  const ok =
    expectedRevision === 'any' ||
    (expectedRevision === 'no_stream' && current === -1n) ||
    (expectedRevision === 'stream_exists' && current >= 0n) ||
    (typeof expectedRevision === 'bigint' && expectedRevision === current);
  if (!ok) {
    // A retry of an append that succeeded meets a revision it moved itself: answer as the first time.
    const retry = await previousAppend(client, streamId, ids);
    if (retry) return retry;
    throw new WrongExpectedRevisionError(
      streamId,
      describeExpected(expectedRevision),
      current === -1n ? 'no_stream' : current.toString(),
    );
  }

  // The hash chain (ADR 0006): computed here, from the locked stream's last hash, so concurrent
  // appends to one stream cannot fork it. occurredAt is stored as hashed (ISO-8601 UTC, ms).
  const lastHash = current < 0n ? null : (locked.rows[0]?.last_hash ?? (await storedHash(client, streamId, current)));
  const occurredAt = events.map((e) => normalizeOccurredAt(e.occurredAt));
  const links = chainHashes(
    lastHash,
    events.map((e, i) => ({ ...e, streamId, streamRevision: current + 1n + BigInt(i), occurredAt: occurredAt[i]! })),
  );
  const next = current + BigInt(events.length);
  // Inserts the events unless one of their ids is already stored, moves the stream's revision and
  // wakes the subscribers: one statement.
  const inserted = await client.query<{ global_position: string; transaction_id: string }>(
    `WITH ins AS (
       ${insertEvents('NOT EXISTS (SELECT 1 FROM es_events x WHERE x.event_id = ANY($3::uuid[]))')}),
     moved AS (
       UPDATE es_streams SET revision = $11, last_hash = $12
        WHERE stream_id = $1 AND EXISTS (SELECT 1 FROM ins)
       RETURNING pg_notify($13, $1))
     SELECT global_position::text AS global_position, transaction_id::text AS transaction_id,
            (SELECT count(*) FROM moved) AS moved
       FROM ins`,
    [
      ...eventParams(streamId, current, events, occurredAt, links),
      next.toString(),
      links[links.length - 1]!.hash,
      NOTIFY_CHANNEL,
    ],
  );
  if (inserted.rows.length === 0) {
    // One of the ids is stored already: an exact retry answers as the first time, anything else is refused.
    const retry = await previousAppend(client, streamId, ids);
    if (retry) return retry;
    throw new Error(`Append to ${streamId} inserted nothing`); // unreachable: previousAppend throws
  }
  const positions = inserted.rows.map((r) => BigInt(r.global_position));
  const lastPosition = positions.reduce((a, b) => (b > a ? b : a));
  const txid = BigInt(inserted.rows[0]!.transaction_id);
  return {
    nextExpectedRevision: next,
    globalPosition: lastPosition,
    logPosition: { major: txid, minor: lastPosition },
    appended: true,
  };
}

/**
 * The append in one statement, without an explicit transaction, when the caller read the stream
 * just before and knows its revision and last hash (`handleCommand` does): the stream's row moves
 * only from exactly that state (a concurrent append makes it match nothing), the events go in
 * with it, and the subscribers are woken, atomically. Null when the stream is not in that state
 * any more or an id is stored already: the caller then takes the general path, which tells a
 * retry from a conflict.
 */
async function appendKnownState(
  pool: Pool,
  streamId: string,
  events: readonly NewEvent[],
  current: bigint,
  lastHash: string | null,
): Promise<AppendResult | null> {
  const occurredAt = events.map((e) => normalizeOccurredAt(e.occurredAt));
  const links = chainHashes(
    lastHash,
    events.map((e, i) => ({ ...e, streamId, streamRevision: current + 1n + BigInt(i), occurredAt: occurredAt[i]! })),
  );
  const next = current + BigInt(events.length);
  const moveStream =
    current < 0n
      ? `INSERT INTO es_streams (stream_id, revision, last_hash) VALUES ($1, $11, $12)
         ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`
      : `UPDATE es_streams SET revision = $11, last_hash = $12
          WHERE stream_id = $1 AND revision = $2 AND last_hash = $14 RETURNING stream_id`;
  let result;
  try {
    result = await pool.query<{ global_position: string; transaction_id: string }>(
      `WITH moved AS (${moveStream}),
       ins AS (
         ${insertEvents('EXISTS (SELECT 1 FROM moved)')})
       SELECT global_position::text AS global_position, transaction_id::text AS transaction_id,
              pg_notify($13, $1) AS woken
         FROM ins`,
      [
        ...eventParams(streamId, current, events, occurredAt, links),
        next.toString(),
        links[links.length - 1]!.hash,
        NOTIFY_CHANNEL,
        ...(current < 0n ? [] : [lastHash]),
      ],
    );
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return null; // an id or the stream exists: general path
    throw error;
  }
  if (result.rows.length === 0) return null;
  const positions = result.rows.map((r) => BigInt(r.global_position));
  const lastPosition = positions.reduce((a, b) => (b > a ? b : a));
  return {
    nextExpectedRevision: next,
    globalPosition: lastPosition,
    logPosition: { major: BigInt(result.rows[0]!.transaction_id), minor: lastPosition },
    appended: true,
  };
}

/**
 * When some of `ids` are stored already: the earlier append's result if they are exactly these
 * events on this stream (a retry), else DuplicateEventIdError. Null when none is stored.
 */
async function previousAppend(
  client: PoolClient | Client,
  streamId: string,
  ids: readonly string[],
): Promise<AppendResult | null> {
  const existing = await client.query<EventRow>(
    `SELECT ${COLUMNS} FROM es_events WHERE event_id = ANY($1::uuid[]) ORDER BY es_events.global_position`,
    [ids],
  );
  const rows = existing.rows;
  if (rows.length === 0) return null;
  const exactRetry =
    rows.length === ids.length &&
    rows.every(
      (r, i) =>
        r.stream_id === streamId &&
        r.event_id === ids[i]?.toLowerCase() &&
        BigInt(r.stream_revision) === BigInt(rows[0]!.stream_revision) + BigInt(i),
    );
  if (!exactRetry) throw new DuplicateEventIdError(streamId, rows[0]!.event_id);
  const last = toStoredEvent(rows[rows.length - 1]!);
  return {
    nextExpectedRevision: last.streamRevision,
    globalPosition: last.globalPosition,
    logPosition: last.logPosition,
    appended: false,
  };
}

/** The stored hash of a stream's event (streams whose es_streams row predates `last_hash`). */
async function storedHash(client: PoolClient | Client, streamId: string, revision: bigint): Promise<string | null> {
  const result = await client.query<{ hash: string | null }>(
    'SELECT hash FROM es_events WHERE stream_id = $1 AND stream_revision = $2',
    [streamId, revision.toString()],
  );
  return result.rows[0]?.hash ?? null;
}

/**
 * Our PostgreSQL event store. Appends lock the stream's row, so concurrent writers at the same
 * revision serialise and all but one are refused. Readers of the global log order by
 * (transaction id, position) and read only below the snapshot's xmin: every transaction that
 * could still add an earlier event has ended, so no event is ever skipped, however late it
 * commits. LISTEN/NOTIFY wakes subscribers; polling is the fallback.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private listener: Client | null = null;
  private listenerStarting: Promise<void> | null = null;
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly clientConfig: ClientConfig | null,
    private readonly options: PostgresEventStoreOptions = {},
    private readonly ownsPool = false,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  static connect(connectionString: string, options: PostgresEventStoreOptions = {}): PostgresEventStore {
    const pool = new Pool({ connectionString, max: 10, application_name: 'event-store' });
    pool.on('error', () => undefined);
    return new PostgresEventStore(pool, { connectionString, application_name: 'event-store-listener' }, options, true);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    const known = this.lastRead.get(streamId);
    const fast =
      expected === 'no_stream'
        ? { revision: -1n, hash: null }
        : typeof expected === 'bigint' && known && known.revision === expected && known.hash !== null
          ? known
          : null;
    if (
      fast &&
      events.length > 0 &&
      events.every((e) => UUID.test(e.id) && !Number.isNaN(Date.parse(e.occurredAt))) &&
      new Set(events.map((e) => e.id)).size === events.length
    ) {
      try {
        const done = await appendKnownState(this.pool, streamId, events, fast.revision, fast.hash);
        if (done) {
          this.lastRead.delete(streamId);
          return done;
        }
      } catch (error) {
        throw translate(error);
      }
    }
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translate(error);
    }
    let result: AppendResult;
    try {
      await client.query('BEGIN');
      result = await appendInTransaction(client, streamId, events, expected);
      await client.query(result.appended ? 'COMMIT' : 'ROLLBACK');
    } catch (error) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(!rolledBack);
      if ((error as { code?: string }).code === '23505') {
        // Lost a race with a concurrent first append of the same ids: now it is a plain retry.
        if ((error as { constraint?: string }).constraint === 'es_events_event_id_key') {
          return this.appendToStream(streamId, events, options);
        }
        throw new WrongExpectedRevisionError(streamId, describeExpected(expected), 'changed concurrently');
      }
      throw translate(error);
    }
    client.release();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly StoredEvent[]> {
    try {
      const result = await this.pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM es_events
          WHERE stream_id = $1 AND stream_revision >= $2
          ORDER BY es_events.stream_revision LIMIT $3`,
        [streamId, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
      );
      const events = result.rows.map(toStoredEvent);
      const last = events[events.length - 1];
      if (last && options.maxCount === undefined) this.remember(streamId, last.streamRevision, last.hash ?? null);
      return events;
    } catch (error) {
      throw translate(error);
    }
  }

  /** The last revision and hash of streams just read: an append right after needs one statement. */
  private readonly lastRead = new Map<string, { revision: bigint; hash: string | null }>();

  private remember(streamId: string, revision: bigint, hash: string | null): void {
    this.lastRead.delete(streamId);
    this.lastRead.set(streamId, { revision, hash });
    if (this.lastRead.size > 10_000) {
      const oldest = this.lastRead.keys().next();
      if (!oldest.done) this.lastRead.delete(oldest.value);
    }
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllResult> {
    const [major, minor] = positionParams(options.after);
    const types = options.eventTypes && options.eventTypes.length > 0 ? [...options.eventTypes] : null;
    try {
      const snap = await this.pool.query<{ xmin: string }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
      );
      const xmin = snap.rows[0]!.xmin;
      const result = await this.pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM es_events
          WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND transaction_id < $3::xid8
            AND ($4::text[] IS NULL OR event_type = ANY($4::text[]))
          ORDER BY es_events.transaction_id, es_events.global_position
          LIMIT $5`,
        [major, minor, xmin, types, options.maxCount],
      );
      const events = result.rows.map(toStoredEvent);
      const isEnd = events.length < options.maxCount;
      let lastPosition: LogPosition = events[events.length - 1]?.logPosition ?? options.after ?? START;
      if (isEnd && types) {
        // Everything below xmin has been considered: resume from the newest visible event.
        const head = await this.visibleHead(xmin);
        if (
          head &&
          (head.major > lastPosition.major || (head.major === lastPosition.major && head.minor > lastPosition.minor))
        ) {
          lastPosition = head;
        }
      }
      return { events, lastPosition, isEnd };
    } catch (error) {
      throw translate(error);
    }
  }

  private async visibleHead(xmin: string): Promise<LogPosition | null> {
    const result = await this.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
         FROM es_events WHERE transaction_id < $1::xid8
        ORDER BY es_events.transaction_id DESC, es_events.global_position DESC LIMIT 1`,
      [xmin],
    );
    const row = result.rows[0];
    return row ? { major: BigInt(row.transaction_id), minor: BigInt(row.global_position) } : null;
  }

  subscribeToAll(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    let stopped = false;
    let wake: (() => void) | null = null;
    const stopWaiting = () => wake?.();

    const loop = async (): Promise<void> => {
      let position = options.from ?? START;
      void this.ensureListener();
      while (!stopped) {
        let page: ReadAllResult;
        try {
          page = await this.readAll({ after: position, maxCount: batchSize, eventTypes: options.eventTypes });
        } catch (error) {
          if (error instanceof EventStoreUnavailableError) {
            if (!stopped) await this.sleep(this.pollIntervalMs, (w) => (wake = w));
            continue; // the database comes back: resume from the same position
          }
          throw error;
        }
        if (stopped) break;
        if (page.events.length > 0) await handler(page.events, { caughtUp: page.isEnd });
        position = page.lastPosition;
        if (page.isEnd && !stopped) await this.sleep(this.pollIntervalMs, (w) => (wake = w));
      }
    };

    const done = loop();
    done.catch(() => undefined);
    return {
      done,
      stop: async () => {
        stopped = true;
        stopWaiting();
        await done.catch(() => undefined);
      },
    };
  }

  /** Waits for an append notification, a stop, or the polling interval, whichever comes first. */
  private sleep(ms: number, exposeWake: (wake: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakers.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakers.add(finish);
      exposeWake(finish);
    });
  }

  private ensureListener(): Promise<void> {
    if (this.options.listen === false || !this.clientConfig || this.closed) return Promise.resolve();
    if (this.listener || this.listenerStarting) return this.listenerStarting ?? Promise.resolve();
    this.listenerStarting = (async () => {
      const client = new Client(this.clientConfig ?? undefined);
      client.on('error', () => this.dropListener(client));
      client.on('end', () => this.dropListener(client));
      client.on('notification', () => {
        for (const wake of [...this.wakers]) wake();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
        if (this.closed) await client.end();
        else this.listener = client;
      } catch {
        this.dropListener(client);
      } finally {
        this.listenerStarting = null;
      }
    })();
    return this.listenerStarting;
  }

  private dropListener(client: Client): void {
    if (this.listener === client) this.listener = null;
    client.end().catch(() => undefined);
    // Polling carries on meanwhile; try listening again a little later.
    if (!this.closed) setTimeout(() => void this.ensureListener(), 1000).unref();
  }

  async logPositionOf(globalPosition: bigint): Promise<LogPosition | null> {
    try {
      const result = await this.pool.query<{ transaction_id: string }>(
        'SELECT transaction_id::text AS transaction_id FROM es_events WHERE global_position = $1',
        [globalPosition.toString()],
      );
      const row = result.rows[0];
      return row ? { major: BigInt(row.transaction_id), minor: globalPosition } : null;
    } catch (error) {
      throw translate(error);
    }
  }

  async headPosition(): Promise<LogPosition> {
    try {
      const snap = await this.pool.query<{ xmin: string }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
      );
      return (await this.visibleHead(snap.rows[0]!.xmin)) ?? START;
    } catch (error) {
      throw translate(error);
    }
  }

  async committedHead(): Promise<LogPosition> {
    try {
      const result = await this.pool.query<{ transaction_id: string; global_position: string }>(
        `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
           FROM es_events ORDER BY es_events.transaction_id DESC, es_events.global_position DESC LIMIT 1`,
      );
      const row = result.rows[0];
      return row ? { major: BigInt(row.transaction_id), minor: BigInt(row.global_position) } : START;
    } catch (error) {
      throw translate(error);
    }
  }

  async countEventsAfter(after: LogPosition, cap: number): Promise<number> {
    const [major, minor] = positionParams(after);
    try {
      const result = await this.pool.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM (
           SELECT 1 FROM es_events
            WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            LIMIT $3) AS behind`,
        [major, minor, cap],
      );
      return Number(result.rows[0]?.n ?? 0);
    } catch (error) {
      throw translate(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.wakers]) wake();
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    if (this.ownsPool) await this.pool.end();
  }
}
