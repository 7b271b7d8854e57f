/**
 * The web dashboard in a real browser (issue 6): playwright-core drives Debian's Chromium
 * (/usr/bin/chromium, no browser download) against the real server on demo data (the built
 * `seed:demo` with a small order count). Checks that the overview shows exactly the figures the
 * API answers, that a payment posted through the API moves the collected card live (no reload),
 * that a rep cannot open another rep's page, and that the orders, an order's timeline, a
 * salesperson's statement and a lineage render. Screenshots of every page at laptop and phone
 * widths go to test/artifacts/ (git-ignored). `npm run build` first (it builds dist/web).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startSystem, type RunningSystem } from '../../libs/bootstrap/src/system';
import { readSettings } from '../../libs/platform/src/config/settings';
import { buildDemoCompany, type DemoCompany, LAST_DAY } from '../../tools/seed-demo/demo-company';
import { adminToken, Api, TEST_SECRET, tokenFor } from '../support/http';
import { ROOT, runTool } from '../support/processes';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const ORDERS = 150;
const SEED = 42;
const PERIOD = '2026-10';
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

interface Row {
  key: string;
  currency: string;
  target: number | null;
  achieved: number;
  attainmentBps: number | null;
  collected: number;
  outstanding: number;
  overdue: number;
  commissionEarned: number;
  clawedBack: number;
  sellIn: number;
}

/** Independent of the app's formatting code: Intl on major units (the demo is in USD). */
const usd = (minor: number | bigint) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(minor) / 100);
const percent = (bps: bigint | number | null) => (bps === null ? '—' : `${(Number(bps) / 100).toFixed(2)}%`);
const floorBps = (n: bigint, d: bigint) => (d === 0n ? null : (n * 10000n) / d);

/** The ten cards as the overview must show them for these rows (summed when several). */
type Cards = Record<
  | 'target'
  | 'achieved'
  | 'attainmentBps'
  | 'collected'
  | 'collectionRateBps'
  | 'outstanding'
  | 'overdue'
  | 'commissionEarned'
  | 'clawedBack'
  | 'sellIn',
  string
>;

function expectedCards(rows: readonly Row[]): Cards {
  const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + BigInt(f(r)), 0n);
  const withTarget = rows.filter((r) => r.target !== null);
  const target = withTarget.length ? sum((r) => r.target ?? 0) : null;
  const achieved = sum((r) => r.achieved);
  const collected = sum((r) => r.collected);
  const outstanding = sum((r) => r.outstanding);
  const attainment = rows.length === 1 ? rows[0]!.attainmentBps : target === null ? null : floorBps(achieved, target);
  return {
    target: target === null ? '—' : usd(target),
    achieved: usd(achieved),
    attainmentBps: percent(attainment),
    collected: usd(collected),
    collectionRateBps: percent(floorBps(collected, collected + outstanding)),
    outstanding: usd(outstanding),
    overdue: usd(sum((r) => r.overdue)),
    commissionEarned: usd(sum((r) => r.commissionEarned)),
    clawedBack: usd(sum((r) => r.clawedBack)),
    sellIn: usd(sum((r) => r.sellIn)),
  };
}

/** GET /api/v1/dashboard/collection-kpis figures (a row or the totals of a currency). */
interface KpiFigures {
  key?: string;
  currency: string;
  due: number;
  collectedToDate: number;
  collectionRateBps: number | null;
  onTimeRateBps: number | null;
  dsoDays: number | null;
  averageDaysToPay: number | null;
}
const days = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

/** The collection KPI cards as the overview must show them for these figures. */
function expectedKpiCards(f: KpiFigures): Record<string, string> {
  return {
    collectionRateBps: percent(f.collectionRateBps),
    onTimeRateBps: percent(f.onTimeRateBps),
    dsoDays: f.dsoDays === null ? '—' : `${days(f.dsoDays)} days`,
    averageDaysToPay: f.averageDaysToPay === null ? '—' : `${days(f.averageDaysToPay)} days`,
    due: usd(f.due),
    collectedToDate: usd(f.collectedToDate),
  };
}

async function kpiCardsOf(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-testid^="kpicard-"]', (dds) =>
    Object.fromEntries(dds.map((dd) => [dd.getAttribute('data-testid')!.slice(8), dd.textContent ?? ''])),
  );
}

