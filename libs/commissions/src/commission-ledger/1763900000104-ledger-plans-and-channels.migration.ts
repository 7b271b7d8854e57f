import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Richer plans and channel sales (issue 10, docs/plans-and-channels.md): the new plan terms; per
 * order credit the rate it earns at (exact fraction), the terms it follows, the sale amount, its
 * attainment before the sale and its holdback; managers' overrides as credits of their own
 * (keyed by whose credit they are on); held amounts on entries; quotas, attainment and the
 * payments and reductions of each order (for recalculations).
 *
 * Credits written before this migration get their plan's flat rate and terms, which is what they
 * earned at; they have no sale amount, so a recalculation asks for a rebuild of the ledger first
 * (RECALCULATION_NEEDS_REBUILD), and attainment starts from zero until the ledger is rebuilt.
 */
export class LedgerPlansAndChannels1763900000104 implements MigrationInterface {
  name = 'LedgerPlansAndChannels1763900000104';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_plans
      ADD COLUMN tiers jsonb, ADD COLUMN override_rate_bps integer NOT NULL DEFAULT 0,
      ADD COLUMN holdback_bps integer NOT NULL DEFAULT 0,
      ADD COLUMN primary_distributor_sales_earn boolean NOT NULL DEFAULT false, ADD COLUMN secondary_rate_bps integer`);
    await q.query(`ALTER TABLE ledger_order_credits
      ADD COLUMN override_of text NOT NULL DEFAULT '', ADD COLUMN rate_num numeric NOT NULL DEFAULT 0,
      ADD COLUMN rate_den numeric NOT NULL DEFAULT 1, ADD COLUMN basis text,
      ADD COLUMN window_days integer NOT NULL DEFAULT 0, ADD COLUMN percent_bps integer NOT NULL DEFAULT 0,
      ADD COLUMN sale_amount bigint, ADD COLUMN sell_in boolean NOT NULL DEFAULT false,
      ADD COLUMN attainment_before numeric, ADD COLUMN holdback_bps integer NOT NULL DEFAULT 0,
      ADD COLUMN release_on date, ADD COLUMN held bigint NOT NULL DEFAULT 0`);
    await q.query(`UPDATE ledger_order_credits c
        SET rate_num = p.rate_bps, basis = p.basis, window_days = p.window_days, percent_bps = p.percent_bps
       FROM ledger_plans p WHERE c.plan_id = p.plan_id`);
    await q.query(`ALTER TABLE ledger_order_credits DROP CONSTRAINT ledger_order_credits_pkey,
      ADD PRIMARY KEY (order_id, salesperson_id, override_of)`);
    await q.query(
      `CREATE INDEX ledger_order_credits_salesperson_idx ON ledger_order_credits (salesperson_id, booked_at)`,
    );
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN held bigint NOT NULL DEFAULT 0, ADD COLUMN release_on date`);
    await q.query(`CREATE TABLE ledger_quotas (
      salesperson_id text NOT NULL, year integer NOT NULL, business_unit text NOT NULL, annual_target bigint NOT NULL,
      PRIMARY KEY (salesperson_id, year, business_unit))`);
    await q.query(`CREATE TABLE ledger_attainment (
      salesperson_id text NOT NULL, year integer NOT NULL, total numeric NOT NULL, PRIMARY KEY (salesperson_id, year))`);
    await q.query(`CREATE TABLE ledger_order_facts (
      seq bigserial NOT NULL, event_id uuid PRIMARY KEY, order_id text NOT NULL, trigger text NOT NULL,
      amount bigint NOT NULL, refund_part bigint NOT NULL, at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX ledger_order_facts_order_idx ON ledger_order_facts (order_id, seq)`);
    // A NO_PLAN exception a recalculation resolved: that event and its record time.
    await q.query(
      `ALTER TABLE ledger_exceptions ADD COLUMN resolved_by_event_id uuid, ADD COLUMN resolved_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE ledger_exceptions DROP COLUMN resolved_at, DROP COLUMN resolved_by_event_id');
    await q.query('DROP TABLE ledger_order_facts');
    await q.query('DROP TABLE ledger_attainment');
    await q.query('DROP TABLE ledger_quotas');
    await q.query('ALTER TABLE ledger_entries DROP COLUMN release_on, DROP COLUMN held');
    await q.query('DROP INDEX ledger_order_credits_salesperson_idx');
    await q.query(`DELETE FROM ledger_order_credits WHERE override_of <> ''`);
    await q.query(`ALTER TABLE ledger_order_credits DROP CONSTRAINT ledger_order_credits_pkey,
      ADD PRIMARY KEY (order_id, salesperson_id)`);
    await q.query(`ALTER TABLE ledger_order_credits
      DROP COLUMN held, DROP COLUMN release_on, DROP COLUMN holdback_bps, DROP COLUMN attainment_before,
      DROP COLUMN sell_in, DROP COLUMN sale_amount, DROP COLUMN percent_bps, DROP COLUMN window_days,
      DROP COLUMN basis, DROP COLUMN rate_den, DROP COLUMN rate_num, DROP COLUMN override_of`);
    await q.query(`ALTER TABLE ledger_plans DROP COLUMN secondary_rate_bps, DROP COLUMN primary_distributor_sales_earn,
      DROP COLUMN holdback_bps, DROP COLUMN override_rate_bps, DROP COLUMN tiers`);
  }
}
