/**
 * The raw-PostgreSQL baselines each figure is compared with, run against the same server in the
 * same run: what the hardware gives without our code in the way.
 */
import { Client, Pool } from 'pg';
import { closedLoop, type LoadResult } from './measure';

/**
 * A minimal SQL projection: read the whole log in batches in global order, parse each event, add
 * each SaleBooked's credited amounts to one row per salesperson and month (an upsert per touched
 * row), and move a checkpoint, all in one transaction per batch. Answers the events read.
 */
export async function minimalSqlProjection(databaseUrl: string, batchSize = 5000): Promise<number> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-baseline-projection' });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_sales_by_month; DROP TABLE IF EXISTS bench_checkpoint`);
    await client.query(`CREATE TABLE bench_sales_by_month (salesperson_id text, period text, amount bigint NOT NULL,
                          PRIMARY KEY (salesperson_id, period))`);
    await client.query(
      `CREATE TABLE bench_checkpoint (name text PRIMARY KEY, major text NOT NULL, minor bigint NOT NULL)`,
    );
    await client.query(`INSERT INTO bench_checkpoint VALUES ('baseline', '0', -1)`);
    let major = '0';
    let minor = '-1';
    let read = 0;
    for (;;) {
      await client.query('BEGIN');
      const rows = await client.query<{
        transaction_id: string;
        global_position: string;
        event_type: string;
        data: string;
      }>(
        `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position, event_type, data::text AS data
           FROM es_events
          WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
            AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY es_events.transaction_id, es_events.global_position LIMIT $3`,
        [major, minor, batchSize],
      );
      if (rows.rows.length === 0) {
        await client.query('COMMIT');
        break;
      }
      const sums = new Map<string, number>();
      for (const row of rows.rows) {
        const data = JSON.parse(row.data) as {
          amount?: { amount: number };
          bookedAt?: string;
          salesCredits?: { salespersonId: string; splitBps: number }[];
        };
        if (row.event_type !== 'SaleBooked' || !data.amount || !data.salesCredits || !data.bookedAt) continue;
        for (const c of data.salesCredits) {
          const key = `${c.salespersonId}\u0000${data.bookedAt.slice(0, 7)}`;
          sums.set(key, (sums.get(key) ?? 0) + Math.round((data.amount.amount * c.splitBps) / 10_000));
        }
      }
      if (sums.size > 0) {
        const keys = [...sums.keys()].map((k) => k.split('\u0000'));
        await client.query(
          `INSERT INTO bench_sales_by_month (salesperson_id, period, amount)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
           ON CONFLICT (salesperson_id, period) DO UPDATE SET amount = bench_sales_by_month.amount + excluded.amount`,
          [keys.map((k) => k[0]), keys.map((k) => k[1]), [...sums.values()]],
        );
      }
      const last = rows.rows[rows.rows.length - 1]!;
      major = last.transaction_id;
      minor = last.global_position;
      await client.query(`UPDATE bench_checkpoint SET major = $1, minor = $2 WHERE name = 'baseline'`, [major, minor]);
      await client.query('COMMIT');
      read += rows.rows.length;
    }
    return read;
  } finally {
    await client.query(`DROP TABLE IF EXISTS bench_sales_by_month; DROP TABLE IF EXISTS bench_checkpoint`);
    await client.end();
  }
}

/** Single-row INSERT transactions (autocommit) of an event-sized row, `clients` connections in parallel. */
export async function singleRowInserts(databaseUrl: string, clients: number, seconds: number): Promise<LoadResult> {
  const pool = new Pool({ connectionString: databaseUrl, max: clients, application_name: 'bench-baseline-insert' });
  try {
    await pool.query(`DROP TABLE IF EXISTS bench_inserts`);
    await pool.query(
      `CREATE TABLE bench_inserts (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)`,
    );
    const payload = JSON.stringify({
      orderId: 'O1',
      customerId: 'C00001',
      amount: { amount: 500000, currency: 'USD' },
      bookedAt: '2026-01-10T10:00:00.000Z',
      salesCredits: [{ salespersonId: 'S0002', splitBps: 10000 }],
    });
    const conns = await Promise.all(Array.from({ length: clients }, () => pool.connect()));
    try {
      return await closedLoop(clients, seconds, async (client, n) => {
        await conns[client]!.query('INSERT INTO bench_inserts (stream_id, data) VALUES ($1, $2)', [
          `order-B${client}-${n}`,
          payload,
        ]);
      });
    } finally {
      for (const c of conns) c.release();
    }
  } finally {
    await pool.query(`DROP TABLE IF EXISTS bench_inserts`);
    await pool.end();
  }
}
