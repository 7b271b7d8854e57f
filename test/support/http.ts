/** A small JSON client for e2e tests (Node's fetch). */
export interface Reply<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly contentType: string;
  readonly headers: Headers;
}

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

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
