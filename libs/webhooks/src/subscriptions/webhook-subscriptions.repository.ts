import type { DataSource } from 'typeorm';
import { formatLogPosition, type LogPosition, parseLogPosition, START } from '../../../eventsourcing/src/event';

export type SubscriptionState = 'active' | 'parked';

/** One row of webhook_subscriptions. */
export interface SubscriptionRecord {
  readonly subscriptionId: string;
  readonly url: string;
  /** Empty: every event type. */
  readonly eventTypes: readonly string[];
  readonly secret: string;
  readonly state: SubscriptionState;
  /** The last event delivered (or passed over by the type filter). */
  readonly position: LogPosition;
  readonly generation: number;
  readonly delivered: bigint;
  readonly lastDeliveredAt: string | null;
  /** The event being retried, and how many attempts at it failed. */
  readonly failingEventId: string | null;
  readonly failedAttempts: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
  readonly parkedEventId: string | null;
  readonly parkedAt: string | null;
  readonly createdAt: string;
  readonly deletedAt: string | null;
}

export interface NewSubscription {
  readonly subscriptionId: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly secret: string;
  readonly position: LogPosition;
}

interface Row {
  subscription_id: string;
  url: string;
  event_types: string[];
  secret: string;
  state: SubscriptionState;
  position: string;
  generation: number;
  delivered: string;
  last_delivered_at: Date | null;
  failing_event_id: string | null;
  failed_attempts: number;
  last_error: string | null;
  last_error_at: Date | null;
  parked_event_id: string | null;
  parked_at: Date | null;
  created_at: Date;
  deleted_at: Date | null;
}

const COLUMNS = `s.subscription_id, s.url, s.event_types, s.secret, s.state, s.position, s.generation,
  s.delivered::text AS delivered, s.last_delivered_at, s.failing_event_id, s.failed_attempts, s.last_error,
  s.last_error_at, s.parked_event_id, s.parked_at, s.created_at, s.deleted_at`;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

function toRecord(row: Row): SubscriptionRecord {
  return {
    subscriptionId: row.subscription_id,
    url: row.url,
    eventTypes: row.event_types,
    secret: row.secret,
    state: row.state,
    position: parseLogPosition(row.position) ?? START,
    generation: row.generation,
    delivered: BigInt(row.delivered),
    lastDeliveredAt: iso(row.last_delivered_at),
    failingEventId: row.failing_event_id,
    failedAttempts: row.failed_attempts,
    lastError: row.last_error,
    lastErrorAt: iso(row.last_error_at),
    parkedEventId: row.parked_event_id,
    parkedAt: iso(row.parked_at),
    createdAt: row.created_at.toISOString(),
    deletedAt: iso(row.deleted_at),
  };
}

/** Errors recorded for a subscription are cut to this length. */
const MAX_ERROR_LENGTH = 500;
const cut = (error: string) => (error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error);

/**
 * The SQL of webhook subscriptions, for the HTTP handlers and the dispatcher. Every write of the
 * dispatcher names the (position, generation) it started from, so a replay, a deletion or another
 * process that moved the checkpoint makes it a no-op (answered false) instead of a lost update.
 */
export class WebhookSubscriptions {
  constructor(private readonly dataSource: DataSource) {}

