/**
 * "No request can make the server answer 500 by its content alone" (api.md, Errors), for what
 * test/e2e/no-500.e2e-spec.ts (request bodies of POST and PUT routes) does not send: EVERY route of
 * the OpenAPI document (GET, DELETE, POST, PUT, the Server-Sent Events feeds) and the routes outside
 * it (/health, /metrics, /docs-json), with
 * - generated query strings (fast-check): the route's own parameters and others, wrong types,
 *   numbers past every range (1e400, 2^64, 99…9), negative and empty values, repeated keys
 *   (`a=1&a=2`), brackets (`a[]=`, `a[b]=`), `__proto__[x]=1`, `constructor[prototype][x]=1`,
 *   unicode, a lone surrogate or an overlong sequence in percent-encoding, bad percent-encoding
 *   (`%`, `%zz`), SQL (`' OR 1=1--`), very long values;
 * - generated headers: garbage Authorization (no scheme, other schemes, broken and unsigned JWTs,
 *   huge), odd X-Consistent-Position, X-Correlation-Id, Idempotency-Key and Last-Event-ID values,
 *   weird Content-Type, charset and Accept;
 * - sizes: a 10 MB body to every POST and PUT route, with a Content-Length and chunked, and to a GET
 *   route: refused with 413 problem+json, quickly (not buffered into a 500); headers over Node's
 *   limit and a 100 KB URL: refused (431/414) as problem+json;
 * - bodies nested 100 000 levels deep, to every POST and PUT route.
 * Every answer must be below 500; every non-2xx must be application/problem+json with `status`
 * equal to the HTTP status, a `code`, a `type` and a `title` (test/support/hostile-http.ts); a
 * refused request appends nothing (the count of es_events before and after); and no prototype is
 * polluted. Figures (requests per kind, statuses seen, 500s, events appended by refusals) go to
 * test/artifacts/reliability/hostile-input.json.
 *
 * Deterministic in CI: a fixed seed per route. FC_SEED=<integer> replays one, FC_SEED=random
 * explores, FC_RUNS=<n> changes the runs per route and kind (default 50).
 */
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  capturingLogger,
  eventCount,
  givenDocumentExamples,
  KNOWN_IDS,
  type OpenApiDocument,
  pathParam,
  problemBreach,
  serverErrors,
  wellFormed,
  weirdString,
} from '../support/hostile-http';
import { adminToken, tokenFor } from '../support/http';
import { propertyRuns, propertySeed } from '../support/order-history';
import { startTestSystem, type TestSystem } from '../support/test-system';

const SEED = propertySeed(20_260_404);
const RUNS = propertyRuns(50);
const MB = 1024 * 1024;

let t: TestSystem;
let token: string;

beforeAll(async () => {
  t = await startTestSystem({ retryDelayMs: 100 });
  Logger.overrideLogger(capturingLogger);
  token = adminToken();
  await givenDocumentExamples(t.api);
  const hook = await t.api.post('/api/v1/webhook-subscriptions', {
    url: 'http://127.0.0.1:9/hook',
    eventTypes: ['SaleBooked'],
  });
  if (hook.status === 201 && typeof hook.body.id === 'string') KNOWN_IDS_HERE.push(hook.body.id);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const KNOWN_IDS_HERE: string[] = [...KNOWN_IDS, 'order-O1', '2026-01'];

// ---------------------------------------------------------------------------------------------
// Sending, and the contract of every answer
// ---------------------------------------------------------------------------------------------

interface Sent {
  readonly method: string;
  /** Path and query, as sent (already encoded, or deliberately not). */
  readonly path: string;
  readonly headers: Record<string, string>;
  /** A body, or a generator of `bytes` bytes sent chunked (no Content-Length). */
  readonly body?: Buffer | string | { readonly chunked: number };
}

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  readonly ms: number;
}

/**
 * One request over node:http (which, unlike fetch, sends any path and header bytes as given). An
 * event stream is answered with its status and headers, then hung up on.
 */
function send(sent: Sent, timeoutMs = 20_000): Promise<Answer> {
  const url = new URL(t.system.url!);
  const started = Date.now();
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: sent.method,
        path: sent.path,
        // node:http sends a GET or DELETE body unframed unless told its length.
        headers:
          typeof sent.body === 'string' || Buffer.isBuffer(sent.body)
            ? { 'content-length': String(Buffer.byteLength(sent.body)), ...sent.headers }
            : sent.headers,
        timeout: timeoutMs,
        insecureHTTPParser: false,
      },
      (res) => {
        answered = true;
        const contentType = res.headers['content-type'] ?? null;
        const status = res.statusCode ?? 0;
        if (contentType?.startsWith('text/event-stream')) {
          res.destroy();
          req.destroy();
          resolve({ status, contentType, text: '', ms: Date.now() - started });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    // A server that answers (413) before reading a big body may close the socket under the writer.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const body = sent.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else {
      const piece = Buffer.alloc(64 * 1024, 'a');
      let left = body.chunked;
      Readable.from(
        (function* () {
          yield Buffer.from('{"a":"');
          while (left > 0) {
            left -= piece.length;
            yield piece;
          }
        })(),
      )
        .on('error', () => undefined)
        .pipe(req);
    }
  });
}

