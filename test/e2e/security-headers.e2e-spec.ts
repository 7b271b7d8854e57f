/**
 * Security headers on every answer, over a sample of routes and errors (200, 201-less 400, 401,
 * 403, 404, 405, 413, SSE, static files, Swagger UI, health, metrics): nosniff, DENY framing,
 * no referrer, same-origin opener and resource policies, a Content-Security-Policy (strict on the
 * API, the page policy elsewhere), Cache-Control: no-store on /api/v1, and Strict-Transport-Security
 * only for requests that came over https (X-Forwarded-Proto from the TLS proxy). Then the page CSP
 * in a real browser: the dashboard (dist/web, `npm run build`) and Swagger UI load under it with
 * no CSP violation (skipped without /usr/bin/chromium, like test/e2e/dashboard-ui.e2e-spec.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { API_CSP, HSTS, PAGE_CSP } from '../../libs/platform/src/http/security-headers';
import { adminToken, type Api, type Reply, tokenFor } from '../support/http';
import { ROOT } from '../support/processes';
import { startTestSystem, type TestSystem } from '../support/test-system';

const CHROMIUM = '/usr/bin/chromium';
let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});

afterAll(async () => {
  await t?.close();
});

const FIXED = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function expectSecurityHeaders(reply: Reply, api: boolean): void {
  const got = Object.fromEntries(Object.keys(FIXED).map((h) => [h, reply.headers.get(h)]));
  expect(got).toEqual(FIXED);
  // Express's own 404 page (a GET outside /api/v1 that nothing serves) replaces ours with the
  // stricter `default-src 'none'`: nothing may load from that page, which is stricter still.
  const express404 = !api && reply.status === 404 && reply.contentType.startsWith('text/html');
  expect(reply.headers.get('content-security-policy')).toBe(
    api ? API_CSP : express404 ? "default-src 'none'" : PAGE_CSP,
  );
  if (api) expect(reply.headers.get('cache-control')).toMatch(/^no-store\b/); // SSE: no-store, no-transform
  expect(reply.headers.get('strict-transport-security')).toBeNull(); // plain http
  expect(reply.headers.get('x-powered-by')).toBeNull();
}

type Sample = [string, number, (api: Api) => Promise<Reply>];
const admin = () => t.api;
const anonymous = () => t.api.as(null);
const SAMPLE: Sample[] = [
  ['GET /api/v1/projections (200)', 200, () => admin().get('/api/v1/projections')],
  ['GET /api/v1/events (200)', 200, () => admin().get('/api/v1/events')],
  ['POST /api/v1/orders, invalid (400)', 400, () => admin().post('/api/v1/orders', { nonsense: true })],
  ['POST /api/v1/orders, malformed JSON (400)', 400, () => admin().post('/api/v1/orders', '{"orderId":')],
  ['GET /api/v1/projections without a token (401)', 401, () => anonymous().get('/api/v1/projections')],
  [
    'GET /api/v1/projections as a rep (403)',
    403,
    () =>
      anonymous()
        .as(tokenFor({ roles: ['rep'] }))
        .get('/api/v1/projections'),
  ],
  ['GET /api/v1/no-such-route (404)', 404, () => admin().get('/api/v1/no-such-route')],
  ['GET /api/v1/orders/none/track-to-cash (404)', 404, () => admin().get('/api/v1/orders/none/track-to-cash')],
  [
    'POST /api/v1/orders over 1 MB (413)',
    413,
    () => admin().post('/api/v1/orders', { orderId: 'big', pad: 'x'.repeat(1_100_000) }),
  ],
  ['GET /api/v1/events/stream (SSE, 200)', 200, () => admin().get('/api/v1/events/stream')],
];
const PAGES: Sample[] = [
  ['GET /health (200)', 200, () => anonymous().get('/health')],
  ['GET /metrics (200)', 200, () => anonymous().get('/metrics')],
  ['POST /health (405 or 404)', -1, () => anonymous().post('/health', {})],
  ['GET /docs (Swagger UI)', 200, () => anonymous().get('/docs')],
  ['GET /docs-json', 200, () => anonymous().get('/docs-json')],
  ['GET /no-such-page (404)', 404, () => anonymous().get('/no-such-page')],
];

describe('every answer carries the security headers', () => {
  it.each(SAMPLE)('%s: the API headers and Cache-Control: no-store', async (_name, status, send) => {
    const reply = await send(t.api);
    expect(reply.status).toBe(status);
    expectSecurityHeaders(reply, true);
  });

  it.each(PAGES)('%s: the page headers', async (_name, status, send) => {
    const reply = await send(t.api);
    if (status > 0) expect(reply.status).toBe(status);
    else expect([404, 405]).toContain(reply.status);
    expectSecurityHeaders(reply, false);
  });

  const web = existsSync(join(ROOT, 'dist', 'web', 'index.html'));
  (web ? it : it.skip)('the dashboard and its assets (dist/web) carry them, no-store is for the API only', async () => {
    for (const path of ['/', '/index.html', '/app.js', '/styles.css']) {
      const reply = await anonymous().get(path);
      expect([path, reply.status]).toEqual([path, 200]);
      expectSecurityHeaders(reply, false);
    }
  });

  it('Strict-Transport-Security only when the request came over https (the TLS proxy says so)', async () => {
    const overHttps = await admin().get('/api/v1/projections', { 'x-forwarded-proto': 'https' });
    expect(overHttps.headers.get('strict-transport-security')).toBe(HSTS);
    const error = await anonymous().get('/api/v1/projections', { 'x-forwarded-proto': 'https' });
    expect([error.status, error.headers.get('strict-transport-security')]).toEqual([401, HSTS]);
    const plain = await admin().get('/api/v1/projections', { 'x-forwarded-proto': 'http' });
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});

const browserSuite =
  existsSync(CHROMIUM) && existsSync(join(ROOT, 'dist', 'web', 'index.html')) ? describe : describe.skip;

browserSuite('the page CSP in Chromium: the dashboard and Swagger UI work under it', () => {
  it('loads the signed-in dashboard and /docs with no CSP violation', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      page.on('pageerror', (e) => violations.push(`pageerror: ${e.message}`));
      // securitypolicyviolation events, recorded in the page for the test to read (code run in the
      // page is a string: this project's type-check has no DOM library)
      await context.addInitScript({
        content:
          'window.cspViolations = []; document.addEventListener("securitypolicyviolation", ' +
          '(e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));',
      });
      const violationsIn = () => page.evaluate('window.cspViolations') as Promise<string[]>;

      await page.goto(`${t.system.url}/#token=${adminToken()}`);
      await page.waitForSelector('#page-title');
      // the figures fetched (connect-src), the charts drawn, the live feed open (SSE over fetch)
      await page.waitForSelector('[data-testid="card-collected"]:not(:empty)');
      await page.waitForSelector('[data-testid="trend-table"] tbody tr:nth-child(12)', { state: 'attached' });
      await page.waitForSelector('#live[data-state="live"]');
      expect(await page.locator('#page-title').textContent()).toBeTruthy();
      expect(await violationsIn()).toEqual([]);

      await page.goto(`${t.system.url}/docs`);
      await page.waitForSelector('.swagger-ui .info .title');
      await page.waitForSelector('.opblock'); // the operations rendered from the embedded document
      expect(await page.locator('.opblock').count()).toBeGreaterThan(30);
      expect(await violationsIn()).toEqual([]);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