  async find(subscriptionId: string): Promise<SubscriptionRecord | null> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions s WHERE s.subscription_id = $1 AND s.deleted_at IS NULL`,
      [subscriptionId],
    )) as Row[];
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Live subscriptions in id order, strictly after `after`; limit + 1 rows for pagination. */
  async list(after: string | null, limit: number): Promise<SubscriptionRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions s
        WHERE s.deleted_at IS NULL AND ($1::text IS NULL OR s.subscription_id > $1::text)
        ORDER BY s.subscription_id
        LIMIT $2`,
      [after, limit + 1],
    )) as Row[];
    return rows.map(toRecord);
  }

  /** Active (not parked, not deleted) subscriptions: what the dispatcher looks after. */
  async active(): Promise<SubscriptionRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_subscriptions s WHERE s.deleted_at IS NULL AND s.state = 'active'`,
    )) as Row[];
    return rows.map(toRecord);
  }

  /**
   * Inserts a subscription; a deleted one with the same id is replaced. Answers null when a live
   * subscription with this id exists.
   */
  async insert(s: NewSubscription): Promise<SubscriptionRecord | null> {
    const rows = (await this.dataSource.query(
      `WITH s AS (
         INSERT INTO webhook_subscriptions AS w (subscription_id, url, event_types, secret, position)
         VALUES ($1, $2, $3::text[], $4, $5)
         ON CONFLICT (subscription_id) DO UPDATE
            SET url = EXCLUDED.url, event_types = EXCLUDED.event_types, secret = EXCLUDED.secret,
                state = 'active', position = EXCLUDED.position, generation = w.generation + 1, delivered = 0,
                last_delivered_at = NULL, failing_event_id = NULL, failed_attempts = 0, last_error = NULL,
                last_error_at = NULL, parked_event_id = NULL, parked_at = NULL, created_at = now(),
                updated_at = now(), deleted_at = NULL
          WHERE w.deleted_at IS NOT NULL
         RETURNING *)
       SELECT ${COLUMNS} FROM s`,
      [s.subscriptionId, s.url, [...s.eventTypes], s.secret, formatLogPosition(s.position)],
    )) as Row[];
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Stops deliveries for good; false when there was no live subscription. */
  async delete(subscriptionId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH u AS (
         UPDATE webhook_subscriptions SET deleted_at = now(), updated_at = now(), generation = generation + 1
          WHERE subscription_id = $1 AND deleted_at IS NULL
         RETURNING subscription_id)
       SELECT count(*)::int AS n FROM u`,
      [subscriptionId],
    )) as Array<{ n: number }>;
    return rows[0]?.n === 1;
  }

  /** Moves the checkpoint to `position` (deliveries resume after it), active, nothing parked. */
  async replay(subscriptionId: string, position: LogPosition): Promise<SubscriptionRecord | null> {
    const rows = (await this.dataSource.query(
      `WITH s AS (
         UPDATE webhook_subscriptions
            SET position = $2, state = 'active', generation = generation + 1, failing_event_id = NULL,
                failed_attempts = 0, parked_event_id = NULL, parked_at = NULL, updated_at = now()
          WHERE subscription_id = $1 AND deleted_at IS NULL
         RETURNING *)
       SELECT ${COLUMNS} FROM s`,
      [subscriptionId, formatLogPosition(position)],
    )) as Row[];
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * After a 2xx (delivered = 1) or past events the type filter skips (delivered = 0): moves the
   * checkpoint from `current.position` to `to`. False when the row moved meanwhile (replay, deletion, another owner).
   */
  async advance(current: SubscriptionRecord, to: LogPosition, delivered: 0 | 1): Promise<boolean> {
    return this.conditional(
      current,
      `position = $4, delivered = delivered + $5::int,
       last_delivered_at = CASE WHEN $5::int > 0 THEN now() ELSE last_delivered_at END,
       failing_event_id = CASE WHEN $5::int > 0 THEN NULL ELSE failing_event_id END,
       failed_attempts = CASE WHEN $5::int > 0 THEN 0 ELSE failed_attempts END`,
      [formatLogPosition(to), delivered],
    );
  }

  /** A failed attempt at `eventId` (the `attempts`-th one). */
  async recordFailure(current: SubscriptionRecord, eventId: string, attempts: number, error: string): Promise<boolean> {
    return this.conditional(
      current,
      `failing_event_id = $4, failed_attempts = $5, last_error = $6, last_error_at = now()`,
      [eventId, attempts, cut(error)],
    );
  }

  /** The last attempt failed: nothing more is delivered until a replay. */
  async park(current: SubscriptionRecord, eventId: string, attempts: number, error: string): Promise<boolean> {
    return this.conditional(
      current,
      `state = 'parked', failing_event_id = $4, failed_attempts = $5, last_error = $6, last_error_at = now(),
       parked_event_id = $4, parked_at = now()`,
      [eventId, attempts, cut(error)],
    );
  }

  private async conditional(current: SubscriptionRecord, set: string, params: unknown[]): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `WITH u AS (
         UPDATE webhook_subscriptions SET ${set}, updated_at = now()
          WHERE subscription_id = $1 AND generation = $2 AND position = $3
            AND state = 'active' AND deleted_at IS NULL
         RETURNING subscription_id)
       SELECT count(*)::int AS n FROM u`,
      [current.subscriptionId, current.generation, formatLogPosition(current.position), ...params],
    )) as Array<{ n: number }>;
    return rows[0]?.n === 1;
  }
}
