import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { JwtVerifier } from '../auth/jwt';
import { problem } from './problem';

/**
 * Per-client rate limiting (a token bucket per client): each client may make `burst` requests at
 * once and `perSecond` requests per second sustained. A client is the `sub` of a valid bearer
 * token, else the remote IP (an invalid or forged token counts against its IP, so inventing `sub`s
 * gains nothing). Over the limit: 429 problem+json `RATE_LIMITED` with `Retry-After` (seconds until
 * the next request would pass). `/health` and `/metrics` are never limited.
 */
export interface RateLimitOptions {
  /** Sustained requests per second per client; 0 turns limiting off. */
  readonly perSecond: number;
  /** Bucket size: requests a client may make at once. */
  readonly burst: number;
  /** Milliseconds (tests); default Date.now. */
  readonly now?: () => number;
  /** At most this many clients are remembered (the least recently seen are forgotten). */
  readonly maxClients?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Whether a request may pass, and if not, in how many seconds one would. */
export type Admission = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly maxClients: number;
  private lastSweepMs: number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1)) {
      throw new Error('A rate limiter needs perSecond > 0 and burst >= 1');
    }
    this.now = options.now ?? Date.now;
    this.maxClients = options.maxClients ?? 100_000;
    this.lastSweepMs = this.now();
  }

  /** Takes one token from `key`'s bucket if it has one. */
  take(key: string): Admission {
    const now = this.now();
    this.sweep(now);
    const { perSecond, burst } = this.options;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: burst, updatedMs: now };
      if (this.buckets.size >= this.maxClients) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    } else {
      this.buckets.delete(key); // re-inserted below: the Map stays ordered by last use
      const elapsed = Math.max(0, now - bucket.updatedMs) / 1000;
      bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
      bucket.updatedMs = now;
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }

  /** How many clients are remembered. */
  get size(): number {
    return this.buckets.size;
  }

  /** Once a minute, forgets the clients whose bucket has refilled (they would start full anyway). */
  private sweep(now: number): void {
    if (now - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = now;
    const { perSecond, burst } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedMs) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
  }
}

const BEARER = /^Bearer +([^\s]+) *$/i;
const UNLIMITED = /^\/(health|metrics)(\/|\?|$)/;

/** The client a request counts against: `sub:<sub>` of a valid bearer token, else `ip:<address>`. */
export async function clientKey(req: Request, verifier: JwtVerifier | null): Promise<string> {
  const token = BEARER.exec(req.header('authorization') ?? '')?.[1];
  if (token !== undefined && verifier !== null) {
    try {
      return `sub:${(await verifier.verify(token)).sub}`;
    } catch {
      /* invalid, expired or unverifiable: counted against the address; the guard answers 401 */
    }
  }
  return `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

/** Express middleware; null when `perSecond` is 0 (limiting off). */
export function rateLimitMiddleware(options: RateLimitOptions, verifier: JwtVerifier | null): RequestHandler | null {
  if (options.perSecond === 0) return null;
  const buckets = new TokenBuckets(options);
  return (req: Request, res: Response, next: NextFunction) => {
    if (UNLIMITED.test(req.originalUrl)) return next();
    clientKey(req, verifier).then(
      (key) => {
        const admission = buckets.take(key);
        if (admission.allowed) return next();
        res.status(429);
        res.setHeader('Retry-After', String(admission.retryAfterSeconds));
        res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
        res.end(
          JSON.stringify(
            problem(
              429,
              'RATE_LIMITED',
              `Too many requests from this client (${options.perSecond}/s, bursts of ${options.burst}): ` +
                `retry after ${admission.retryAfterSeconds} s`,
            ),
          ),
        );
      },
      (error: unknown) => next(error),
    );
  };
}
