import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TrackToCash1763900000200 implements MigrationInterface {
  name = 'TrackToCash1763900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ttc_orders (
      order_id text PRIMARY KEY, customer_id text NOT NULL, currency text NOT NULL, booked_at timestamptz NOT NULL,
      default_due_date date NOT NULL, business_unit text, sales_credits jsonb NOT NULL)`);
    await q.query(`CREATE INDEX ttc_orders_customer_idx ON ttc_orders (customer_id, order_id)`);
    await q.query(`CREATE TABLE ttc_order_credits (
      order_id text NOT NULL, salesperson_id text NOT NULL, split_bps integer NOT NULL,
      PRIMARY KEY (order_id, salesperson_id))`);
    await q.query(`CREATE INDEX ttc_order_credits_salesperson_idx ON ttc_order_credits (salesperson_id, order_id)`);
    await q.query(`CREATE TABLE ttc_milestones (
      seq bigserial PRIMARY KEY, order_id text NOT NULL, type text NOT NULL, at timestamptz NOT NULL,
      amount bigint NOT NULL, due_date date, refund_part bigint NOT NULL DEFAULT 0, ref text NOT NULL,
      recorded_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX ttc_milestones_order_idx ON ttc_milestones (order_id, seq)`);
    await q.query(`CREATE TABLE ttc_salespeople (salesperson_id text PRIMARY KEY, team_id text)`);
    await q.query(`CREATE INDEX ttc_salespeople_team_idx ON ttc_salespeople (team_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ttc_salespeople, ttc_milestones, ttc_order_credits, ttc_orders');
  }
}
