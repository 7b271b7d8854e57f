import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CommissionLedger1763900000100 implements MigrationInterface {
  name = 'CommissionLedger1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ledger_plans (
      plan_id text PRIMARY KEY, name text NOT NULL, currency text NOT NULL, basis text NOT NULL,
      rate_bps integer NOT NULL, window_days integer NOT NULL, percent_bps integer NOT NULL)`);
    await q.query(`CREATE TABLE ledger_salespeople (
      salesperson_id text PRIMARY KEY, name text NOT NULL, team_id text, manager_id text)`);
    await q.query(`CREATE TABLE ledger_assignments (
      seq bigserial PRIMARY KEY, assignment_id text NOT NULL UNIQUE, salesperson_id text NOT NULL,
      plan_id text NOT NULL, effective_from date NOT NULL)`);
    await q.query(`CREATE INDEX ledger_assignments_salesperson_idx ON ledger_assignments (salesperson_id, seq)`);
    await q.query(`CREATE TABLE ledger_entries (
      entry_id uuid PRIMARY KEY, seq bigserial NOT NULL, salesperson_id text NOT NULL, type text NOT NULL,
      amount bigint NOT NULL, currency text NOT NULL, period text NOT NULL, original_period text,
      order_id text, source_event_id uuid NOT NULL, source_position bigint NOT NULL,
      occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL, explanation jsonb NOT NULL)`);
    await q.query(`CREATE INDEX ledger_entries_salesperson_period_idx ON ledger_entries (salesperson_id, period, seq)`);
    await q.query(`CREATE TABLE ledger_exceptions (
      exception_id uuid PRIMARY KEY, code text NOT NULL, order_id text, salesperson_id text,
      detail text NOT NULL, source_position bigint NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ledger_exceptions, ledger_entries, ledger_assignments, ledger_salespeople, ledger_plans');
  }
}
