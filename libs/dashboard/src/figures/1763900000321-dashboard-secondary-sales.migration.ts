import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each secondary sale's business unit: the ledger's entries on a secondary sale name no order, so
 * the dashboard groups their commissions by business unit through this table. No backfill: no
 * secondary sale was reported before this release.
 */
export class DashboardSecondarySales1763900000321 implements MigrationInterface {
  name = 'DashboardSecondarySales1763900000321';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dash_secondary_sales (sale_id text PRIMARY KEY, business_unit text)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dash_secondary_sales');
  }
}
