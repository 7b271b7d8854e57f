/**
 * The import benchmark: `npm run import` (tools/import) of about N events' worth of API commands
 * into an EMPTY event store, against PostgreSQL's own bulk path as the baseline: COPY FROM STDIN
 * of the same rows (same columns, same values, hashes included) into a scratch table made LIKE
 * es_events with its defaults, constraints and indexes (not its append-only triggers). The ratio
 * says how close to the database's raw loading speed the import gets while running every command
 * through the API's validation, controller, handler and decider.
 *
 * Self-contained: it creates the database `bench_import` on the server of `databaseUrl`, migrates
 * it, and drops it at the end; the commands (the demo company of tools/seed-demo, scaled by its
 * number of orders) are written as JSON Lines to a temporary directory, removed at the end.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Client, Pool } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { APP_SCHEMA } from '../../libs/bootstrap/src/schema';
import { migrate } from '../../libs/platform/src/database/data-source';
import { demoCommands, ordersForEvents, toImportLine } from '../import/demo-commands';
import { importLines } from '../import/importer';
import { figure, type Figure } from './figure';

/** The URL of database `name` on the server of `url`. */
export function databaseUrlFor(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates database `name` (dropped first if a failed run left it), runs `work` on it, drops it. */
export async function withScratchDatabase<T>(
  url: string,
  name: string,
  work: (url: string) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${name} is not a plain database name`);
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const scratch = databaseUrlFor(url, name);
  try {
    if (options.migrate !== false) await migrate(scratch, APP_SCHEMA);
    return await work(scratch);
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const COLUMNS =
  'event_id, stream_id, stream_revision, event_type, schema_version, data, metadata, occurred_at, hash, prev_hash';

/** Writes the demo company's commands for about `events` events; answers the number of lines. */
async function writeCommands(file: string, events: number, seed: number): Promise<number> {
  const out = createWriteStream(file);
  let n = 0;
  for (const command of demoCommands({ seed, orders: ordersForEvents(events) })) {
    n++;
    if (!out.write(`${toImportLine(command)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

export async function importBenchmark(databaseUrl: string, opts: { events: number; seed: number }): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'commissions-import-bench-'));
  try {
    const file = join(dir, 'commands.jsonl');
    const lines = await writeCommands(file, opts.events, opts.seed);
    return await withScratchDatabase(databaseUrl, 'bench_import', async (url) => {
      const pool = new Pool({ connectionString: url, max: 2, application_name: 'bench-import' });
      try {
        const empty = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events');
        if (empty.rows[0]!.n !== '0') throw new Error('bench_import is not empty');
        const summary = await importLines(
          pool,
          createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY }),
          { actor: 'system:bench' },
        );
        if (summary.refused > 0) {
          throw new Error(
            `the import refused ${summary.refused} of the generated commands, e.g. ${JSON.stringify(summary.refusals[0])}`,
          );
        }

        // The baseline: the same rows, COPY'd out to a file, then timed COPY'd into a copy of es_events.
        const rows = join(dir, 'events.copy');
        const client = await pool.connect();
        let copied: { rows: number; seconds: number };
        try {
          await pipeline(
            client.query(copyTo(`COPY (SELECT ${COLUMNS} FROM es_events ORDER BY global_position) TO STDOUT`)),
            createWriteStream(rows),
          );
          await client.query(
            'CREATE TABLE bench_copy (LIKE es_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)',
          );
          const started = performance.now();
          const copy = client.query(copyFrom(`COPY bench_copy (${COLUMNS}) FROM STDIN`));
          await pipeline(createReadStream(rows), copy);
          copied = { rows: copy.rowCount, seconds: (performance.now() - started) / 1000 };
          await client.query('DROP TABLE bench_copy');
        } finally {
          client.release();
        }

        const importRate = summary.events / summary.seconds;
        const copyRate = copied.rows / copied.seconds;
        const what = `${summary.events.toLocaleString('en-US')} events from ${lines.toLocaleString('en-US')} commands`;
        return [
          figure(
            'import',
            importRate,
            'events/s',
            copyRate,
            `npm run import of ${what} (demo company, seed ${opts.seed}) into an empty store: ` +
              `${summary.transactions} transactions, ${summary.seconds.toFixed(1)} s; baseline: COPY FROM STDIN of the ` +
              `same rows into a table LIKE es_events (defaults, constraints, indexes, no triggers)`,
          ),
          figure(
            'import commands',
            lines / summary.seconds,
            'commands/s',
            null,
            `${what} (${(summary.events / lines).toFixed(2)} events per command)`,
          ),
          figure(
            'import COPY baseline',
            copyRate,
            'rows/s',
            null,
            `${copied.rows.toLocaleString('en-US')} rows in ${copied.seconds.toFixed(2)} s`,
          ),
        ];
      } finally {
        await pool.end();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
