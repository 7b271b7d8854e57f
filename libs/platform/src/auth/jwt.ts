import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify as verifySignature } from 'node:crypto';

/**
 * Bearer tokens (JWT, RFC 7519, compact JWS) verified with node:crypto only:
 * - HS256 with a shared secret (AUTH_JWT_SECRET, or the local secret of an embedded start);
 * - RS256 / ES256 with the public keys of an identity provider's JWKS (AUTH_JWKS_URL), cached by
 *   `kid` and fetched again for an unknown `kid` at most once a minute.
 * Any other `alg` (`none` included), a bad signature, a malformed token, an expired token or one
 * not yet valid (60 s leeway either way) is refused with a JwtError.
 */

/** The claims the API relies on (api.md § Authentication and roles). */
export interface TokenClaims {
  /** The user; recorded as the actor of every event the request appends. */
  readonly sub: string;
  readonly roles: readonly string[];
  /** For `rep`: whose ledger they may read. */
  readonly salespersonId?: string;
  /** For `manager`: which team they may read. */
  readonly teamId?: string;
  /** Seconds since the epoch. */
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly [claim: string]: unknown;
}

/** Why a token was refused; the message is safe to show to the client. */
export class JwtError extends Error {}

/** The identity provider's keys could not be fetched: the token can be neither accepted nor refused. */
export class JwksUnavailableError extends Error {}

export const CLOCK_LEEWAY_SECONDS = 60;
export const JWKS_REFETCH_INTERVAL_MS = 60_000;
export const JWKS_RETRY_AFTER_FAILURE_MS = 5_000;
const MAX_TOKEN_LENGTH = 16_384;
const SEGMENT = /^[A-Za-z0-9_-]*$/;

export type AsymmetricAlg = 'RS256' | 'ES256';

export interface JwtVerifierOptions {
  /** HS256 secret; null: HS256 tokens are refused. */
  readonly hs256Secret: string | null;
  /** JWKS URL of an identity provider; null: RS256/ES256 tokens are refused. */
  readonly jwksUrl: string | null;
  /** Seconds since the epoch (tests). */
  readonly now?: () => number;
  /** Fetches the JWKS document (tests); default: global fetch with a 5 s timeout. */
  readonly fetchJwks?: (url: string) => Promise<unknown>;
}

function b64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError(`Malformed token: the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new JwtError(`Malformed token: the ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function hs256(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(signingInput, 'ascii').digest();
}

/** Signs claims with HS256 (tests and the local admin token). */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  if (!secret) throw new Error('signHs256 needs a secret');
  const signingInput = `${b64urlJson({ alg: 'HS256', typ: 'JWT' })}.${b64urlJson(claims)}`;
  return `${signingInput}.${hs256(signingInput, secret).toString('base64url')}`;
}

function checkClaims(payload: Record<string, unknown>, nowSeconds: number): TokenClaims {
  const { sub, roles, salespersonId, teamId, exp, nbf, iat } = payload;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 200) {
    throw new JwtError('The token has no valid sub claim');
  }
  if (!Array.isArray(roles) || !roles.every((r): r is string => typeof r === 'string')) {
    throw new JwtError('The token has no valid roles claim (an array of strings)');
  }
  for (const [name, value] of [
    ['salespersonId', salespersonId],
    ['teamId', teamId],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') throw new JwtError(`The ${name} claim must be a string`);
  }
  for (const [name, value] of [
    ['exp', exp],
    ['nbf', nbf],
    ['iat', iat],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new JwtError(`The ${name} claim must be a number of seconds`);
    }
  }
  if (typeof exp === 'number' && nowSeconds > exp + CLOCK_LEEWAY_SECONDS) throw new JwtError('The token has expired');
  if (typeof nbf === 'number' && nowSeconds < nbf - CLOCK_LEEWAY_SECONDS) {
    throw new JwtError('The token is not valid yet');
  }
  return payload as TokenClaims;
}

interface CachedKey {
  readonly kid: string | null;
  readonly alg: AsymmetricAlg;
  readonly key: KeyObject;
}

