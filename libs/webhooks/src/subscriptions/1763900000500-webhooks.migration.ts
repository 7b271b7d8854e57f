import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions and their delivery checkpoints (ADR 0008): operational configuration, not
 * business facts, so a plain table rather than events. `position` is the LogPosition (`major/minor`)
 * of the last event delivered or skipped by the type filter; `generation` changes on every replay
 * and deletion, and every write of the dispatcher is conditional on (position, generation).
 */
export class Webhooks1763900000500 implements MigrationInterface {
  name = 'Webhooks1763900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_subscriptions (
      subscription_id text PRIMARY KEY,
      url text NOT NULL,
      event_types text[] NOT NULL DEFAULT '{}',
      secret text NOT NULL,
      state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'parked')),
      position text NOT NULL,
      generation integer NOT NULL DEFAULT 0,
      delivered bigint NOT NULL DEFAULT 0,
      last_delivered_at timestamptz,
      failing_event_id text,
      failed_attempts integer NOT NULL DEFAULT 0,
      last_error text,
      last_error_at timestamptz,
      parked_event_id text,
      parked_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_subscriptions');
  }
}
