/**
 * `npm run seed:demo`: creates a believable company through the public command API of a running
 * server (`npm start` in another terminal), so that a newcomer sees a living system at once.
 *
 *   node dist/tools/seed-demo/seed-demo.js [--url URL] [--token JWT] [--seed 42] [--orders 20000] [--concurrency 8]
 *
 * Deterministic (same seed and order count, same commands, same ids) and therefore idempotent:
 * running it again appends nothing. Exit code 0 when every command was accepted, 1 when a command
 * was refused (a bug in the generator: each refusal is printed) or failed, 2 on a usage or
 * connection problem.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signHs256 } from '../../libs/platform/src/auth/jwt';
import { ApiClient, CommandSender, describeRefusal, ServerGoneError } from './command-sender';
import {
  buildDemoCompany,
  type CommandType,
  COMMAND_TYPES,
  type DemoCompany,
  DEFAULT_ORDERS,
  DEFAULT_SEED,
  FIRST_DAY,
  LAST_DAY,
  type Phase,
  type SeedCommand,
} from './demo-company';
import { count, createProgress, formatDuration } from '../cli/progress';

const HELP = `Seeds a demo company into a running server through its HTTP command API.

Usage: npm run seed:demo -- [options]      (or: node dist/tools/seed-demo/seed-demo.js [options])

  --url URL           the server (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --token JWT         an admin bearer token (default: $SEED_TOKEN; else one is signed with
                      $AUTH_JWT_SECRET, else with the local secret in $DATA_DIR/auth-secret,
                      DATA_DIR defaulting to ./data, as \`npm start\` keeps it)
  --seed N            the random seed (default ${DEFAULT_SEED}): same seed, same company
  --orders N          how many orders (default ${count(DEFAULT_ORDERS)}), booked from ${FIRST_DAY.slice(0, 7)} to ${LAST_DAY.slice(0, 7)}
  --concurrency N     commands in flight (default 8; one order's commands are always sent in turn)
  --help              this text

Running it again with the same --seed and --orders appends nothing (every command has its own id).
Other values against the same database conflict with the first seed (409 IDEMPOTENCY_CONFLICT):
use a fresh DATA_DIR for them.`;

class UsageError extends Error {}

interface Options {
  readonly url: string;
  readonly token: string | null;
  readonly seed: number;
  readonly orders: number;
  readonly concurrency: number;
}

function integer(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

function parseOptions(argv: string[], env: NodeJS.ProcessEnv): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      seed: { type: 'string' },
      orders: { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  const port = env.PORT === undefined || env.PORT === '' ? '3000' : env.PORT;
  const url = (values.url ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  return {
    url,
    token: values.token ?? (env.SEED_TOKEN ? env.SEED_TOKEN : null),
    seed: integer(values.seed, 'seed', DEFAULT_SEED, 0),
    orders: integer(values.orders, 'orders', DEFAULT_ORDERS, 0),
    concurrency: integer(values.concurrency, 'concurrency', 8, 1),
  };
}

/** The token given, or an admin token signed with the secret the local server uses. */
function resolveToken(given: string | null, env: NodeJS.ProcessEnv): { token: string; minted: string | null } {
  if (given) return { token: given, minted: null };
  let secret: string;
  let source: string;
  if (env.AUTH_JWT_SECRET) {
    secret = env.AUTH_JWT_SECRET;
    source = 'AUTH_JWT_SECRET';
  } else {
    const file = join(resolve(env.DATA_DIR ? env.DATA_DIR : './data'), 'auth-secret');
    try {
      secret = readFileSync(file, 'utf8').trim();
    } catch {
      throw new UsageError(
        `No token: pass --token or set SEED_TOKEN, or run this where \`npm start\` keeps its local secret ` +
          `(${file} was not found; set DATA_DIR if the server uses another directory).`,
      );
    }
    source = file;
  }
  const now = Math.floor(Date.now() / 1000);
  const token = signHs256({ sub: 'seed-demo', roles: ['admin'], iat: now, exp: now + 12 * 3600 }, secret);
  return { token, minted: source };
}

async function checkServer(client: ApiClient): Promise<void> {
  let reply;
  try {
    reply = await client.request('GET', '/health', undefined, 5000);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UsageError(
      `No server answers at ${client.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}).\n` +
        `Start it in another terminal with \`npm start\` (or pass --url), then run \`npm run seed:demo\` again.`,
    );
  }
  if (reply.status !== 200) {
    throw new UsageError(
      `The server at ${client.baseUrl} is not ready: GET /health answered ${reply.status} ${JSON.stringify(reply.body)}`,
    );
  }
}

interface ProjectionStatus {
  readonly name: string;
  readonly lag: number | null;
  readonly headPosition: string | null;
  readonly position: string | null;
  readonly lastError: string | null;
}

