import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Periods the ledger has seen closed (PeriodClosed): later entries for them post to the first open period. */
export class LedgerClosedPeriods1763900000102 implements MigrationInterface {
  name = 'LedgerClosedPeriods1763900000102';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ledger_closed_periods (period text PRIMARY KEY)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ledger_closed_periods');
  }
}
