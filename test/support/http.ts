/** A small JSON client for e2e tests (Node's fetch), optionally with a bearer token. */
import { signHs256 } from '../../libs/platform/src/auth/jwt';

export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly contentType: string;
  readonly headers: Headers;
}

/** The HS256 secret e2e systems are started with (`settings.authJwtSecret`). */
export const TEST_SECRET = 'e2e-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export interface TestClaims {
  readonly sub?: string;
  readonly roles: readonly string[];
  readonly salespersonId?: string;
  readonly teamId?: string;
  readonly [claim: string]: unknown;
}

/** A token signed with TEST_SECRET (or `secret`), valid for an hour unless the claims say otherwise. */
export function tokenFor(claims: TestClaims, secret = TEST_SECRET): string {
  const now = Math.floor(Date.now() / 1000);
  return signHs256({ sub: 'test-user', iat: now, exp: now + 3600, ...claims }, secret);
}

/** An administrator's token (sub `test-admin`), for setting up data. */
export function adminToken(secret = TEST_SECRET): string {
  return tokenFor({ sub: 'test-admin', roles: ['admin'] }, secret);
}

export class Api {
  private readonly headers: Record<string, string>;

  /** `token`: sent as `Authorization: Bearer <token>` with every request. */
  constructor(
    readonly baseUrl: string,
    token?: string | null,
    headers: Record<string, string> = {},
  ) {
    this.headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  }

  /** The same server, as another caller (null: no token). */
  as(token: string | null): Api {
    return new Api(this.baseUrl, token);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...this.headers, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      // A Server-Sent Events stream never ends: answer its status and headers, then hang up.
      await response.body?.cancel();
      return { status: response.status, body: null as T, contentType: 'text/event-stream', headers: response.headers };
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return {
      status: response.status,
      body: parsed as T,
      contentType: response.headers.get('content-type') ?? '',
      headers: response.headers,
    };
  }

  post<T = Record<string, unknown>>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }

  put<T = Record<string, unknown>>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }

  get<T = Record<string, unknown>>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
}

/** Domain.md §6 reference data: plans P1 and P2, alice and bob, customer C1. */
export async function givenReferenceData(api: Api, prefix = ''): Promise<void> {
  const ok = async (reply: Promise<Reply>) => {
    const r = await reply;
    if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  };
  await ok(
    api.post('/api/v1/plans', {
      planId: `${prefix}P1`,
      name: 'Booking 10 %',
      currency: 'USD',
      basis: 'BOOKING',
      rateBps: 1000,
      clawback: { windowDays: 90, percentBps: 10000 },
    }),
  );
  await ok(
    api.post('/api/v1/plans', {
      planId: `${prefix}P2`,
      name: 'Collection 5 %',
      currency: 'USD',
      basis: 'COLLECTION',
      rateBps: 500,
      clawback: { windowDays: 60, percentBps: 5000 },
    }),
  );
  for (const who of ['alice', 'bob']) {
    await ok(
      api.post('/api/v1/salespeople', {
        salespersonId: `${prefix}${who}`,
        name: who,
        teamId: 'east',
        hiredOn: '2025-01-01',
      }),
    );
    await ok(
      api.post(`/api/v1/salespeople/${prefix}${who}/plan-assignments`, {
        assignmentId: `${prefix}A-${who}`,
        planId: `${prefix}P1`,
        effectiveFrom: '2026-01-01',
      }),
    );
  }
  await ok(
    api.post('/api/v1/customers', {
      customerId: `${prefix}C1`,
      name: 'Acme',
      paymentTermsDays: 30,
      salesCredits: [
        { salespersonId: `${prefix}alice`, splitBps: 6000 },
        { salespersonId: `${prefix}bob`, splitBps: 4000 },
      ],
    }),
  );
}
