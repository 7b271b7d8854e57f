/**
 * Helpers of the hostile-input e2e tests (test/e2e/no-500.e2e-spec.ts: request bodies of POST and
 * PUT routes; test/e2e/hostile-input.e2e-spec.ts: query strings, headers, sizes of every route):
 * the OpenAPI document's shapes, hostile strings and path parameters, the reference data the
 * document's examples name, what the server logged as errors, and the contract every answer must
 * keep: never a 5xx; a non-2xx answer is application/problem+json with `status` equal to the HTTP
 * status, a `code`, a `type` and a `title`.
 */
import type { LoggerService } from '@nestjs/common';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import type { Api } from './http';

// ---------------------------------------------------------------------------------------------
// The OpenAPI document (GET /docs-json)
// ---------------------------------------------------------------------------------------------

export interface Schema {
  readonly $ref?: string;
  readonly allOf?: readonly Schema[];
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly example?: unknown;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

export interface OpenApiOperation {
  readonly parameters?: ReadonlyArray<{ name: string; in: string; schema?: Schema; example?: unknown }>;
  readonly requestBody?: {
    readonly content?: Record<
      string,
      { schema?: Schema; example?: unknown; examples?: Record<string, { value: unknown }> }
    >;
  };
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) }, // any code point, lone surrogates too
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '💥',
      '💥'.repeat(2000),
      'x'.repeat(100_000),
      'null',
      'NaN',
      'Infinity',
      '-0',
      '1e400',
      '0x10',
      'USD',
      'usd',
      'EURO',
      'BOOKING',
      'booking',
      '2026-01-10T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-10T24:00:00Z',
      '2026-01-10T00:00:00+25:00',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '+275760-09-13T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2026-01-10',
      '2026-02-29',
      '2024-02-29',
      '2026-01',
      '2026-00',
      '10000-01',
      'alice',
      'O1',
      'C1',
      'P1',
      '../../etc/passwd',
      '%00',
      '%',
      "'; DROP TABLE es_events; --",
      '<script>alert(1)</script>',
      '__proto__',
      'constructor',
    ),
  },
);

export const KNOWN_IDS = ['O1', 'alice', 'bob', 'C1', 'P1'];

/** Lone surrogates (which no URL can carry) replaced by U+FFFD. */
export const wellFormed = (s: string) =>
  Array.from(s, (c) => (c.length === 1 && c >= '\ud800' && c <= '\udfff' ? '\ufffd' : c)).join('');

export const pathParam = (example: unknown): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...KNOWN_IDS, ...(example !== undefined ? [String(example)] : [])) },
    { weight: 2, arbitrary: weirdString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 300)))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '2026',
        '0',
        '-1',
        '1e3',
        '2026.5',
        '99999999999999999999',
        '2026-01',
        '2026-13',
        '%',
        '%zz',
        '%E0%A4%A',
        '%00',
        '..',
        'x'.repeat(5000),
      ),
    },
  );

// ---------------------------------------------------------------------------------------------
// The server's side
// ---------------------------------------------------------------------------------------------

/**
 * What the server logged as errors (ProblemDetailsFilter logs every 500 with its stack): the app
 * runs in this process, so Nest's static logger is pointed here to name the cause of a 500.
 */
export const serverErrors: string[] = [];
export const capturingLogger: LoggerService = {
  log: () => undefined,
  warn: () => undefined,
  error: (message: unknown) => void serverErrors.push(String(message)),
};

/** The number of events in the log (a refused request must not change it). */
export async function eventCount(dataSource: DataSource): Promise<number> {
  const rows = (await dataSource.query('SELECT count(*)::int AS n FROM es_events')) as Array<{ n: number }>;
  return rows[0]?.n ?? 0;
}

/** What a problem+json answer carries (RFC 9457 and api.md, Errors). */
export interface Problem {
  readonly status?: unknown;
  readonly code?: unknown;
  readonly title?: unknown;
  readonly type?: unknown;
}

/**
 * How an answer breaks the error contract, or null if it keeps it: a status of 300 or more must
 * come as application/problem+json whose `status` is the HTTP status, with a non-empty `code`, a
 * `type` and a `title`. (5xx answers are the caller's to judge: some are known bugs.)
 */
export function problemBreach(status: number, contentType: string | null, text: string): string | null {
  if (status < 300) return null;
  if (!(contentType ?? '').startsWith('application/problem+json')) return 'not application/problem+json';
  let problem: Problem;
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    return 'problem body is not JSON';
  }
  if (problem === null || typeof problem !== 'object') return 'problem body is not an object';
  if (problem.status !== status || typeof problem.code !== 'string' || problem.code === '') {
    return 'problem without the HTTP status or a code';
  }
  if (typeof problem.title !== 'string' || typeof problem.type !== 'string') return 'problem without type or title';
  return null;
}

/** The reference data the document's examples name: plan P1, alice and bob on it, customer C1, order O1. */
export async function givenDocumentExamples(api: Api): Promise<void> {
  const ok = async (path: string, body: unknown) => {
    const r = await api.post(path, body);
    if (r.status !== 201) throw new Error(`setup ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  await ok('/api/v1/plans', {
    planId: 'P1',
    name: 'Booking 10 %',
    currency: 'USD',
    basis: 'BOOKING',
    rateBps: 1000,
    clawback: { windowDays: 90, percentBps: 10000 },
  });
  for (const who of ['alice', 'bob']) {
    await ok('/api/v1/salespeople', { salespersonId: who, name: who, teamId: 'team-east', hiredOn: '2025-03-01' });
    await ok(`/api/v1/salespeople/${who}/plan-assignments`, {
      assignmentId: `A-${who}-P1`,
      planId: 'P1',
      effectiveFrom: '2026-01-01',
    });
  }
  await ok('/api/v1/customers', {
    customerId: 'C1',
    name: 'Acme Corp',
    paymentTermsDays: 30,
    salesCredits: [
      { salespersonId: 'alice', splitBps: 6000 },
      { salespersonId: 'bob', splitBps: 4000 },
    ],
  });
  await ok('/api/v1/orders', {
    orderId: 'O1',
    customerId: 'C1',
    amount: { amount: 10000000, currency: 'USD' },
    bookedAt: '2026-01-10T00:00:00Z',
  });
}
