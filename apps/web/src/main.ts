/**
 * The sales dashboard: a single page served by the API process at `/`, reading the read-model API
 * only (api.md). Hash routes:
 *
 *   #/overview?period=YYYY-MM&scope=company|team:<id>|salesperson:<id>|businessUnit:<id>&groupBy=salesperson|team
 *   #/orders?status=&salespersonId=&customerId=&asOf=YYYY-MM-DD   #/orders/<orderId>
 *   #/salespeople/<id>?period=YYYY-MM                              #/lineage/<entryId>
 *
 * Live: the page's data is fetched again whenever GET /api/v1/dashboard/updates reports a new
 * position, with X-Consistent-Position, so figures change without a reload.
 */
import { Api, ApiError, isAbort } from './api';
import { h, replace } from './dom';
import { type LiveState, LiveUpdates, maxPosition } from './live';
import { LineagePage } from './pages/lineage';
import { OrderPage, OrdersPage } from './pages/orders';
import { OverviewPage } from './pages/overview';
import { heading, loading, type Page, type PageContext, renderError, type Route } from './pages/page';
import { SalespersonPage } from './pages/salesperson';
import { renderSignIn } from './pages/sign-in';
import { isRepOnly, loadSession, mayOpenOverview, mayReadOrders, readsAll, type Session, signOut } from './session';

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const question = raw.indexOf('?');
  const path = question < 0 ? raw : raw.slice(0, question);
  const search = question < 0 ? '' : raw.slice(question + 1);
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, params: new URLSearchParams(search) };
}

/** Where a role starts: a rep on their own statement, others on the overview or the orders. */
export function homeRoute(session: Session): string | null {
  if (isRepOnly(session) && session.salespersonId) return `/salespeople/${encodeURIComponent(session.salespersonId)}`;
  if (mayOpenOverview(session)) return '/overview';
  if (mayReadOrders(session)) return '/orders';
  return null;
}

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Not live',
};

class App {
  private session: Session | null = null;
  private api: Api | null = null;
  private live: LiveUpdates | null = null;
  private page: Page | null = null;
  private pageAbort: AbortController | null = null;
  private navigations = 0;
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | null = null;
  private readonly loaded = new WeakSet<Page>();
  /** The newest position reported by the stream: every later load reads at least that far. */
  private position: string | null = null;

  private readonly main: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly who: HTMLElement;
  private readonly liveStatus: HTMLElement;

  constructor() {
    this.main = document.getElementById('main') as HTMLElement;
    this.nav = document.getElementById('nav') as HTMLElement;
    this.who = document.getElementById('who') as HTMLElement;
    this.liveStatus = document.getElementById('live') as HTMLElement;
    document.getElementById('skip')?.addEventListener('click', (event) => {
      event.preventDefault();
      (document.getElementById('page-title') ?? this.main).focus();
    });
    window.addEventListener('hashchange', () => void this.route());
  }

  start(): void {
    this.session = loadSession();
    if (!this.session) {
      this.showSignIn();
      return;
    }
    this.boot(this.session);
  }

  private showSignIn(reason?: string): void {
    this.live?.stop();
    this.live = null;
    this.page?.destroy?.();
    this.page = null;
    this.session = null;
    replace(this.nav);
    replace(this.who);
    this.setLive('stopped', true);
    document.title = 'Sign in · Sales dashboard';
    renderSignIn(
      this.main,
      () => {
        this.session = loadSession();
        if (this.session) this.boot(this.session);
      },
      reason,
    );
  }

  private expired = (): void => {
    signOut();
    this.showSignIn('Your token was refused or has expired: sign in again.');
  };

  private boot(session: Session): void {
    this.api = new Api(session.token);
    this.api.onUnauthenticated = this.expired;
    this.renderChrome(session);
    this.live = new LiveUpdates(session.token, {
      onChange: (position) => this.onChange(position),
      onState: (state) => this.setLive(state),
      onUnauthenticated: this.expired,
    });
    this.live.start();
    void this.route();
  }

  private renderChrome(session: Session): void {
    const items: [string, string][] = [];
    if (mayOpenOverview(session)) items.push(['/overview', readsAll(session) ? 'Overview' : 'My team']);
    if (mayReadOrders(session)) items.push(['/orders', 'Orders']);
    if (session.salespersonId) {
      items.push([`/salespeople/${encodeURIComponent(session.salespersonId)}`, 'My statement']);
    }
    replace(
      this.nav,
      h(
        'ul',
        {},
        items.map(([route, text]) => h('li', {}, h('a', { href: `#${route}`, 'data-route': route }, text))),
      ),
    );
    const out = h('button', { type: 'button', className: 'link' }, 'Sign out');
    out.addEventListener('click', () => {
      signOut();
      history.replaceState(null, '', `${location.pathname}${location.search}#/`);
      this.showSignIn('Signed out.');
    });
    const roles = session.roles.join(', ') || 'no role';
    const scope = session.teamId
      ? ` · team ${session.teamId}`
      : session.salespersonId
        ? ` · ${session.salespersonId}`
        : '';
    replace(this.who, h('span', { className: 'user' }, `${session.sub} (${roles}${scope})`), ' ', out);
  }

