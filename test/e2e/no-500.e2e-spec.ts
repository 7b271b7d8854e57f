/**
 * "No request can make the server answer 500 by its content alone" (api.md, Errors), as a
 * property (fast-check): for EVERY POST and PUT route of the OpenAPI document (GET /docs-json),
 * generated requests with an admin token and random path parameters (known ids, random strings,
 * bad percent-encodings, very long segments):
 * - random JSON of every kind (wrong types, nested objects and arrays, huge and negative numbers,
 *   unicode including lone surrogates, very long strings, `__proto__`/`constructor` keys, an array
 *   or a scalar instead of an object), and bodies shaped after the route's schema;
 * - ALMOST valid bodies: the route's example from the document with one field deleted, replaced
 *   by a bad value, wrapped in an array, or joined by an unknown key; and well-formed variations
 *   of the example (other ids, dates, amounts, currencies) that reach the deciders (201/404/409/422);
 * - raw texts JSON.stringify cannot make: malformed JSON, numbers past double range (1e400),
 *   2^64, duplicate keys, 300-deep nesting, a body over the 1 MB limit, other content types and
 *   charsets.
 * Every answer must be below 500; every non-2xx must be application/problem+json with `status`
 * equal to the HTTP status, a `code`, a `type` and a `title`; a refused request (4xx) must append
 * nothing (the count of es_events in the test database is the same before and after); and no
 * prototype is polluted. A failure names the exact request (method, path, content type, body), the
 * answer, and the server's logged error. 500s of known, reported bugs are counted instead (see
 * KNOWN_BUGS) and reproduced by the `it.failing` tests at the end.
 *
 * Reference data (the document's examples: plan P1, alice, bob, customer C1, order O1) exists, so
 * that almost valid bodies reach the business rules. Deterministic in CI: a fixed seed per route.
 * FC_SEED=<integer> replays one, FC_SEED=random explores, FC_RUNS=<n> changes the runs per route
 * (default 100), NO500_STATS=1 prints the statuses seen per route.
 */
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import {
  capturingLogger,
  eventCount,
  givenDocumentExamples,
  KNOWN_IDS,
  type OpenApiDocument,
  pathParam,
  problemBreach,
  type Schema,
  serverErrors,
  weirdString,
} from '../support/hostile-http';
import { adminToken, Api, TEST_SECRET } from '../support/http';
import { propertyRuns, propertySeed } from '../support/order-history';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SEED = propertySeed(20_260_303);
const RUNS = propertyRuns(100);

let db: TestDatabase;
let system: RunningSystem;
let api: Api;
let token: string;

/**
 * 500s of known, reported bugs, reproduced by the `it.failing` tests below; counted, not failed on,
 * so that the property keeps guarding everything else. Remove an entry when its bug is fixed.
 */
const KNOWN_BUGS: ReadonlyArray<{ readonly name: string; readonly serverError: RegExp }> = [];
const knownBugHits = new Map<string, number>();

// ---------------------------------------------------------------------------------------------
// The OpenAPI document: routes, schemas, examples
// ---------------------------------------------------------------------------------------------

interface Route {
  readonly method: 'POST' | 'PUT';
  readonly template: string;
  readonly params: ReadonlyArray<{ readonly name: string; readonly example: unknown }>;
  readonly schema: Schema | null;
  readonly example: unknown;
}

function routesOf(doc: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (method !== 'post' && method !== 'put') continue;
      const json = op.requestBody?.content?.['application/json'];
      const example = json?.examples
        ? Object.values(json.examples)[0]?.value
        : (json?.example ?? json?.schema?.example);
      routes.push({
        method: method.toUpperCase() as 'POST' | 'PUT',
        template,
        params: (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, example: p.example ?? p.schema?.example })),
        schema: json?.schema ?? null,
        example: example ?? {},
      });
    }
  }
  return routes;
}

