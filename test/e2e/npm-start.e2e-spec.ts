/**
 * The embedded default, as a newcomer runs it: the all-in-one app with no settings but PORT and
 * DATA_DIR starts an embedded PostgreSQL, serves /health within 60 s, computes example 1, and
 * keeps everything across a restart.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, givenReferenceData } from '../support/http';
import { freePort, startApp, type Started, waitForHealthy } from '../support/processes';

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

async function start(port: number): Promise<Api> {
  const env: Record<string, string> = {
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    EVENTSTORE_CONNECTION_STRING: '',
  };
  running = startApp('all-in-one', env);
  const ms = await waitForHealthy(`http://127.0.0.1:${port}`, running, 60_000);
  expect(ms).toBeLessThan(60_000);
  return new Api(`http://127.0.0.1:${port}`);
}

async function stop(): Promise<void> {
  running!.child.kill('SIGTERM');
  const { code } = await running!.exited;
  expect(code).toBe(0);
}

it('starts with an embedded PostgreSQL, computes example 1 and keeps it across a restart', async () => {
  const port = await freePort();
  let api = await start(port);
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

  api = await start(port);
  const after = await api.get('/api/v1/salespeople/alice/ledger?period=2026-01');
  expect(after.body).toEqual(before.body);
  await stop();
});
