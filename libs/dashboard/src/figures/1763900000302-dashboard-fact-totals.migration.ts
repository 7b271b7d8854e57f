import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's facts summed per period, salesperson, currency, business unit and kind, kept by
 * the projector beside the facts themselves: the dashboard of a period (with every event known)
 * reads a few rows per salesperson instead of summing every fact. Backfilled from dash_facts.
 */
export class DashboardFactTotals1763900000302 implements MigrationInterface {
  name = 'DashboardFactTotals1763900000302';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dash_fact_totals (
      period text NOT NULL, salesperson_id text NOT NULL, currency text NOT NULL, business_unit text,
      kind text NOT NULL, amount bigint NOT NULL,
      CONSTRAINT dash_fact_totals_key UNIQUE NULLS NOT DISTINCT (period, salesperson_id, currency, business_unit, kind))`);
    await q.query(`INSERT INTO dash_fact_totals (period, salesperson_id, currency, business_unit, kind, amount)
      SELECT period, salesperson_id, currency, business_unit, kind, sum(amount) FROM dash_facts
       GROUP BY period, salesperson_id, currency, business_unit, kind`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dash_fact_totals');
  }
}
