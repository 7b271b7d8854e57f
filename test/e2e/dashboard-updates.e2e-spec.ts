/**
 * GET /api/v1/dashboard/updates: the stream that tells a dashboard something changed (issue 6,
 * item 4). Any signed-in role may open it; it carries positions only, never an event's content.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DashboardUpdatesService } from '../../libs/dashboard/src/live-updates/dashboard-updates.service';
import { givenReferenceData, tokenFor } from '../support/http';
import { ROOT } from '../support/processes';
import { startTestSystem, type TestSystem } from '../support/test-system';

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
  await givenReferenceData(t.api);
});
afterAll(async () => {
  await t?.close();
});

/** Reads SSE frames from a fetch body until `predicate` holds for one, or the time is up. */
async function frameWhere(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (frame: Map<string, string>) => boolean,
  timeoutMs: number,
): Promise<Map<string, string>> {
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
      }
      if (predicate(fields)) return fields;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('no matching frame in time');
    let timer: NodeJS.Timeout | undefined;
    const chunk = await Promise.race([
      reader.read(),
      new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left))),
    ]);
    clearTimeout(timer);
    if (chunk === null) continue;
    if (chunk.done) throw new Error('stream ended');
    buffer += decoder.decode(chunk.value, { stream: true });
  }
}

it('tells a rep within a second that something was recorded, with the position only', async () => {
  const abort = new AbortController();
  const response = await fetch(`${t.system.url}/api/v1/dashboard/updates`, {
    headers: { authorization: `Bearer ${tokenFor({ roles: ['rep'], salespersonId: 'alice' })}` },
    signal: abort.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body!.getReader();
  const updates = t.system.app!.get(DashboardUpdatesService);
  for (let i = 0; i < 100 && updates.size === 0; i++) await new Promise((r) => setTimeout(r, 10));

  const started = Date.now();
  const position = await t.ok(
    t.api.post('/api/v1/orders', {
      orderId: 'LIVE1',
      customerId: 'C1',
      amount: { amount: 50_000, currency: 'USD' },
      bookedAt: '2026-01-15T00:00:00Z',
    }),
  );
  const frame = await frameWhere(
    reader,
    (f) =>
      f.get('event') === 'position' && BigInt(JSON.parse(f.get('data') ?? '{}').position ?? '0') >= BigInt(position),
    1000,
  );
  expect(Date.now() - started).toBeLessThan(1000);
  expect(JSON.parse(frame.get('data')!)).toEqual({ position: expect.stringMatching(/^\d+$/) });
  abort.abort();
  for (let i = 0; i < 100 && updates.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(updates.size).toBe(0);
});

it('needs a signed-in caller', async () => {
  const response = await fetch(`${t.system.url}/api/v1/dashboard/updates`);
  expect(response.status).toBe(401);
  await response.body?.cancel();
});

it('serves the built dashboard at / without a token', async () => {
  if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('dist/web is missing: run `npm run build` first (npm run test:e2e does)');
  }
  const page = await fetch(`${t.system.url}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(await page.text()).toContain('<html');
  // The API keeps its own answers: an unknown API route is still a problem+json 404.
  const unknown = await fetch(`${t.system.url}/api/v1/nope`);
  expect(unknown.status).toBe(404);
  expect(unknown.headers.get('content-type')).toContain('application/problem+json');
});