/** Which algorithm a JWK can verify, or null when we do not use it (wrong type, encryption key, ...). */
function importJwk(jwk: unknown): CachedKey | null {
  if (typeof jwk !== 'object' || jwk === null) return null;
  const j = jwk as Record<string, unknown>;
  if (j.use !== undefined && j.use !== 'sig') return null;
  if (Array.isArray(j.key_ops) && !j.key_ops.includes('verify')) return null;
  let alg: AsymmetricAlg;
  if (j.kty === 'RSA' && (j.alg === undefined || j.alg === 'RS256')) alg = 'RS256';
  else if (j.kty === 'EC' && j.crv === 'P-256' && (j.alg === undefined || j.alg === 'ES256')) alg = 'ES256';
  else return null;
  try {
    // Only the public members: a JWKS must not carry private keys, and we never want them.
    const { kty, n, e, crv, x, y } = j;
    const key = createPublicKey({ key: { kty, n, e, crv, x, y } as never, format: 'jwk' });
    if (alg === 'RS256' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return null;
    return { kid: typeof j.kid === 'string' ? j.kid : null, alg, key };
  } catch {
    return null;
  }
}

async function defaultFetchJwks(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** Verifies bearer tokens; keeps the JWKS cache, so one instance serves the whole process. */
export class JwtVerifier {
  private keys: CachedKey[] = [];
  private lastFetchMs: number | null = null;
  /** Set while the last JWKS fetch failed: retried after 5 s instead of a minute. */
  private lastError: string | null = null;
  private fetching: Promise<void> | null = null;
  private readonly now: () => number;
  private readonly fetchJwks: (url: string) => Promise<unknown>;

  constructor(private readonly options: JwtVerifierOptions) {
    this.now = options.now ?? (() => Date.now() / 1000);
    this.fetchJwks = options.fetchJwks ?? defaultFetchJwks;
  }

  /** The algorithms this verifier accepts. */
  get algorithms(): string[] {
    return [...(this.options.hs256Secret ? ['HS256'] : []), ...(this.options.jwksUrl ? ['RS256', 'ES256'] : [])];
  }

  async verify(token: string): Promise<TokenClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new JwtError('Malformed token');
    }
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p)) || !parts[0] || !parts[1]) {
      throw new JwtError('Malformed token: expected three base64url segments');
    }
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    const header = decodeJsonSegment(headerPart, 'header');
    const alg = header.alg;
    if (typeof alg !== 'string' || !this.algorithms.includes(alg)) {
      throw new JwtError(`Token algorithm ${JSON.stringify(alg ?? null)} is not accepted`);
    }
    if (header.crit !== undefined) throw new JwtError('Token header extensions (crit) are not supported');
    const signingInput = `${headerPart}.${payloadPart}`;
    const signature = Buffer.from(signaturePart, 'base64url');

    if (alg === 'HS256') {
      const expected = hs256(signingInput, this.options.hs256Secret!);
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
        throw new JwtError('Bad token signature');
      }
    } else {
      const kid = typeof header.kid === 'string' ? header.kid : null;
      const candidates = await this.keysFor(alg as AsymmetricAlg, kid);
      if (candidates.length === 0) throw new JwtError('No key of the identity provider matches the token');
      const data = Buffer.from(signingInput, 'ascii');
      const ok = candidates.some((k) =>
        alg === 'RS256'
          ? verifySignature('sha256', data, k.key, signature)
          : signature.length === 64 &&
            verifySignature('sha256', data, { key: k.key, dsaEncoding: 'ieee-p1363' }, signature),
      );
      if (!ok) throw new JwtError('Bad token signature');
    }
    return checkClaims(decodeJsonSegment(payloadPart, 'payload'), this.now());
  }

  private matching(alg: AsymmetricAlg, kid: string | null): CachedKey[] {
    return this.keys.filter((k) => k.alg === alg && (kid === null || k.kid === kid));
  }

  /** Keys for (alg, kid) from the cache; an unknown kid refetches the JWKS, at most once a minute. */
  private async keysFor(alg: AsymmetricAlg, kid: string | null): Promise<CachedKey[]> {
    const cached = this.matching(alg, kid);
    if (cached.length > 0) return cached;
    if (this.fetching) {
      await this.fetching;
      return this.matching(alg, kid);
    }
    const nowMs = this.now() * 1000;
    const wait = this.lastError ? JWKS_RETRY_AFTER_FAILURE_MS : JWKS_REFETCH_INTERVAL_MS;
    if (this.lastFetchMs === null || nowMs - this.lastFetchMs >= wait) {
      await this.refresh(nowMs);
    } else if (this.lastError) {
      throw new JwksUnavailableError(this.lastError);
    }
    return this.matching(alg, kid);
  }

  private refresh(nowMs: number): Promise<void> {
    const url = this.options.jwksUrl!;
    this.lastFetchMs = nowMs;
    this.fetching = (async () => {
      let document: unknown;
      try {
        document = await this.fetchJwks(url);
      } catch (error) {
        this.lastError = `The identity provider's keys could not be fetched: ${String(error)}`;
        throw new JwksUnavailableError(this.lastError);
      }
      const keys = (document as { keys?: unknown } | null)?.keys;
      if (!Array.isArray(keys)) {
        this.lastError = 'The identity provider answered no JWKS (no "keys" array)';
        throw new JwksUnavailableError(this.lastError);
      }
      this.keys = keys.map(importJwk).filter((k): k is CachedKey => k !== null);
      this.lastError = null;
    })().finally(() => {
      this.fetching = null;
    });
    return this.fetching;
  }
}