/** $ref and allOf resolved (one level at a time). */
function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {});
  if (schema.allOf && schema.allOf.length > 0) {
    const parts = schema.allOf.map((s) => resolve(doc, s));
    return {
      ...schema,
      allOf: undefined,
      type: parts.find((p) => p.type)?.type ?? 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<string, Schema>,
      required: parts.flatMap((p) => p.required ?? []),
    };
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Values, and JSON texts that JSON.stringify cannot write
// ---------------------------------------------------------------------------------------------

/** A literal JSON text, inserted as is (1e400, 2^64, ...). */
class Raw {
  constructor(readonly text: string) {}
}
/** An object as a list of entries: keys may repeat and may be `__proto__`. */
class Entries {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof Entries)
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return toJson(new Entries(Object.entries(value as Record<string, unknown>)));
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value) ?? 'null';
}

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', ''];

const weirdNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.integer({ min: -10_001, max: 10_001 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1.5, 1e-7, 12, 13, 10_000, 10_001, 1e15, 2 ** 31, 2 ** 53, 2 ** 53 + 2),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.constantFrom(
    new Raw('1e400'),
    new Raw('-1e400'),
    new Raw('18446744073709551616'),
    new Raw('123456789012345678901234567890'),
    new Raw('1.0'),
    new Raw('-0.0'),
    new Raw('1E2'),
  ),
);

const dangerousObject: fc.Arbitrary<unknown> = fc.constantFrom(
  new Entries([['__proto__', new Entries([['polluted', true]])]]),
  new Entries([['constructor', new Entries([['prototype', new Entries([['polluted', true]])]])]]),
  new Entries([['__proto__', null]]),
  new Entries([['__proto__', []]]),
  new Entries([['toString', 'x']]),
  new Entries([
    ['a', 1],
    ['a', 2],
  ]),
);

const weirdValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    weirdString,
    weirdNumber,
    fc.boolean(),
    fc.constant(null),
    dangerousObject,
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .array(fc.tuple(fc.oneof(weirdString, fc.constantFrom(...DANGEROUS_KEYS)), tie('value')), { maxLength: 5 })
      .map((entries) => new Entries(entries)),
  ),
})).value;

/** A value of the schema's shape with random contents (most of them wrong for the business). */
function shaped(doc: OpenApiDocument, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const fitting: fc.Arbitrary<unknown> = (() => {
    if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
    switch (s.type) {
      case 'object': {
        if (depth > 4 || !s.properties) return fc.constant({});
        const props = Object.fromEntries(
          Object.entries(s.properties).map(([k, p]) => [k, shaped(doc, p, depth + 1)] as const),
        );
        // Any subset of the properties: missing required fields too.
        return fc.record(props, { requiredKeys: [] });
      }
      case 'array':
        return fc.array(s.items ? shaped(doc, s.items, depth + 1) : weirdValue, { maxLength: depth > 2 ? 2 : 14 });
      case 'number':
      case 'integer':
        return s.example !== undefined ? fc.oneof(weirdNumber, fc.constant(s.example)) : weirdNumber;
      case 'string':
        return s.example !== undefined ? fc.oneof(weirdString, fc.constant(s.example)) : weirdString;
      case 'boolean':
        return fc.boolean();
      default:
        return weirdValue;
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: fitting }, { weight: 1, arbitrary: weirdValue });
}

/**
 * Well-formed variations of an example: every leaf replaced (or not) by a value of the same kind —
 * ids (known or new), instants, dates, periods, currencies, enums, amounts — so that requests get
 * past validation and reach the deciders: 201, 404, 409 and 422 answers.
 */
function plausible(example: unknown, depth = 0): fc.Arbitrary<unknown> {
  const keep = (arb: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 1, arbitrary: fc.constant(example) }, { weight: 2, arbitrary: arb });
  const day = fc
    .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString());
  if (typeof example === 'string') {
    if (/^\d{4}-\d{2}-\d{2}T/.test(example)) return keep(day);
    if (/^\d{4}-\d{2}-\d{2}$/.test(example)) return keep(day.map((d) => d.slice(0, 10)));
    if (/^\d{4}-\d{2}$/.test(example)) return keep(day.map((d) => d.slice(0, 7)));
    if (/^[A-Z]{3}$/.test(example)) return keep(fc.constantFrom('USD', 'EUR', 'USD'));
    if (example === 'BOOKING' || example === 'COLLECTION') return keep(fc.constantFrom('BOOKING', 'COLLECTION'));
    return keep(fc.oneof(fc.constantFrom(...KNOWN_IDS), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,12}$/)));
  }
  if (typeof example === 'number') {
    return keep(
      fc.oneof(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
      ),
    );
  }
  if (Array.isArray(example) && depth < 4) {
    const item: unknown = example[0];
    if (item === undefined) return fc.constant([]);
    return keep(fc.array(plausible(item, depth + 1), { minLength: 1, maxLength: Math.max(3, example.length) }));
  }
  if (example !== null && typeof example === 'object' && depth < 4) {
    return fc.record(
      Object.fromEntries(Object.entries(example).map(([k, v]) => [k, plausible(v, depth + 1)] as const)),
    );
  }
  return fc.constant(example);
}