async function cardsOf(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-testid^="card-"]', (dds) =>
    Object.fromEntries(dds.map((dd) => [dd.getAttribute('data-testid')!.slice(5), dd.textContent ?? ''])),
  );
}

// Code run in the page is passed as strings: this project's type-check has no DOM library.
const js = JSON.stringify;
const goTo = (page: Page, route: string) => page.evaluate(`location.hash = ${js(route)}`);
const activeElement = (page: Page, property: 'id' | 'textContent') =>
  page.evaluate(`document.activeElement?.${property} ?? null`);
/**
 * Waits until `expression` is true in the page. Polled from here with page.evaluate (run over the
 * DevTools protocol): page.waitForFunction evaluates its predicate with eval inside the page, which
 * the dashboard's Content-Security-Policy (no 'unsafe-eval') rightly refuses.
 */
async function until(page: Page, expression: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await page.evaluate(expression)) !== true) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const cardIs = (page: Page, text: string, timeout = 10_000) =>
  until(page, `document.querySelector('[data-testid="card-collected"]')?.textContent === ${js(text)}`, timeout);

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`dashboard-ui: SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium; CI installs it)`);
}
const suite = haveChromium ? describe : describe.skip;

suite('web dashboard in Chromium', () => {
  let db: TestDatabase;
  let system: RunningSystem;
  let api: Api;
  let browser: Browser;
  let company: DemoCompany;
  let consistent: Record<string, string>;
  const contexts: BrowserContext[] = [];

  /** A fresh browser context (its own sessionStorage) signed in with `token` through the #token= link. */
  async function signedIn(token: string, route: string, viewport = VIEWPORTS[0]): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${system.url}/#token=${token}`);
    await page.waitForSelector('#page-title');
    expect(page.url()).not.toContain('token='); // taken out of the address at once
    await goTo(page, route);
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const { width, height } = page.viewportSize()!;
    await page.screenshot({ path: join(ARTIFACTS, `dashboard-${name}-${width}x${height}.png`), fullPage: true });
  }

  /** Screenshots of the page at both widths (the second one resized in place). */
  async function screenshots(page: Page, name: string, ready: string): Promise<void> {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.waitForSelector(ready);
      await screenshot(page, name);
    }
    await page.setViewportSize(VIEWPORTS[0]);
  }

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'web', 'index.html'))) {
      throw new Error('dist/web is missing: run `npm run build` first (npm run test:e2e does)');
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    db = await createTestDatabase();
    system = await startSystem({
      role: 'all',
      settings: { ...readSettings({}), rateLimitPerSecond: 0, databaseUrl: db.url, authJwtSecret: TEST_SECRET },
      port: 0,
      logger: false,
    });
    api = new Api(system.url!, adminToken());
    const seed = await runTool('seed-demo', [
      '--url',
      system.url!,
      '--token',
      adminToken(),
      '--orders',
      String(ORDERS),
      '--seed',
      String(SEED),
    ]);
    if (seed.code !== 0) throw new Error(`seed:demo failed:\n${seed.output}`);
    company = buildDemoCompany({ seed: SEED, orders: ORDERS });
    const head = await api.get<{ items: { headPosition: string | null }[] }>('/api/v1/projections');
    consistent = { 'X-Consistent-Position': head.body.items[0]!.headPosition ?? '0' };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await system?.close();
    await db?.drop();
  });

  it('serves the dashboard at / with its assets from the same process, nothing from elsewhere', async () => {
    const index = await fetch(`${system.url}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    expect(html).toContain('<script src="app.js"');
    expect(html).not.toMatch(/https?:\/\//);
    const page = await signedIn(adminToken(), `/overview?period=${PERIOD}`);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.reload();
    await page.waitForSelector('[data-testid="card-collected"]:not(:empty)');
    expect(requested.filter((url) => !url.startsWith(system.url!))).toEqual([]);
  });

  it('overview: the cards show exactly the figures the API answers, for a team and for the company', async () => {
    const teams = await api.get<{ items: Row[] }>(`/api/v1/dashboard?period=${PERIOD}&groupBy=team`, consistent);
    expect(teams.status).toBe(200);
    const north = teams.body.items.filter((r) => r.key === 'north');
    expect(north).toHaveLength(1);

    const page = await signedIn(adminToken(), `/overview?period=${PERIOD}&scope=team:north`);
    const team = expectedCards(north);
    await cardIs(page, team.collected);
    expect(await cardsOf(page)).toEqual(team);
    expect(await page.textContent('#figures-title')).toBe('Team north, Oct 2026');
    // The leaderboard ranks every salesperson by attainment; the aging chart has its table.
    const people = await api.get<{ items: Row[] }>(
      `/api/v1/dashboard?period=${PERIOD}&groupBy=salesperson`,
      consistent,
    );
    // The leaderboard loads after the cards: wait for it to be filled before counting its rows.
    await until(
      page,
      `document.querySelectorAll('[data-testid="leaderboard"] tbody tr').length === ${people.body.items.length}`,
    ).catch(() => undefined);
    const ranks = await page.$$eval('[data-testid="leaderboard"] tbody tr', (rows) => rows.length);
    expect(ranks).toBe(people.body.items.length);
    await page.waitForSelector('[data-testid="trend-table"] tbody tr:nth-child(12)', { state: 'attached' });
    await screenshots(page, 'overview-team', '[data-testid="card-collected"]:not(:empty)');

    await page.focus('#scope'); // as a keyboard user would change it
    await page.selectOption('#scope', 'company');
    const all = expectedCards(teams.body.items);
    await cardIs(page, all.collected);
    expect(await cardsOf(page)).toEqual(all);
    expect(await activeElement(page, 'id')).toBe('scope'); // focus stays on the control
    await page.waitForSelector('[data-testid="trend-table"] tbody tr:nth-child(12)', { state: 'attached' });
    await screenshots(page, 'overview', '[data-testid="card-collected"]:not(:empty)');
  });

  it('collection KPIs: the cards and the table per customer and per team show exactly what the API answers', async () => {
    const kpis = (groupBy: string) =>
      api.get<{ items: KpiFigures[]; totals: KpiFigures[] }>(
        `/api/v1/dashboard/collection-kpis?period=${PERIOD}&groupBy=${groupBy}`,
        consistent,
      );
    const teams = await kpis('team');
    expect(teams.status).toBe(200);
    expect(teams.body.totals).toHaveLength(1); // the demo is in USD
    const company = expectedKpiCards(teams.body.totals[0]!);
    // the demo has invoices due and paid in the period: the KPIs are real figures, not dashes
    expect(teams.body.totals[0]!.due).toBeGreaterThan(0);
    expect(company.collectionRateBps).not.toBe('—');

    const page = await signedIn(adminToken(), `/overview?period=${PERIOD}&scope=company`);
    await until(
      page,
      `document.querySelector('[data-testid="kpicard-collectionRateBps"]')?.textContent === ${js(company.collectionRateBps)}`,
    );
    expect(await kpiCardsOf(page)).toEqual(company);

    const rowsOf = () =>
      page.$$eval('[data-testid="kpi-table"] tbody tr', (trs) =>
        trs.map((tr) => Array.from(tr.children, (c) => (c as { textContent: string | null }).textContent ?? '')),
      );
    const expectedRows = (items: KpiFigures[]) =>
      items.map((r) => [
        r.key,
        usd(r.due),
        usd(r.collectedToDate),
        percent(r.collectionRateBps),
        percent(r.onTimeRateBps),
        days(r.dsoDays),
        days(r.averageDaysToPay),
      ]);
    const customers = await kpis('customer');
    await until(
      page,
      `document.querySelector('[data-testid="kpi-table"]')?.getAttribute('data-group-by') === 'customer'`,
    );
    expect(customers.body.items.length).toBeGreaterThan(1);
    expect(await rowsOf()).toEqual(expectedRows(customers.body.items));

    await page.selectOption('#kpiBy', 'team');
    await until(page, `document.querySelector('[data-testid="kpi-table"]')?.getAttribute('data-group-by') === 'team'`);
    expect(await rowsOf()).toEqual(expectedRows(teams.body.items));
    await screenshots(page, 'overview-kpis', '[data-testid="kpi-table"]');
  });

  it('live: a payment posted through the API changes the collected card without a reload', async () => {
    const period = LAST_DAY.slice(0, 7);
    const asOf = `${LAST_DAY}T23:59:59Z`;
    const open = await api.get<{ items: { orderId: string; receivable: number }[] }>(
      `/api/v1/track-to-cash?status=OVERDUE&asOf=${asOf}&limit=50`,
      consistent,
    );
    const order = open.body.items.find((o) => o.receivable >= 10_000);
    expect(order).toBeDefined();

    const page = await signedIn(adminToken(), `/overview?period=${period}&scope=company`);
    await page.waitForSelector('[data-testid="trend-table"] tbody tr:nth-child(12)', { state: 'attached' });
    await page.waitForSelector('#live[data-state="live"]');
    const before = await page.textContent('[data-testid="card-collected"]');
    await page.evaluate('window.notReloaded = true');

    const started = Date.now();
    const paid = await api.post<{ position: string }>(`/api/v1/orders/${order!.orderId}/payments`, {
      paymentId: 'ui-live-payment',
      amount: { amount: 10_000, currency: 'USD' },
      receivedAt: `${LAST_DAY}T12:00:00Z`,
    });
    expect(paid.status).toBe(201);
    const after = await api.get<{ items: Row[] }>(`/api/v1/dashboard?period=${period}&groupBy=team`, {
      'X-Consistent-Position': paid.body.position,
    });
    const expected = expectedCards(after.body.items).collected;
    expect(expected).not.toBe(before);
    await cardIs(page, expected);
    const elapsed = Date.now() - started;
    console.log(`dashboard-ui: the collected card changed ${elapsed} ms after the payment was posted`);
    expect(elapsed).toBeLessThan(3_000); // about half a second here; generous for a loaded CI machine
    expect(await page.evaluate('window.notReloaded')).toBe(true); // the same document all along
    await screenshot(page, 'overview-live');
  });

  it('roles: a rep lands on their own statement and may not open another rep’s page', async () => {
    const reps = company.people.filter((p) => p.managerId !== null && p.terminatedOn === null);
    const me = reps[0]!;
    const other = reps.find((p) => p.salespersonId !== me.salespersonId)!;
    const token = tokenFor({ sub: me.salespersonId, roles: ['rep'], salespersonId: me.salespersonId });

    const page = await signedIn(token, '/');
    await page.waitForSelector('[data-testid="statement-closing"]:not(:empty)');
    expect(page.url()).toContain(`#/salespeople/${me.salespersonId}`);
    expect(await page.$$eval('#nav a', (as) => as.map((a) => a.textContent))).toEqual(['Orders', 'My statement']);

    await goTo(page, `/salespeople/${other.salespersonId}?period=${PERIOD}`);
    const alert = await page.waitForSelector('[role="alert"][data-testid="forbidden"]');
    expect(await alert.textContent()).toContain('You may not see this page');
    expect(await page.textContent('main')).not.toContain('Closing balance');
    await screenshots(page, 'forbidden', '[data-testid="forbidden"]');

    await goTo(page, '/overview');
    await page.waitForSelector('[data-testid="forbidden"]');
  });

  it('orders: overdue first, paginated, and one order’s timeline of milestones', async () => {
    const page = await signedIn(adminToken(), `/orders?asOf=${LAST_DAY}`);
    await page.waitForSelector('[data-testid="orders"] tbody tr');
    const statuses = await page.$$eval('[data-testid="orders"] tbody tr td:nth-child(3)', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(statuses[0]).toBe('Overdue');
    const days = await page.$$eval('[data-testid="orders"] tbody tr td:last-child', (tds) =>
      tds.map((td) => Number(td.textContent) || 0),
    );
    expect(days).toEqual([...days].sort((a, b) => b - a));
    await screenshots(page, 'orders', '[data-testid="orders"] tbody tr');

    const orderId = (await page.textContent('[data-testid="orders"] tbody tr th a'))!;
    await page.click('[data-testid="orders"] tbody tr th a');
    await page.waitForSelector('[data-testid="timeline"] li');
    const order = await api.get<{ milestones: unknown[] }>(`/api/v1/orders/${orderId}/track-to-cash`, consistent);
    expect(await page.$$eval('[data-testid="timeline"] li', (lis) => lis.length)).toBe(order.body.milestones.length);
    expect(await page.textContent('#page-title')).toBe(`Order ${orderId}`);
    await screenshots(page, 'order-timeline', '[data-testid="timeline"] li');
  });

  it('salesperson: the statement with every entry explained, clawbacks, and each entry’s lineage', async () => {
    const { salespersonId, period } = company.highlight;
    const ledger = await api.get<{ closing: number; currency: string; entries: { entryId: string }[] }>(
      `/api/v1/salespeople/${salespersonId}/ledger?period=${period}`,
      consistent,
    );
    const page = await signedIn(adminToken(), `/salespeople/${salespersonId}?period=${period}`);
    await page.waitForSelector('[data-testid="entries"] tbody tr[data-entry]');
    expect(await page.textContent('[data-testid="statement-closing"]')).toBe(usd(ledger.body.closing));
    const rows = await page.$$eval('[data-testid="entries"] tbody tr[data-entry]', (trs) =>
      trs.map((tr) => ({
        entryId: tr.getAttribute('data-entry'),
        explained: (tr.querySelector('.explanation')?.textContent ?? '').length > 10,
        lineage: tr.querySelector('a[href^="#/lineage/"]')?.getAttribute('href'),
      })),
    );
    expect(rows).toEqual(
      ledger.body.entries.map((e) => ({ entryId: e.entryId, explained: true, lineage: `#/lineage/${e.entryId}` })),
    );
    await page.waitForSelector('[data-testid="clawbacks"]');
    await screenshots(page, 'salesperson', '[data-testid="entries"] tbody tr');

    await page.click('[data-testid="entries"] tbody tr[data-entry] a[href^="#/lineage/"]');
    const check = await page.waitForSelector('[data-testid="lineage-check"]');
    expect(await check.textContent()).toBe('The recomputation matches the stored amount');
    expect(await page.textContent('[data-testid="lineage-source"]')).toContain('test-admin'); // the seed's actor
    await screenshots(page, 'lineage', '[data-testid="lineage-check"]');
  });

  it('salesperson on a plan with a holdback: held back, released and payable as the ledger answers them', async () => {
    const people = await api.get<{ items: Row[] }>(
      `/api/v1/dashboard?period=${PERIOD}&groupBy=salesperson`,
      consistent,
    );
    interface Held {
      closing: number;
      released: number;
      heldBalance: number;
      payable: number;
    }
    let found: { salespersonId: string; ledger: Held } | null = null;
    for (const { key } of people.body.items) {
      const ledger = await api.get<Held>(`/api/v1/salespeople/${key}/ledger?period=${PERIOD}`, consistent);
      if (ledger.body.heldBalance > 0) {
        found = { salespersonId: key, ledger: ledger.body };
        break;
      }
    }
    expect(found).not.toBeNull(); // the demo company has reps and managers on plans with a holdback
    const page = await signedIn(adminToken(), `/salespeople/${found!.salespersonId}?period=${PERIOD}`);
    await page.waitForSelector('[data-testid="statement-payable"]');
    const { ledger } = found!;
    expect(ledger.payable).toBe(ledger.closing - ledger.heldBalance);
    expect(await page.textContent('[data-testid="statement-heldBalance"]')).toBe(usd(ledger.heldBalance));
    expect(await page.textContent('[data-testid="statement-released"]')).toBe(usd(ledger.released));
    expect(await page.textContent('[data-testid="statement-payable"]')).toBe(usd(ledger.payable));
  });

  it('accessibility basics: landmarks, a label for every control, keyboard reachable, a sign-in form', async () => {
    const page = await signedIn(adminToken(), `/orders`);
    await page.waitForSelector('[data-testid="orders"] tbody tr');
    const landmarks = await page.$$eval('body > header, body > header > nav, body > main, body > footer', (els) =>
      els.map((e) => `${e.tagName}${e.getAttribute('aria-label') ? `:${e.getAttribute('aria-label')}` : ''}`),
    );
    expect(landmarks).toEqual(['HEADER', 'NAV:Main', 'MAIN', 'FOOTER']);
    const unlabelled = await page.$$eval('main input, main select, main textarea', (controls) =>
      controls.filter((c) => (c as unknown as { labels: { length: number } }).labels.length === 0).map((c) => c.id),
    );
    expect(unlabelled).toEqual([]);
    await page.reload(); // still signed in (sessionStorage), and the skip link is the first stop
    await page.waitForSelector('[data-testid="orders"] tbody tr');
    await page.keyboard.press('Tab');
    expect(await activeElement(page, 'textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await activeElement(page, 'id')).toBe('page-title');

    await page.click('text=Sign out');
    await page.waitForSelector('textarea#token');
    await page.fill('#token', 'not a token');
    await page.click('button[type="submit"]');
    expect(await page.textContent('#token-error')).toContain('not a JWT');
    await screenshots(page, 'sign-in', '#token');
    await page.fill('#token', adminToken());
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="card-collected"]');
  });
});