  private setLive(state: LiveState, hidden = false): void {
    this.liveStatus.dataset['state'] = state;
    this.liveStatus.hidden = hidden;
    if (this.liveStatus.textContent !== LIVE_TEXT[state]) this.liveStatus.textContent = LIVE_TEXT[state];
  }

  private markCurrent(route: Route): void {
    const path = `/${route.segments.map(encodeURIComponent).join('/')}`;
    for (const a of this.nav.querySelectorAll<HTMLAnchorElement>('a[data-route]')) {
      const target = a.dataset['route'] ?? '';
      const current = path === target || (target !== '/' && path.startsWith(`${target}/`));
      if (current) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  }

  private createPage(ctx: PageContext): Page | null {
    const [first, second, ...rest] = ctx.route.segments;
    if (rest.length > 0) return null;
    if (first === 'overview' && second === undefined) return new OverviewPage(ctx);
    if (first === 'orders') return second === undefined ? new OrdersPage(ctx) : new OrderPage(ctx, second);
    if (first === 'salespeople' && second !== undefined) return new SalespersonPage(ctx, second);
    if (first === 'lineage' && second !== undefined) return new LineagePage(ctx, second);
    return null;
  }

  private async route(): Promise<void> {
    const session = this.session;
    const api = this.api;
    if (!session || !api) return;
    const route = parseRoute(location.hash);
    if (route.segments.length === 0) {
      const home = homeRoute(session);
      if (home) {
        location.replace(`#${home}`);
        return;
      }
      replace(
        this.main,
        heading('Sales dashboard'),
        h(
          'p',
          { role: 'alert', className: 'notice' },
          'Your role has no dashboard pages. The dashboard is for sales managers, reps, finance, sales operations and compliance.',
        ),
      );
      return;
    }
    // Keep the focus on a control that changed the route (a select, the period); otherwise the
    // new page's heading takes it, so screen readers start there.
    const active = document.activeElement;
    const focusId = active && this.main.contains(active) && active.id && active.id !== 'page-title' ? active.id : null;
    this.page?.destroy?.();
    this.pageAbort?.abort();
    const abort = new AbortController();
    this.pageAbort = abort;
    const ctx: PageContext = {
      api,
      session,
      route,
      main: this.main,
      signal: abort.signal,
      focusId,
      navigate: (to) => {
        location.hash = `#${to}`;
      },
    };
    const page = this.createPage(ctx);
    this.page = page;
    this.markCurrent(route);
    const first = this.navigations++ === 0;
    if (!page) {
      renderError(this.main, new ApiError(404, { title: 'Not found', detail: 'There is no such page.' }));
      return;
    }
    document.title = `${page.title} · Sales dashboard`;
    if (!this.main.querySelector('#page-title') || !focusId) loading(this.main, page.title);
    await this.schedule();
    if (abort.signal.aborted) return;
    const focus =
      (focusId && document.getElementById(focusId)) || (first ? null : document.getElementById('page-title'));
    focus?.focus();
  }

  /** A new position (or a reconnection): load the page again at the newest position. */
  private onChange(position: string | null): void {
    this.position = maxPosition(this.position, position);
    void this.schedule();
  }

  /**
   * Loads run one at a time, in order, so an older answer never overwrites a newer one; changes
   * that arrive meanwhile collapse into one more load of whatever page is shown then.
   */
  private schedule(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.chain.then(() => {
      this.queued = null;
      return this.loadCurrent();
    });
    this.queued = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async loadCurrent(): Promise<void> {
    const page = this.page;
    const signal = this.pageAbort?.signal;
    if (!page || !signal || signal.aborted) return;
    const loaded = this.loaded.has(page);
    if (loaded && page.live === false) return;
    try {
      await page.load(this.position);
      this.loaded.add(page);
      document.body.dataset['position'] = this.position ?? '';
      if (this.live?.current === 'live') this.setLive('live');
    } catch (error) {
      if (signal.aborted || isAbort(error)) return;
      if (!loaded || (error instanceof ApiError && (error.forbidden || error.status === 404))) {
        renderError(this.main, error);
      } else {
        this.liveStatus.textContent = `${LIVE_TEXT.live} (the last refresh failed; retrying with the next event)`;
      }
    }
  }
}

new App().start();