type Kind = 'query' | 'headers' | 'size' | 'deep-json';

const figures = {
  test: 'test/e2e/hostile-input.e2e-spec.ts',
  requests: { query: 0, headers: 0, size: 0, 'deep-json': 0 } as Record<Kind, number>,
  statuses: { query: {}, headers: {}, size: {}, 'deep-json': {} } as Record<Kind, Record<string, number>>,
  routes: 0,
  serverErrors5xx: 0,
  eventsAppendedByRefusals: 0,
  slowest413Ms: 0,
  prototypePolluted: false,
};

const show = (sent: Sent, answer: Answer | null) => {
  const body =
    sent.body === undefined
      ? ''
      : typeof sent.body === 'string' || Buffer.isBuffer(sent.body)
        ? `(${sent.body.length} bytes) ${String(sent.body).slice(0, 200)}`
        : `(${sent.body.chunked} bytes chunked)`;
  const headers = JSON.stringify(sent.headers, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 300 ? `${v.slice(0, 100)}…(${v.length} chars)` : v,
  );
  const path = sent.path.length > 600 ? `${sent.path.slice(0, 400)}…(${sent.path.length} chars)` : sent.path;
  return (
    `${sent.method} ${path}\n${headers}\n${body}\n` +
    (answer ? `→ ${answer.status} ${answer.contentType} ${answer.text.slice(0, 600)}` : '→ no answer')
  );
};

/** Sends one request and checks the contract of its answer; throws with the exact request if not. */
async function fire(kind: Kind, sent: Sent): Promise<Answer> {
  const before = await eventCount(t.system.dataSource);
  serverErrors.length = 0;
  let answer: Answer;
  try {
    answer = await send(sent);
  } catch (error) {
    throw new Error(`${String(error)}:\n${show(sent, null)}`);
  }
  figures.requests[kind]++;
  const seen = figures.statuses[kind];
  seen[answer.status] = (seen[answer.status] ?? 0) + 1;
  if (answer.status >= 500) {
    figures.serverErrors5xx++;
    throw new Error(
      `answered ${answer.status}:\n${show(sent, answer)}\nserver: ${serverErrors.join('\n').slice(0, 800)}`,
    );
  }
  const breach = problemBreach(answer.status, answer.contentType, answer.text);
  if (breach) throw new Error(`${breach}:\n${show(sent, answer)}`);
  if (answer.status >= 300) {
    const appended = (await eventCount(t.system.dataSource)) - before;
    figures.eventsAppendedByRefusals += appended;
    if (appended !== 0) throw new Error(`a refused request appended ${appended} event(s):\n${show(sent, answer)}`);
  }
  return answer;
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

interface AnyRoute {
  readonly method: string;
  readonly template: string;
  readonly pathParams: ReadonlyArray<{ readonly name: string; readonly example: unknown }>;
  readonly queryParams: readonly string[];
}

function allRoutes(doc: OpenApiDocument): AnyRoute[] {
  const routes: AnyRoute[] = [];
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const params = op.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        template,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, example: p.example ?? p.schema?.example })),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  // Outside the document (or excluded from the /api/v1 prefix).
  for (const template of ['/health', '/metrics', '/docs-json']) {
    if (!routes.some((r) => r.template === template)) {
      routes.push({ method: 'GET', template, pathParams: [], queryParams: [] });
    }
  }
  return routes;
}

