import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Dashboard1763900000300 implements MigrationInterface {
  name = 'Dashboard1763900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dash_order_credits (
      order_id text NOT NULL, salesperson_id text NOT NULL, position integer NOT NULL, split_bps integer NOT NULL,
      currency text NOT NULL, business_unit text, PRIMARY KEY (order_id, salesperson_id))`);
    await q.query(`CREATE TABLE dash_facts (
      seq bigserial PRIMARY KEY, salesperson_id text NOT NULL, period text NOT NULL, currency text NOT NULL,
      business_unit text, kind text NOT NULL, amount bigint NOT NULL, recorded_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX dash_facts_period_idx ON dash_facts (period, salesperson_id)`);
    await q.query(`CREATE TABLE dash_quotas (
      salesperson_id text NOT NULL, year integer NOT NULL, currency text NOT NULL, monthly_targets jsonb NOT NULL,
      PRIMARY KEY (salesperson_id, year))`);
    await q.query(`CREATE TABLE dash_salespeople (salesperson_id text PRIMARY KEY, team_id text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dash_salespeople, dash_quotas, dash_facts, dash_order_credits');
  }
}
