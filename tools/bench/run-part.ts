/**
 * Runs one part of the benchmark alone and prints its figures (JSON on the last line):
 *
 *   node dist/tools/bench/run-part.js import [--events N] [--seed S]
 *   node dist/tools/bench/run-part.js peer [--seconds S] [--clients C]
 *
 * On DATABASE_URL's server, else on an embedded PostgreSQL started in a temporary directory (and
 * removed at the end). Each part makes and drops its own scratch databases.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readSettings } from '../../libs/platform/src/config/settings';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../../libs/platform/src/database/embedded-postgres';
import { runCli } from '../cli/cli-context';
import { count } from '../cli/progress';
import type { Figure } from './figure';
import { importBenchmark } from './import-bench';
import { peerBenchmark } from './peer';

const USAGE = `usage: node dist/tools/bench/run-part.js import|peer [options]
  import   --events N (default 100000)  --seed S (default 42)
  peer     --seconds S (default 10)     --clients C (default 8)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: {
      events: { type: 'string' },
      seed: { type: 'string' },
      seconds: { type: 'string' },
      clients: { type: 'string' },
      help: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  const part = positionals[0];
  const number = (text: string | undefined, fallback: number) => {
    const n = Number(text ?? fallback);
    if (!Number.isFinite(n) || n <= 0) throw new Error(USAGE);
    return n;
  };
  if (values.help || (part !== 'import' && part !== 'peer')) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  let databaseUrl = readSettings(process.env).databaseUrl;
  let embedded: EmbeddedDatabase | null = null;
  let dataDir: string | null = null;
  try {
    if (!databaseUrl) {
      dataDir = mkdtempSync(join(tmpdir(), 'commissions-bench-part-'));
      chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as another user that must reach its directory
      process.stdout.write(`Starting an embedded PostgreSQL under ${dataDir}\n`);
      embedded = await startEmbeddedPostgres(dataDir);
      // The superuser: the bench creates scratch databases (import, peer) and loads the log
      // directly; the app role's grants (ADR 0009) cost nothing per statement.
      databaseUrl = embedded.superuserUrl;
    }
    const figures: Figure[] =
      part === 'import'
        ? await importBenchmark(databaseUrl, {
            events: number(values.events, 100_000),
            seed: number(values.seed, 42),
          })
        : await peerBenchmark(databaseUrl, {
            seconds: number(values.seconds, 10),
            clients: number(values.clients, 8),
          });
    for (const f of figures) {
      const vs = f.baseline === null ? '' : ` (baseline ${count(f.baseline)}, ratio ${f.ratio})`;
      process.stdout.write(`  = ${f.name}: ${count(f.value)} ${f.unit}${vs}${f.note ? `\n      ${f.note}` : ''}\n`);
    }
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return 0;
  } finally {
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) runCli(main);