type Path = ReadonlyArray<string | number>;

/** Every place in a JSON value: the value itself, its fields and items, recursively. */
function placesIn(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...placesIn(v, [...at, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...placesIn(v, [...at, k]));
  }
  return out;
}

type Mutation =
  | { readonly kind: 'delete' | 'wrap' }
  | { readonly kind: 'replace'; readonly value: unknown }
  | { readonly kind: 'add'; readonly key: string; readonly value: unknown };

/** The example with one mutation at one place (`place` modulo the number of places). */
function mutate(example: unknown, place: number, mutation: Mutation): unknown {
  const places = placesIn(example);
  const path = places[place % places.length] ?? [];
  const apply = (value: unknown): unknown => {
    switch (mutation.kind) {
      case 'delete':
        return undefined;
      case 'wrap':
        return [value];
      case 'replace':
        return mutation.value;
      case 'add':
        return value !== null && typeof value === 'object' && !Array.isArray(value)
          ? new Entries([...Object.entries(value), [mutation.key, mutation.value]])
          : mutation.value;
    }
  };
  const at = (value: unknown, rest: Path): unknown => {
    if (rest.length === 0) return apply(value);
    const [head, ...tail] = rest;
    if (Array.isArray(value)) {
      const copy = value.map((v, i) => (i === head ? at(v, tail) : v));
      return copy.filter((v) => v !== undefined);
    }
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, k === head ? at(v, tail) : v] as const)
      .filter(([, v]) => v !== undefined);
    return new Entries(entries);
  };
  return at(example, path) ?? new Entries([]);
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  fc.constant({ kind: 'wrap' as const }),
  weirdValue.map((value) => ({ kind: 'replace' as const, value })),
  fc
    .tuple(fc.oneof(fc.constantFrom(...DANGEROUS_KEYS), weirdString), weirdValue)
    .map(([key, value]) => ({ kind: 'add' as const, key, value })),
);

const MALFORMED = [
  '',
  '{',
  '}',
  '{"a":}',
  "{'a': 1}",
  '{"a": 1,}',
  '[1, 2',
  'nul',
  'undefined',
  '{"a": NaN}',
  '{"a": Infinity}',
  '{"a": 01}',
  '{"a": "\\x41"}',
  '{"a": "\\ud800"}',
  '\u0000',
  '\ufeff{}',
  '"just a string"',
  '12',
  'true',
  'null',
  '[]',
  // Nesting of a few hundred levels (deeper: see the BUG below).
  `${'['.repeat(300)}${']'.repeat(300)}`,
  `${'{"a":'.repeat(300)}1${'}'.repeat(300)}`,
  `{"big": "${'x'.repeat(1_100_000)}"}`,
];

interface Request {
  readonly path: string;
  readonly body: string;
  readonly contentType: string | null;
}