async function projections(client: ApiClient): Promise<ProjectionStatus[]> {
  const reply = await client.request('GET', '/api/v1/projections');
  if (reply.status === 401 || reply.status === 403) {
    const detail = (reply.body as { detail?: string } | null)?.detail ?? '';
    throw new UsageError(
      `The server refused the token (${reply.status} ${detail}). Pass an admin token with --token (or SEED_TOKEN), ` +
        'or run from the directory whose DATA_DIR the server uses.',
    );
  }
  if (reply.status !== 200) throw new Error(`GET /api/v1/projections answered ${reply.status}`);
  return (reply.body as { items: ProjectionStatus[] }).items;
}

function headOf(items: readonly ProjectionStatus[]): bigint {
  return items.reduce((max, p) => {
    const head = p.headPosition !== null ? BigInt(p.headPosition) : 0n;
    return head > max ? head : max;
  }, 0n);
}

/** Polls the projections until each has applied everything (or the time is up). */
async function waitForReadModels(client: ApiClient, out: (line: string) => void, timeoutMs = 300_000): Promise<void> {
  const t0 = Date.now();
  let last = '';
  for (;;) {
    const items = await projections(client);
    const behind = items.filter((p) => p.lag === null || p.lag > 0);
    if (behind.length === 0) {
      out(`Read models are up to date (${formatDuration(Date.now() - t0)}).`);
      return;
    }
    const failing = items.filter((p) => p.lastError);
    if (failing.length > 0) {
      out(`Projection errors: ${failing.map((p) => `${p.name}: ${p.lastError}`).join('; ')}`);
      return;
    }
    if (Date.now() - t0 > timeoutMs) {
      out(
        `The read models are still catching up after ${formatDuration(timeoutMs)}: ${behind.map((p) => `${p.name} (${count(p.lag ?? 0)} behind)`).join(', ')}`,
      );
      return;
    }
    const status = behind.map((p) => `${p.name} ${count(p.lag ?? 0)}`).join(', ');
    if (status !== last && Date.now() - t0 > 2000) {
      out(`Waiting for the read models: ${status} events behind`);
      last = status;
    }
    await new Promise((r) => setTimeout(r, Date.now() - t0 > 2000 ? 2000 : 250));
  }
}

function describe(company: DemoCompany): string {
  const reps = company.people.filter((p) => p.managerId !== null);
  const leavers = reps.filter((p) => p.terminatedOn !== null);
  const c = company.counts;
  return (
    `Demo company (seed ${company.options.seed}): ${company.teams.length} teams, ${company.teams.length} managers and ` +
    `${reps.length} salespeople (${leavers.length} leave during the story), ${company.plans.length} plans, ` +
    `${company.customers.length} customers and ${company.distributors.length} distributors, ` +
    `${count(c.BookSale)} orders booked ${FIRST_DAY} to ${LAST_DAY} ` +
    `→ ${count(company.commandCount)} commands`
  );
}

const COMMAND_ORDER: readonly CommandType[] = COMMAND_TYPES;

/**
 * The due scan refuses an asOf in the future: while the story's end is still ahead of the clock,
 * it scans as of now (each task falls due once, so a later run adds only what fell due since).
 */