const pathOf = (route: AnyRoute): fc.Arbitrary<string> =>
  fc
    .tuple(...route.pathParams.map((p) => fc.oneof(pathParam(p.example), fc.constantFrom(...KNOWN_IDS_HERE))))
    .map((values) =>
      route.pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i] ?? ''), route.template),
    );

/** The route's example path (known ids), for requests whose point is elsewhere. */
const examplePath = (route: AnyRoute) =>
  route.pathParams.reduce(
    (path, p) =>
      path.replace(`{${p.name}}`, encodeURIComponent(String(p.example ?? (p.name === 'year' ? 2026 : 'O1')))),
    route.template,
  );

// ---------------------------------------------------------------------------------------------
// Query strings
// ---------------------------------------------------------------------------------------------

const COMMON_QUERY = [
  'limit',
  'cursor',
  'after',
  'asOf',
  'knownAt',
  'period',
  'groupBy',
  'status',
  'types',
  'format',
  'salespersonId',
  'orderId',
  'customerId',
  'categories',
  'dryRun',
];

/** Names as sent (encoded, or deliberately raw). */
const nameArb = (route: AnyRoute): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...(route.queryParams.length > 0 ? route.queryParams : COMMON_QUERY)) },
    { weight: 2, arbitrary: fc.constantFrom(...COMMON_QUERY) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '__proto__[x]',
        '__proto__',
        'constructor[prototype][x]',
        'constructor',
        'prototype',
        'hasOwnProperty',
        'toString',
        'a[]',
        'limit[]',
        'period[]',
        'asOf[0]',
        'limit[a]',
        '',
        '%',
        '%zz',
        '%ED%A0%80',
        '%00',
      ),
    },
    { weight: 1, arbitrary: weirdString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 50)))) },
  );

/** Values as sent (encoded, or deliberately raw and broken). */
const valueArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .constantFrom(
        '',
        '0',
        '-1',
        '1',
        '1000',
        '1001',
        '100000000000',
        '1.5',
        '1e3',
        '1e400',
        '-1e400',
        '18446744073709551616',
        '9223372036854775808',
        '99999999999999999999999999999',
        'NaN',
        'Infinity',
        'null',
        'true',
        '[]',
        '{}',
        '0x10',
        ' 1',
        '2026-01',
        '2026-13',
        '2026-00',
        '0000-01',
        '99999-01',
        '2026-02-30T00:00:00Z',
        '2026-01-10T00:00:00Z',
        '2026-01-10T00:00:00.000000000000000001Z',
        '+275760-09-13T00:00:00Z',
        '-271821-04-19T00:00:00Z',
        '2026-01-10',
        'salesperson',
        'customer',
        'team',
        'businessUnit',
        'OVERDUE',
        'PAID',
        'csv',
        'json',
        'SaleBooked,PaymentReceived',
        ',,,',
        'order',
        'alice',
        'O1',
        "' OR 1=1--",
        "'; DROP TABLE es_events; --",
        '"; SELECT pg_sleep(10); --',
        '../../etc/passwd',
        '<script>alert(1)</script>',
        '${jndi:ldap://x}',
        '💥',
        'é',
        'x'.repeat(5000),
      )
      .map(encodeURIComponent),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%',
      '%%',
      '%zz',
      '%E0%A4%A',
      '%ED%A0%80', // a lone surrogate (U+D800) in UTF-8
      '%ED%B0%80%ED%A0%80',
      '%C0%AF', // overlong "/"
      '%FF%FE',
      '%00',
      '%0d%0aSet-Cookie:%20x=1',
      'a+b',
      'MTIz', // base64 of a number: a plausible cursor
      'eyJwIjoiMSJ9',
      'Zm9v%3D%3D',
      '%F0%9F%92%A5'.repeat(300),
    ),
  },
  { weight: 2, arbitrary: weirdString.map((s) => encodeURIComponent(wellFormed(s.slice(0, 2000)))) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String).map(encodeURIComponent) },
);

