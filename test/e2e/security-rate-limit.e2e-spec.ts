/**
 * Per-client rate limiting (a token bucket per client; RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST)
 * through HTTP: a client's burst passes, the next request is 429 problem+json RATE_LIMITED with a
 * Retry-After, another client is unaffected, the bucket refills after the advertised time, health
 * and metrics are never limited, a forged token counts against the caller's address (so inventing
 * `sub`s gains nothing), and a limited command appends nothing. Here 1 request/s with bursts of 5.
 */
import { type Api, type Reply, TEST_SECRET, tokenFor } from '../support/http';
import { startTestSystem, type TestSystem } from '../support/test-system';

const PER_SECOND = 1;
const BURST = 5;

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem({}, { settings: { rateLimitPerSecond: PER_SECOND, rateLimitBurst: BURST } });
});

afterAll(async () => {
  await t?.close();
});

const client = (sub: string) => t.api.as(tokenFor({ sub, roles: ['compliance'] }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `request` until the first 429 (at most 50 times): how many passed, that 429, and how long it took. */
async function drain(request: () => Promise<Reply>): Promise<{ passed: number; limited: Reply; ms: number }> {
  const started = Date.now();
  for (let passed = 0; passed < 50; passed++) {
    const reply = await request();
    if (reply.status === 429) return { passed, limited: reply, ms: Date.now() - started };
  }
  throw new Error('never limited after 50 requests');
}

function expectLimited(reply: Reply): number {
  expect(reply.status).toBe(429);
  expect(reply.contentType).toContain('application/problem+json');
  expect(reply.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: 'Too Many Requests' });
  const retryAfter = Number(reply.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= Math.ceil(1 / PER_SECOND)).toBe(true);
  expect(reply.headers.get('x-content-type-options')).toBe('nosniff'); // security headers on a 429 too
  return retryAfter;
}

/** The burst, plus what the bucket refilled while the requests were being made (and one for rounding). */
const mostAllowed = (ms: number) => BURST + Math.ceil((ms / 1000) * PER_SECOND) + 1;

describe('a client over its limit', () => {
  let alice: Api;
  let retryAfter: number;

  it('given a fresh client, when it sends back to back, then its burst passes and the next is 429 with Retry-After', async () => {
    alice = client('rl-alice');
    const { passed, limited, ms } = await drain(() => alice.get('/api/v1/projections'));
    expect(passed).toBeGreaterThanOrEqual(BURST);
    expect(passed).toBeLessThanOrEqual(mostAllowed(ms));
    retryAfter = expectLimited(limited);
  });

  it('another client is unaffected', async () => {
    expect((await client('rl-bob').get('/api/v1/projections')).status).toBe(200);
  });

  it('health and metrics are never limited', async () => {
    await drain(() => alice.get('/api/v1/projections')); // empty now
    for (let i = 0; i < BURST * 2; i++) {
      expect((await alice.get('/health')).status).toBe(200);
      expect((await alice.get('/metrics')).status).toBe(200);
    }
    expect((await t.api.as(null).get('/health')).status).toBe(200);
  });

  it('a limited command is refused before anything runs: 429 and nothing appended', async () => {
    const before = await t.system.store.headPosition();
    const ops = t.api.as(tokenFor({ sub: 'rl-ops', roles: ['sales-ops'] }));
    await drain(() => ops.get('/api/v1/projections')); // sales-ops may not read projections: 403s count too
    const r = await ops.post('/api/v1/plans', {
      planId: 'P-rl',
      name: 'x',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 100,
      clawback: { windowDays: 1, percentBps: 1 },
    });
    expectLimited(r);
    expect(await t.system.store.headPosition()).toEqual(before);
  });

  it('after the advertised Retry-After, the client is served again', async () => {
    const { limited } = await drain(() => alice.get('/api/v1/projections')); // empty again now
    const wait = expectLimited(limited);
    expect(wait).toBe(retryAfter); // the same advice: 1 token at 1/s
    await sleep(wait * 1000);
    expect((await alice.get('/api/v1/projections')).status).toBe(200);
  });
});

describe('the client key', () => {
  it('without a valid token the client is its address: forged subs share one bucket, a valid token has its own', async () => {
    const anonymous = t.api.as(null);
    const { passed, limited, ms } = await drain(() => anonymous.get('/api/v1/projections')); // 401s, counted
    expect(passed).toBeGreaterThanOrEqual(BURST);
    expect(passed).toBeLessThanOrEqual(mostAllowed(ms));
    expectLimited(limited);
    for (let i = 0; i < 3; i++) {
      const forged = t.api.as(tokenFor({ sub: `forged-${i}`, roles: ['admin'] }, `${TEST_SECRET}-not`));
      expectLimited(await forged.get('/api/v1/projections'));
    }
    expect((await client('rl-carol').get('/api/v1/projections')).status).toBe(200);
  });
});