function requestArb(doc: OpenApiDocument, route: Route): fc.Arbitrary<Request> {
  const path = fc
    .tuple(...route.params.map((p) => pathParam(p.example)))
    .map((values) => route.params.reduce((t, p, i) => t.replace(`{${p.name}}`, values[i] ?? ''), route.template));
  const body: fc.Arbitrary<string> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(fc.nat(), mutationArb).map(([place, m]) => toJson(mutate(route.example, place, m))),
    },
    { weight: 4, arbitrary: plausible(route.example).map(toJson) },
    { weight: 3, arbitrary: (route.schema ? shaped(doc, route.schema) : weirdValue).map(toJson) },
    { weight: 2, arbitrary: weirdValue.map(toJson) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).map(toJson) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED) },
  );
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/merge-patch+json',
      ),
    },
  );
  return fc.record({ path, body, contentType });
}

// ---------------------------------------------------------------------------------------------

/** Sends one request and checks the contract of its answer; throws with the exact request if not. */
async function fire(method: string, request: Request): Promise<number> {
  const before = await eventCount(system.dataSource);
  serverErrors.length = 0;
  const response = await fetch(`${system.url}${request.path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
    },
    body: request.body,
  });
  const text = await response.text();
  const show = () =>
    `${method} ${request.path}\ncontent-type: ${request.contentType}\n${request.body.length > 600 ? `${request.body.slice(0, 300)}…${request.body.slice(-100)} (${request.body.length} chars)` : request.body}\n` +
    `→ ${response.status} ${response.headers.get('content-type')} ${text.slice(0, 1000)}`;
  if (response.status >= 500) {
    const logged = serverErrors.join('\n');
    const known = KNOWN_BUGS.find((b) => b.serverError.test(logged));
    if (known) {
      knownBugHits.set(known.name, (knownBugHits.get(known.name) ?? 0) + 1);
      return response.status;
    }
    throw new Error(`answered ${response.status}:\n${show()}\nserver: ${logged.slice(0, 600)}`);
  }
  const breach = problemBreach(response.status, response.headers.get('content-type'), text);
  if (breach) throw new Error(`${breach}:\n${show()}`);
  if (response.status >= 300) {
    const after = await eventCount(system.dataSource);
    if (after !== before) throw new Error(`a refused request appended ${after - before} event(s):\n${show()}`);
  }
  return response.status;
}

beforeAll(async () => {
  db = await createTestDatabase();
  system = await startSystem({
    role: 'all',
    settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
    port: 0,
    logger: false,
    runner: { retryDelayMs: 100 },
  });
  Logger.overrideLogger(capturingLogger);
  token = adminToken();
  api = new Api(system.url!, token);
  // The reference data the document's examples name.
  await givenDocumentExamples(api);
});

afterAll(async () => {
  await system?.close();
  await db?.drop();
});

it('no request body (or path parameter) makes any POST or PUT route answer 5xx; refusals are problem+json and append nothing', async () => {
  const docReply = await fetch(`${system.url}/docs-json`);
  expect(docReply.status).toBe(200);
  const doc = (await docReply.json()) as OpenApiDocument;
  const routes = routesOf(doc);
  // The command routes of api.md are all there (and whatever was added since).
  expect(routes.map((r) => `${r.method} ${r.template}`)).toEqual(
    expect.arrayContaining([
      'POST /api/v1/salespeople',
      'POST /api/v1/salespeople/{id}/termination',
      'POST /api/v1/plans',
      'POST /api/v1/salespeople/{id}/plan-assignments',
      'PUT /api/v1/salespeople/{id}/quotas/{year}',
      'POST /api/v1/customers',
      'POST /api/v1/customers/{id}/sales-credits',
      'POST /api/v1/orders',
      'POST /api/v1/orders/{id}/invoices',
      'POST /api/v1/orders/{id}/payments',
      'POST /api/v1/orders/{id}/cancellations',
      'POST /api/v1/orders/{id}/returns',
      'POST /api/v1/orders/{id}/write-offs',
      'POST /api/v1/salespeople/{id}/adjustments',
      'POST /api/v1/payouts',
      'POST /api/v1/periods/{period}/close',
      'POST /api/v1/distributors',
      'POST /api/v1/distributors/{id}/secondary-sales',
      'POST /api/v1/salespeople/{id}/recalculations',
    ]),
  );

  const failures: string[] = [];
  const statuses = new Map<string, Map<number, number>>();
  for (const [index, route] of routes.entries()) {
    const seen = new Map<number, number>();
    statuses.set(`${route.method} ${route.template}`, seen);
    const details = await fc.check(
      fc.asyncProperty(requestArb(doc, route), async (request) => {
        const status = await fire(route.method, request);
        seen.set(status, (seen.get(status) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED + index },
    );
    if (details.failed) {
      // The (shrunk) request, as `fire` described it, and how to replay it.
      const error =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      failures.push(
        `${route.method} ${route.template} (seed ${details.seed}, path "${details.counterexamplePath}"): ${error}`,
      );
    }
  }
  if (process.env.NO500_STATS) console.log(JSON.stringify([...statuses].map(([r, m]) => [r, Object.fromEntries(m)])));
  expect(failures).toEqual([]);
  if (knownBugHits.size > 0)
    console.log(`500s of known bugs (see the it.failing tests): ${JSON.stringify([...knownBugHits])}`);

  // The generator reaches past validation: business refusals and acceptances, not only 400s.
  const all = [...statuses.values()].flatMap((m) => [...m.entries()]);
  for (const status of [201, 400, 404, 422]) expect(all.some(([s, n]) => s === status && n > 0)).toBe(true);

  // Nothing polluted Object.prototype (a `__proto__` key reaching an Object.assign or a merge).
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}, 120_000);

// BUG (reported): class-transformer's plainToInstance (the global ValidationPipe, transform: true)
// recurses once per nesting level and overflows the stack past ~2000 levels: RangeError, 500.
// A 20 KB body is enough. Every POST/PUT route is affected (5 of them were hit by the property).
it('a body nested 10 000 levels deep is refused (400), not a 500', async () => {
  for (const body of [
    `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
  ]) {
    const before = await eventCount(system.dataSource);
    const r = await api.request('POST', '/api/v1/orders', body);
    expect(await eventCount(system.dataSource)).toBe(before);
    expect({ status: r.status, code: (r.body as { code?: string }).code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  }
});

