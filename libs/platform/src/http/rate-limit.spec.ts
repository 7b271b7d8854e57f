import type { Request } from 'express';
import { signHs256, JwtVerifier } from '../auth/jwt';
import { clientKey, rateLimitMiddleware, TokenBuckets } from './rate-limit';

describe('TokenBuckets (a token bucket per client)', () => {
  let nowMs = 1_000_000;
  const clock = () => nowMs;

  it('given a burst of 3 at 1/s, when a client makes 4 requests at once, then the 4th waits 1 s', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 3, now: clock });
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const buckets = new TokenBuckets({ perSecond: 2, burst: 2, now: clock });
    buckets.take('a');
    buckets.take('a');
    expect(buckets.take('a').allowed).toBe(false);
    nowMs += 500; // one token back
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    nowMs += 3_600_000; // an hour idle: still only 2
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')].map((x) => x.allowed)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('Retry-After is the whole seconds until the next token (slow rates wait longer)', () => {
    const buckets = new TokenBuckets({ perSecond: 0.25, burst: 1, now: clock });
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    nowMs += 4000;
    expect(buckets.take('a').allowed).toBe(true);
  });

  it('another client has its own bucket', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1, now: clock });
    expect(buckets.take('a').allowed).toBe(true);
    expect(buckets.take('a').allowed).toBe(false);
    expect(buckets.take('b').allowed).toBe(true);
  });

  it('remembers at most maxClients, forgetting the least recently seen', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1, now: clock, maxClients: 2 });
    buckets.take('a');
    buckets.take('b');
    buckets.take('a'); // a is now the most recent
    buckets.take('c'); // forgets b
    expect(buckets.size).toBe(2);
    expect(buckets.take('a').allowed).toBe(false); // a still remembered, still empty
    expect(buckets.take('b').allowed).toBe(true); // b was forgotten: a full bucket again
  });

  it('forgets refilled buckets once a minute', () => {
    const buckets = new TokenBuckets({ perSecond: 10, burst: 10, now: clock });
    for (let i = 0; i < 50; i++) buckets.take(`client-${i}`);
    expect(buckets.size).toBe(50);
    nowMs += 61_000;
    buckets.take('z');
    expect(buckets.size).toBe(1);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new TokenBuckets({ perSecond: 0, burst: 1 })).toThrow();
    expect(() => new TokenBuckets({ perSecond: 1, burst: 0 })).toThrow();
  });
});

describe('clientKey', () => {
  const secret = 'unit-test-secret-unit-test-secret-0123';
  const verifier = new JwtVerifier({ hs256Secret: secret, jwksUrl: null });
  const request = (authorization?: string) =>
    ({
      header: (name: string) => (name === 'authorization' ? authorization : undefined),
      socket: { remoteAddress: '10.1.2.3' },
    }) as unknown as Request;

  it('is the sub of a valid token', async () => {
    const token = signHs256({ sub: 'alice', roles: ['rep'] }, secret);
    expect(await clientKey(request(`Bearer ${token}`), verifier)).toBe('sub:alice');
  });

  it.each([
    ['no token', undefined],
    ['a forged token (another secret)', `Bearer ${signHs256({ sub: 'mallory-1', roles: [] }, 'another-secret')}`],
    ['an expired token', `Bearer ${signHs256({ sub: 'alice', roles: [], exp: 1 }, secret)}`],
    ['garbage', 'Bearer x.y.z'],
  ])('is the remote address with %s', async (_name, authorization) => {
    expect(await clientKey(request(authorization), verifier)).toBe('ip:10.1.2.3');
  });
});

describe('rateLimitMiddleware', () => {
  it('is off (null) at 0 per second', () => {
    expect(rateLimitMiddleware({ perSecond: 0, burst: 200 }, null)).toBeNull();
  });
});
