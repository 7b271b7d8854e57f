import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each ledger entry's source event log position (`major/minor`, see LogPosition) and, for an entry
 * a period close moved to the next period, where it was and when it moved (PeriodClosed's record
 * time). Rows written before this migration have no log position until the ledger is rebuilt.
 */
export class LedgerEntryReposts1763900000103 implements MigrationInterface {
  name = 'LedgerEntryReposts1763900000103';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries
      ADD COLUMN source_log_major bigint, ADD COLUMN source_log_minor bigint,
      ADD COLUMN reposted_from text, ADD COLUMN reposted_at timestamptz`);
    // PeriodClosed looks up the entries whose source event comes after its checkpoint: a few, near the head.
    await q.query(`CREATE INDEX ledger_entries_source_log_idx ON ledger_entries (source_log_major, source_log_minor)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ledger_entries_source_log_idx');
    await q.query(`ALTER TABLE ledger_entries
      DROP COLUMN reposted_at, DROP COLUMN reposted_from, DROP COLUMN source_log_minor, DROP COLUMN source_log_major`);
  }
}
