import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each order's running totals over all its milestones (OrderTotals), so that aging, the dashboard
 * and the track-to-cash list read one row per order instead of folding its milestones, whenever
 * the row is exact at the asked time (asOf ≥ max_at and knownAt ≥ max_recorded_at). The order's
 * sales credits are repeated as two arrays, so sums of credited shares need no join.
 * Backfilled from the milestones already projected (the same arithmetic as addMilestone).
 */
export class TrackToCashOrderTotals1763900000201 implements MigrationInterface {
  name = 'TrackToCashOrderTotals1763900000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ttc_order_totals (
      order_id text PRIMARY KEY, customer_id text NOT NULL, currency text NOT NULL, booked_at timestamptz NOT NULL,
      business_unit text, credit_salespeople text[] NOT NULL, credit_splits integer[] NOT NULL, net bigint NOT NULL, paid_net bigint NOT NULL, written_off bigint NOT NULL,
      invoiced bigint NOT NULL, receivable bigint NOT NULL, due_date date NOT NULL,
      max_at timestamptz NOT NULL, max_recorded_at timestamptz NOT NULL)`);
    await q.query(`INSERT INTO ttc_order_totals
      SELECT o.order_id, o.customer_id, o.currency, o.booked_at, o.business_unit,
             ARRAY(SELECT c->>'salespersonId' FROM jsonb_array_elements(o.sales_credits) WITH ORDINALITY AS x(c, n) ORDER BY n),
             ARRAY(SELECT (c->>'splitBps')::int FROM jsonb_array_elements(o.sales_credits) WITH ORDINALITY AS x(c, n) ORDER BY n),
             t.net, t.paid_net, t.written_off,
             t.invoiced, greatest(0, t.net - t.paid_net - t.written_off), coalesce(t.last_due, o.default_due_date),
             greatest(o.booked_at, t.max_at), t.max_recorded_at
        FROM ttc_orders o
        JOIN LATERAL (
          SELECT coalesce(sum(m.amount) FILTER (WHERE m.type = 'BOOKED'), 0)
                   - coalesce(sum(m.amount) FILTER (WHERE m.type IN ('CANCELLATION', 'RETURN')), 0) AS net,
                 coalesce(sum(m.amount) FILTER (WHERE m.type = 'PAYMENT'), 0)
                   - coalesce(sum(m.refund_part) FILTER (WHERE m.type IN ('CANCELLATION', 'RETURN')), 0) AS paid_net,
                 coalesce(sum(m.amount) FILTER (WHERE m.type = 'WRITE_OFF'), 0) AS written_off,
                 coalesce(sum(m.amount) FILTER (WHERE m.type = 'INVOICED'), 0) AS invoiced,
                 (array_agg(m.due_date ORDER BY m.seq DESC)
                    FILTER (WHERE m.type = 'INVOICED' AND m.due_date IS NOT NULL))[1] AS last_due,
                 max(m.at) AS max_at, max(m.recorded_at) AS max_recorded_at
            FROM ttc_milestones m WHERE m.order_id = o.order_id
        ) t ON t.max_recorded_at IS NOT NULL`);
    // Orders whose totals are not exact at an asOf (or knownAt): the few read milestone by milestone.
    await q.query(`CREATE INDEX ttc_order_totals_max_at_idx ON ttc_order_totals (max_at)`);
    await q.query(`CREATE INDEX ttc_order_totals_max_recorded_at_idx ON ttc_order_totals (max_recorded_at)`);
    // Open receivables (aging, dashboard), and the list's pages of unpaid orders in id order.
    await q.query(`CREATE INDEX ttc_order_totals_open_idx ON ttc_order_totals (order_id)
      INCLUDE (max_at, max_recorded_at, receivable, net, due_date, currency, customer_id, business_unit,
               credit_salespeople, credit_splits)
      WHERE receivable > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE ttc_order_totals');
  }
}
