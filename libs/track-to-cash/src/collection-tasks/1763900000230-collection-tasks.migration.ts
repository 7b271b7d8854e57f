import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The collection tasks' read model (collection-tasks.projector.ts). */
export class CollectionTasks1763900000230 implements MigrationInterface {
  name = 'CollectionTasks1763900000230';

  async up(q: QueryRunner): Promise<void> {
    // Each booked order (a receivable's order) with its running totals, to skip settled ones.
    await q.query(`CREATE TABLE ct_orders (
      order_id text PRIMARY KEY, customer_id text NOT NULL, currency text NOT NULL, booked_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL, net bigint NOT NULL, paid_net bigint NOT NULL, written_off bigint NOT NULL,
      invoiced bigint NOT NULL, receivable bigint NOT NULL, max_at timestamptz NOT NULL,
      max_recorded_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE ct_order_credits (
      order_id text NOT NULL, salesperson_id text NOT NULL, split_bps integer NOT NULL,
      PRIMARY KEY (order_id, salesperson_id))`);
    await q.query(`CREATE INDEX ct_order_credits_salesperson_idx ON ct_order_credits (salesperson_id, order_id)`);
    // Every order-stream fact the schedule needs, its event data as published.
    await q.query(`CREATE TABLE ct_facts (
      seq bigserial PRIMARY KEY, order_id text NOT NULL, type text NOT NULL, at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL, data jsonb NOT NULL)`);
    await q.query(`CREATE INDEX ct_facts_order_idx ON ct_facts (order_id, seq)`);
    await q.query(`CREATE TABLE ct_salespeople (
      salesperson_id text PRIMARY KEY, manager_id text, team_id text, recorded_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX ct_salespeople_manager_idx ON ct_salespeople (manager_id)`);
    await q.query(`CREATE INDEX ct_salespeople_team_idx ON ct_salespeople (team_id)`);
    await q.query(`CREATE TABLE ct_policies (
      seq bigserial PRIMARY KEY, policy_id text NOT NULL, type text NOT NULL, at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL, data jsonb NOT NULL)`);
    await q.query(`CREATE INDEX ct_policies_policy_idx ON ct_policies (policy_id, seq)`);
    await q.query(`CREATE TABLE ct_customer_policies (
      seq bigserial PRIMARY KEY, customer_id text NOT NULL, type text NOT NULL, at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL, data jsonb NOT NULL)`);
    await q.query(`CREATE INDEX ct_customer_policies_customer_idx ON ct_customer_policies (customer_id, seq)`);
    // Tasks announced by CollectionTaskFellDue: the due scan skips them.
    await q.query(`CREATE TABLE ct_fallen_due (
      task_id text PRIMARY KEY, order_id text NOT NULL, recorded_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP TABLE ct_fallen_due, ct_customer_policies, ct_policies, ct_salespeople, ct_facts, ct_order_credits, ct_orders',
    );
  }
}
