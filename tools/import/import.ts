/**
 * `npm run import`: imports a JSON Lines file of API commands (history from an old system) into
 * the event store, each command through the API's own validation, controller, handler and pure
 * decider, written in large transactions (see importer.ts and the README's "Bulk import").
 *
 *   node dist/tools/import/import.js [--file F] [--dry-run] [--json] [--actor A]
 *
 * Exit code 0 when every line was accepted, 1 when some were refused (listed), 2 on a usage or
 * connection problem or when the import stopped (what was written before stays written).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { openCliContext, runCli } from '../cli/cli-context';
import { count, createProgress, formatDuration } from '../cli/progress';
import { importLines, type ImportSummary } from './importer';
import type { Refusal } from './parse-line';

const HELP = `Imports commands from a JSON Lines file, one API command request per line:

  {"method":"POST","path":"/orders","body":{"orderId":"O1","customerId":"C1",...}}

Every command goes through the API's validation, controller, handler and decider: the events are
those the API would append. Refused lines are listed (line, code) and write nothing; commands
already imported (same type, id and body) are skipped, so the import can be run again.

Usage: npm run import -- [options]      (or: node dist/tools/import/import.js [options])

  --file F       the file to import (default: standard input)
  --dry-run      run every command, write nothing
  --json         print the summary as JSON on standard output (progress goes to standard error)
  --actor A      metadata.actor of lines that name none (default system:import)
  --help         this text

Works on DATABASE_URL, else on the embedded PostgreSQL under DATA_DIR (default ./data), whether
npm start is running or not. Exit code: 0 all accepted, 1 some refused, 2 a usage or connection problem.`;

const PRINTED_REFUSALS = 50;

export function describeRefusal(r: Refusal): string {
  const fields = r.errors?.length ? ` (${r.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : '';
  return `line ${r.line}: ${r.type ?? '?'} → ${r.status} ${r.code}: ${r.detail}${fields}`;
}

export function summaryLines(s: ImportSummary): string[] {
  const rate = s.seconds > 0 ? Math.round(s.events / s.seconds) : 0;
  const lines = [
    `${s.dryRun ? 'Dry run: would have imported' : 'Imported'} ${count(s.lines)} lines in ${formatDuration(s.seconds * 1000)}: ` +
      `${count(s.appended)} commands appended ${count(s.events)} events (${count(rate)} events/s, ` +
      `${count(s.transactions)} transactions), ${count(s.repeated)} already imported, ${count(s.refused)} refused.`,
  ];
  const types = Object.entries(s.commands).sort(([a], [b]) => a.localeCompare(b));
  if (types.length > 0) lines.push(`  accepted: ${types.map(([t, n]) => `${t} ${count(n)}`).join(', ')}`);
  return lines;
}

/** The file's lines, or standard input's. */
function readLines(file: string | undefined): AsyncIterable<string> {
  return createInterface({ input: file ? createReadStream(file) : process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
}

function countLines(file: string): number {
  const text = readFileSync(file);
  let n = 0;
  for (let i = text.indexOf(10); i >= 0; i = text.indexOf(10, i + 1)) n++;
  return text.length > 0 && text[text.length - 1] !== 10 ? n + 1 : n;
}

async function main(): Promise<number> {
  let values: { file?: string; 'dry-run'?: boolean; json?: boolean; actor?: string; help?: boolean };
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: {
        file: { type: 'string', short: 'f' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        actor: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.actor !== undefined && !/^[^\s]{1,200}$/.test(values.actor)) {
    process.stderr.write('--actor must be 1-200 characters without spaces\n');
    return 2;
  }
  const total = values.file ? countLines(values.file) : 0; // also fails early on a missing file
  const json = values.json ?? false;
  const out = json ? process.stderr : process.stdout;

  const cli = await openCliContext();
  const pool = new Pool({ connectionString: cli.databaseUrl, max: 2, application_name: 'commissions-import' });
  pool.on('error', () => undefined);
  try {
    out.write(
      `${values['dry-run'] ? 'Dry run of the import of' : 'Importing'} ${values.file ?? 'standard input'} into ${cli.describe}\n`,
    );
    const progress = createProgress(out, 'lines');
    progress.startPhase('import', total);
    let done = 0;
    let printed = 0;
    let summary: ImportSummary;
    try {
      summary = await importLines(pool, readLines(values.file), {
        dryRun: values['dry-run'] ?? false,
        ...(values.actor !== undefined ? { actor: values.actor } : {}),
        onProgress: (lines) => {
          progress.advance(lines - done);
          done = lines;
        },
        onRefusal: (r) => {
          if (json) return;
          if (printed++ < PRINTED_REFUSALS) progress.log(describeRefusal(r));
          else if (printed === PRINTED_REFUSALS + 1) progress.log('… (more refusals: see the summary)');
        },
      });
      progress.endPhase();
    } finally {
      progress.stop();
    }
    if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else process.stdout.write(`${summaryLines(summary).join('\n')}\n`);
    return summary.refused > 0 ? 1 : 0;
  } finally {
    await pool.end();
    await cli.close();
  }
}

if (require.main === module) runCli(main);
