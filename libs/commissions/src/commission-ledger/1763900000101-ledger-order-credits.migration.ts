import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each salesperson's credit on each order, with what it earned and lost (the clawback cap). */
export class LedgerOrderCredits1763900000101 implements MigrationInterface {
  name = 'LedgerOrderCredits1763900000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ledger_order_credits (
      order_id text NOT NULL, salesperson_id text NOT NULL, position integer NOT NULL, split_bps integer NOT NULL,
      plan_id text, assignment_id text, booked_at timestamptz NOT NULL,
      earned bigint NOT NULL DEFAULT 0, clawed_back bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (order_id, salesperson_id),
      CONSTRAINT ledger_order_credits_cap CHECK (clawed_back <= earned))`);
    await q.query(`CREATE INDEX ledger_entries_type_idx ON ledger_entries (type, period)`);
    await q.query(`CREATE INDEX ledger_entries_order_idx ON ledger_entries (order_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ledger_entries_order_idx');
    await q.query('DROP INDEX ledger_entries_type_idx');
    await q.query('DROP TABLE ledger_order_credits');
  }
}