// BUG (reported): handleCommand (libs/eventsourcing/src/handle-command.ts) gives an event the id
// deterministicUuid(commandType, commandId, index), whatever its stream, and looks for an earlier
// execution of the command only in that stream. The same paymentId (or invoiceId, adjustmentId,
// payoutId, assignmentId, ...) used on a second order (salesperson, ...) collides with the first
// event's id: the store throws DuplicateEventIdError, which ProblemDetailsFilter does not map: 500.
// api.md wants 409 IDEMPOTENCY_CONFLICT for a reused id with another body (or an accepted command,
// if ids are meant per order) — never a 500.
it('the same paymentId on two orders is answered 201 or 409, not 500', async () => {
  const pay = (orderId: string) =>
    api.post(`/api/v1/orders/${orderId}/payments`, {
      paymentId: 'DUP-PAY-1',
      amount: { amount: 10, currency: 'USD' },
      receivedAt: '2026-02-01T00:00:00Z',
    });
  for (const orderId of ['DUP-O1', 'DUP-O2']) {
    const booked = await api.post('/api/v1/orders', {
      orderId,
      customerId: 'C1',
      amount: { amount: 1000, currency: 'USD' },
      bookedAt: '2026-01-10T00:00:00Z',
    });
    expect(booked.status).toBe(201);
  }
  expect((await pay('DUP-O1')).status).toBe(201);
  const second = await pay('DUP-O2');
  expect([201, 409]).toContain(second.status);
});