const queryArb = (route: AnyRoute): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        fc.tuple(nameArb(route), valueArb).map(([n, v]) => `${n}=${v}`),
        // the same key twice or more: an array where a string is expected
        fc
          .tuple(nameArb(route), fc.array(valueArb, { minLength: 2, maxLength: 4 }))
          .map(([n, vs]) => vs.map((v) => `${n}=${v}`).join('&')),
        nameArb(route), // a key without '='
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((pairs) => pairs.join('&'));

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/** What a header value can carry at all (node:http refuses the rest before sending): tab, 0x20-0x7E, 0x80-0xFF. */
const headerSafe = (s: string) =>
  Array.from(s, (c) => (c === '\t' || (c >= ' ' && c !== '\x7f' && c <= '\xff') ? c : '?')).join('');

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const unsignedJwt = `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url('{"sub":"x","roles":["admin"]}')}.`;

const authorizationArb: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constant(`Bearer ${adminToken()}`) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      null,
      '',
      'Bearer',
      'Bearer ',
      'bearer x',
      'Basic YWRtaW46YWRtaW4=',
      'Digest username="a"',
      'Bearer a.b.c',
      'Bearer ..',
      'Bearer .....',
      `Bearer ${unsignedJwt}`,
      `Bearer ${b64url('{"alg":"HS256"}')}.${b64url('not json')}.sig`,
      `Bearer ${b64url('{"alg":"HS256"}')}.${b64url('[1,2]')}.sig`,
      `Bearer ${b64url('{"alg":"RS256","kid":"../../x"}')}.${b64url('{}')}.sig`,
      `Bearer ${tokenFor({ roles: ['admin'] }, 'another-secret-0123456789-abcdefghijklmnopqrstuvwxyz')}`,
      `Bearer ${tokenFor({ roles: ['admin'], exp: 1 })}`,
      `Bearer ${tokenFor({ roles: ['admin'], nbf: 4_000_000_000 })}`,
      `Bearer ${tokenFor({ roles: 'admin' } as never)}`,
      `Bearer ${tokenFor({ roles: [] })}`,
      `Bearer ${tokenFor({ roles: ['rep'] })}`,
      `Bearer ${tokenFor({ roles: ['rep'], salespersonId: { $ne: null } } as never)}`,
      `Bearer ${tokenFor({ roles: ['manager'], teamId: "' OR 1=1--" })}`,
      `Bearer ${tokenFor({ roles: ['__proto__', 'constructor'] })}`,
      `Bearer ${'x'.repeat(8000)}`,
      `Bearer ${adminToken()} ${adminToken()}`,
      `Bearer ${adminToken()}x`,
    ),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((s) => `Bearer ${headerSafe(s)}`),
  },
);

const headerValueArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1',
    '7',
    '1e400',
    '18446744073709551616',
    '99999999999999999999999999',
    'abc',
    'null',
    "' OR 1=1--",
    '%00',
    'é',
    '\u00ff\u00fe',
    'x'.repeat(4000),
    'a, b',
    '1, 2',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ unit: 'binary', maxLength: 100 }).map(headerSafe),
);

const contentTypeArb = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nonsense',
  'application/json; boundary=x; charset',
  'application/problem+json',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  'text/event-stream',
  '*/*',
  'application/',
  ';;;',
  '',
);

const acceptArb = fc.constantFrom(
  '*/*',
  'application/json',
  'text/html',
  'application/xml',
  'text/event-stream',
  'text/csv',
  'application/problem+json',
  'image/*;q=0',
  '*/*;q=0',
  ';q=abc',
  '',
);

