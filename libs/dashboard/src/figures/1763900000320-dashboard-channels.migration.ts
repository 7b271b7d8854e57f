import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Channel sales and business units (docs/plans-and-channels.md): an order's credits remember
 * whether it is a primary sale to a distributor (sell-in, never achieved), and quotas are kept per
 * salesperson, year and business unit (null: the quota without one), as are their histories.
 * No backfill: no event before this release is a sale to a distributor or a quota of a unit.
 */
export class DashboardChannels1763900000320 implements MigrationInterface {
  name = 'DashboardChannels1763900000320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE dash_order_credits ADD COLUMN sell_in boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE dash_quotas ADD COLUMN business_unit text`);
    await q.query(`ALTER TABLE dash_quotas DROP CONSTRAINT dash_quotas_pkey`);
    await q.query(`ALTER TABLE dash_quotas
      ADD CONSTRAINT dash_quotas_key UNIQUE NULLS NOT DISTINCT (salesperson_id, year, business_unit)`);
    await q.query(`ALTER TABLE dash_quota_history ADD COLUMN business_unit text`);
    await q.query(`DROP INDEX dash_quota_history_idx`);
    await q.query(
      `CREATE INDEX dash_quota_history_idx ON dash_quota_history (year, salesperson_id, business_unit, recorded_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX dash_quota_history_idx`);
    await q.query(`DELETE FROM dash_quota_history WHERE business_unit IS NOT NULL`);
    await q.query(`ALTER TABLE dash_quota_history DROP COLUMN business_unit`);
    await q.query(`CREATE INDEX dash_quota_history_idx ON dash_quota_history (year, salesperson_id, recorded_at)`);
    await q.query(`DELETE FROM dash_quotas WHERE business_unit IS NOT NULL`);
    await q.query(`ALTER TABLE dash_quotas DROP CONSTRAINT dash_quotas_key`);
    await q.query(`ALTER TABLE dash_quotas DROP COLUMN business_unit`);
    await q.query(`ALTER TABLE dash_quotas ADD PRIMARY KEY (salesperson_id, year)`);
    await q.query(`ALTER TABLE dash_order_credits DROP COLUMN sell_in`);
  }
}