function scanUntilNow(phase: Phase, now: Date): Phase {
  const cap = (c: SeedCommand): SeedCommand =>
    c.type === 'RunDueScan' && typeof c.body.asOf === 'string' && Date.parse(c.body.asOf) > now.getTime()
      ? { ...c, body: { ...c.body, asOf: now.toISOString() } }
      : c;
  return { ...phase, steps: phase.steps.map((step) => step.map((chain) => chain.map(cap))) };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let options: Options | null;
  try {
    options = parseOptions(argv, env);
  } catch (error) {
    process.stderr.write(`seed-demo: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (!options) {
    out(HELP);
    return 0;
  }

  const company = buildDemoCompany({ seed: options.seed, orders: options.orders });
  out(describe(company));

  let client = new ApiClient(options.url, null);
  let minted: string | null;
  let token: string;
  let headBefore: bigint;
  try {
    await checkServer(client);
    ({ token, minted } = resolveToken(options.token, env));
    client = new ApiClient(options.url, token);
    headBefore = headOf(await projections(client));
  } catch (error) {
    process.stderr.write(`seed-demo: ${(error as Error).message}\n`);
    return 2;
  }
  out(
    `Sending to ${options.url} as ${minted ? `an admin token signed with ${minted}` : 'the given token'}, ` +
      `${options.concurrency} in flight.`,
  );

  const progress = createProgress();
  const sender = new CommandSender(client, options.concurrency, progress);
  const t0 = Date.now();
  let fatal: Error | null = null;
  try {
    for (const phase of company.phases) {
      // Closing records statements from the ledger, and the due scan reads the collection tasks:
      // let the read models apply everything sent so far first.
      if (phase.name === 'period close' || phase.name === 'due scan')
        await waitForReadModels(client, (line) => progress.log(line));
      await sender.runPhase(phase.name === 'due scan' ? scanUntilNow(phase, new Date()) : phase);
      const { refusals, failures } = sender.stats;
      if (phase.name === 'reference data' && refusals.length + failures.length > 0) {
        progress.log('Reference data was refused: the orders would be refused too, stopping here.');
        break;
      }
    }
  } catch (error) {
    fatal = error as Error;
  } finally {
    progress.stop();
  }
  const elapsedMs = Date.now() - t0;
  const stats = sender.stats;
  const sent = Object.values(stats.accepted).reduce((a, b) => a + b, 0) + stats.refusals.length + stats.failures.length;

  out('');
  out(
    `Sent ${count(sent)} commands in ${formatDuration(elapsedMs)} ` +
      `(${count(Math.round(sent / Math.max(elapsedMs / 1000, 0.001)))} commands/s); accepted, by type:`,
  );
  const width = Math.max(...COMMAND_ORDER.map((t) => t.length)) + 2;
  for (const type of COMMAND_ORDER) {
    if (company.counts[type] === 0) continue;
    const accepted = stats.accepted[type] ?? 0;
    const refused = stats.refusals.filter((r) => r.command.type === type).length;
    out(`  ${type.padEnd(width)}${count(accepted).padStart(8)}${refused > 0 ? `   (${refused} refused)` : ''}`);
  }
  out(`Refused: ${stats.refusals.length}`);
  if (stats.failures.length > 0)
    out(`Failed (still 5xx, 429 or 409 CONCURRENCY_CONFLICT after retries): ${stats.failures.length}`);
  if (stats.skipped > 0) out(`Skipped (after a refused or failed command of their chain): ${stats.skipped}`);
  if (stats.retries > 0) out(`Retried (transient answers): ${stats.retries}`);
  if (fatal) {
    process.stderr.write(`seed-demo: ${fatal instanceof ServerGoneError ? fatal.message : fatal.stack}\n`);
    return 1;
  }
  for (const r of [...stats.refusals, ...stats.failures].slice(0, 3)) out(`  e.g. ${describeRefusal(r)}`);
  if (stats.refusals.some((r) => (r.body as { code?: string } | null)?.code === 'IDEMPOTENCY_CONFLICT')) {
    out(
      'IDEMPOTENCY_CONFLICT: this database already holds a demo seeded with another --seed or --orders. ' +
        'Use a fresh DATA_DIR (or the same options as the first time).',
    );
  }

  let headAfter = headBefore;
  try {
    headAfter = headOf(await projections(client));
    const appended = headAfter - headBefore;
    out(
      `Event store head position ${count(headBefore)} → ${count(headAfter)}: ` +
        (appended === 0n ? 'nothing appended (all of it was already there).' : 'new events appended.'),
    );
    await waitForReadModels(client, out);
  } catch (error) {
    out(`Could not read the projections' state: ${(error as Error).message}`);
  }

  const { salespersonId, period, teamId } = company.highlight;
  const api = `${options.url}/api/v1`;
  out('');
  out('Where to look:');
  if (minted) out(`  export TOKEN=${token}   # admin, valid 12 h (or use the one npm start printed)`);
  out(`  ${options.url}/docs                     Swagger UI: Authorize with the token, then try any query`);
  out(`  curl -sH "Authorization: Bearer $TOKEN" '${api}/salespeople/${salespersonId}/ledger?period=${period}'`);
  out(`  curl -sH "Authorization: Bearer $TOKEN" '${api}/dashboard?period=${period}&groupBy=team'`);
  out(
    `  curl -sH "Authorization: Bearer $TOKEN" '${api}/dashboard?period=${period}&groupBy=salesperson'   # team ${teamId} and the others`,
  );
  out(
    `  curl -sH "Authorization: Bearer $TOKEN" '${api}/track-to-cash?status=OVERDUE&asOf=${LAST_DAY}T23:59:59Z&limit=10'`,
  );
  out(`  curl -sH "Authorization: Bearer $TOKEN" '${api}/aging?groupBy=team&asOf=${LAST_DAY}T23:59:59Z'`);
  out(`  curl -sH "Authorization: Bearer $TOKEN" '${api}/clawbacks?salespersonId=${salespersonId}'`);
  if (company.accelerated) {
    const { salespersonId: accelerated, period: above } = company.accelerated;
    out(
      `  curl -sH "Authorization: Bearer $TOKEN" '${api}/salespeople/${accelerated}/ledger?period=${above}'   # above quota: the accelerator's tiers, holdbacks`,
    );
  }
  out(
    `  curl -sH "Authorization: Bearer $TOKEN" '${api}/dashboard?period=2026-10&groupBy=businessUnit'   # sell-in apart, secondary sales`,
  );
  return stats.refusals.length + stats.failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`seed-demo: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