const headersArb: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      authorization: authorizationArb,
      'x-consistent-position': headerValueArb,
      'x-correlation-id': headerValueArb,
      'idempotency-key': headerValueArb,
      'last-event-id': headerValueArb,
      'content-type': contentTypeArb,
      accept: acceptArb,
      'accept-charset': fc.constantFrom('utf-8', 'utf-16', 'nonsense', ''),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', '*;q=0', 'nonsense'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', 'not an ip', '::1, 127.0.0.1', ''),
      'if-none-match': headerValueArb,
      range: fc.constantFrom('bytes=0-10', 'bytes=-1', 'bytes=a-b', 'lines=1-2'),
    },
    { requiredKeys: [] },
  )
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== null)) as Record<string, string>);

// ---------------------------------------------------------------------------------------------

async function check(
  kind: Kind,
  arb: fc.Arbitrary<Sent>,
  index: number,
  failures: string[],
  label: string,
  runs = RUNS,
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(arb, async (sent) => void (await fire(kind, sent))),
    { numRuns: runs, seed: SEED + index },
  );
  if (details.failed) {
    const error =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    failures.push(`${kind} ${label} (seed ${details.seed}, path "${details.counterexamplePath}"): ${error}`);
  }
}

let routes: AnyRoute[] = [];

describe('hostile input on every route', () => {
  beforeAll(async () => {
    const doc = (await (await fetch(`${t.system.url}/docs-json`)).json()) as OpenApiDocument;
    routes = allRoutes(doc);
    figures.routes = routes.length;
  });

  it('generated query strings on every route (GET, DELETE, the SSE feeds, POST, PUT) never give a 5xx; refusals are problem+json and append nothing', async () => {
    const methods = new Set(routes.map((r) => r.method));
    expect([...methods]).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    expect(routes.map((r) => r.template)).toEqual(
      expect.arrayContaining(['/api/v1/events/stream', '/api/v1/dashboard/updates', '/api/v1/events', '/health']),
    );
    const failures: string[] = [];
    for (const [i, route] of routes.entries()) {
      const bodyless = route.method === 'GET' || route.method === 'DELETE';
      const arb = fc.record({ path: pathOf(route), query: queryArb(route) }).map(({ path, query }): Sent => ({
        method: route.method,
        path: `${path}?${query}`,
        headers: { authorization: `Bearer ${token}`, ...(bodyless ? {} : { 'content-type': 'application/json' }) },
        ...(bodyless ? {} : { body: '{}' }),
      }));
      await check(
        'query',
        arb,
        i,
        failures,
        `${route.method} ${route.template}`,
        bodyless ? RUNS : Math.ceil(RUNS / 3),
      );
    }
    expect(failures).toEqual([]);
    // The generator reaches past validation: answers of every kind.
    const seen = figures.statuses.query;
    for (const status of ['200', '400', '404']) expect(seen[status] ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('generated headers (Authorization, X-Consistent-Position, X-Correlation-Id, Idempotency-Key, Last-Event-ID, Content-Type, Accept) on every route never give a 5xx', async () => {
    const failures: string[] = [];
    for (const [i, route] of routes.entries()) {
      const bodyless = route.method === 'GET' || route.method === 'DELETE';
      const arb = fc
        .record({ headers: headersArb, body: fc.constantFrom('{}', '[]', '{"a":1}', '') })
        .map(({ headers, body }): Sent => ({
          method: route.method,
          path: examplePath(route),
          headers,
          ...(bodyless && !headers['content-type'] ? {} : { body }),
        }));
      await check('headers', arb, 1000 + i, failures, `${route.method} ${route.template}`, Math.ceil(RUNS / 2));
    }
    expect(failures).toEqual([]);
    const seen = figures.statuses.headers;
    for (const status of ['200', '401', '403']) expect(seen[status] ?? 0).toBeGreaterThan(0);
  }, 120_000);

  it('a 10 MB body is refused with 413 problem+json, quickly, on every POST and PUT route (with a Content-Length or chunked) and on a GET route', async () => {
    const writes = routes.filter((r) => r.method === 'POST' || r.method === 'PUT');
    const big = Buffer.alloc(10 * MB, 'a');
    big.write('{"a":"', 0);
    const sends: Sent[] = [];
    for (const route of writes) {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      sends.push({ method: route.method, path: examplePath(route), headers, body: big });
      sends.push({ method: route.method, path: examplePath(route), headers, body: { chunked: 10 * MB } });
    }
    for (const path of ['/api/v1/track-to-cash', '/api/v1/events']) {
      sends.push({
        method: 'GET',
        path,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: big,
      });
    }
    // Just over the 1 MB limit, and without a token (refused before or after reading: never a 500).
    sends.push({
      method: 'POST',
      path: '/api/v1/orders',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: Buffer.alloc(MB + 10, ' '),
    });
    const failures: string[] = [];
    for (const sent of sends) {
      try {
        const answer = await fire('size', sent);
        figures.slowest413Ms = Math.max(figures.slowest413Ms, answer.ms);
        if (answer.status !== 413 || JSON.parse(answer.text).code !== 'PAYLOAD_TOO_LARGE') {
          failures.push(`expected 413 PAYLOAD_TOO_LARGE:\n${show(sent, answer)}`);
        }
        if (answer.ms > 5_000) failures.push(`413 took ${answer.ms} ms:\n${show(sent, answer)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
    const noToken = await fire('size', {
      method: 'POST',
      path: '/api/v1/orders',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect([401, 413]).toContain(noToken.status);
    expect(failures).toEqual([]);
  }, 120_000);

  it('headers over the server limit and a 100 KB URL are refused as problem+json (431 or 414), not a 5xx or a bare close', async () => {
    const failures: string[] = [];
    const sends: Sent[] = [
      {
        method: 'GET',
        path: '/api/v1/events',
        headers: { authorization: `Bearer ${token}`, 'x-big': 'x'.repeat(40_000) },
      },
      { method: 'GET', path: '/api/v1/events', headers: { authorization: `Bearer ${'x'.repeat(40_000)}` } },
      {
        method: 'GET',
        path: `/api/v1/events?types=${'x'.repeat(100_000)}`,
        headers: { authorization: `Bearer ${token}` },
      },
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, 'y'.repeat(100)])),
        },
        body: '{}',
      },
    ];
    for (const sent of sends) {
      try {
        const answer = await fire('size', sent);
        if (![400, 413, 414, 431].includes(answer.status)) failures.push(`expected 431/414:\n${show(sent, answer)}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('a body nested 100 000 levels deep is refused (400, or 404 where the route takes no body) on every POST and PUT route', async () => {
    const writes = routes.filter((r) => r.method === 'POST' || r.method === 'PUT');
    const failures: string[] = [];
    const deep = [
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
      `{"orderId":"O-deep","customerId":"C1","amount":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    ];
    for (const route of writes) {
      for (const body of deep) {
        try {
          const answer = await fire('deep-json', {
            method: route.method,
            path: examplePath(route),
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body,
          });
          // 400, or 404 from a route that takes no body and whose example path names nothing.
          if (answer.status !== 400 && answer.status !== 404)
            failures.push(
              `expected 400: ${route.method} ${route.template} → ${answer.status} ${answer.text.slice(0, 200)}`,
            );
        } catch (error) {
          failures.push(String(error));
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  afterAll(() => {
    // Nothing polluted Object.prototype (a `__proto__` key reaching an Object.assign or a merge).
    figures.prototypePolluted =
      Object.keys(Object.prototype).length > 0 || ({} as Record<string, unknown>).x !== undefined;
    const dir = join(__dirname, '..', 'artifacts', 'reliability');
    mkdirSync(dir, { recursive: true });
    const total = Object.values(figures.requests).reduce((a, b) => a + b, 0);
    writeFileSync(
      join(dir, 'hostile-input.json'),
      `${JSON.stringify({ ...figures, totalRequests: total }, null, 2)}\n`,
    );
  });

  it('nothing polluted Object.prototype', () => {
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
