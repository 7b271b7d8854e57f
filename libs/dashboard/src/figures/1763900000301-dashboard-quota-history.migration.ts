import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every quota as recorded, so the dashboard at a knownAt uses the quota known then. */
export class DashboardQuotaHistory1763900000301 implements MigrationInterface {
  name = 'DashboardQuotaHistory1763900000301';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE dash_quota_history (
      salesperson_id text NOT NULL, year integer NOT NULL, currency text NOT NULL, monthly_targets jsonb NOT NULL,
      recorded_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX dash_quota_history_idx ON dash_quota_history (year, salesperson_id, recorded_at)`);
    // Quotas projected before this table existed: known since they were (the best we have).
    await q.query(`INSERT INTO dash_quota_history (salesperson_id, year, currency, monthly_targets, recorded_at)
      SELECT q.salesperson_id, q.year, q.currency, q.monthly_targets, coalesce(
        (SELECT max(e.recorded_at) FROM es_events e WHERE e.event_type = 'QuotaSet'
            AND e.data->>'salespersonId' = q.salesperson_id AND (e.data->>'year')::int = q.year), now())
        FROM dash_quotas q`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dash_quota_history');
  }
}
