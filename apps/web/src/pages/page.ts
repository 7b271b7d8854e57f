/** What every page gets and gives: the app mounts one page per route and refreshes it live. */
import { ApiError, type Api } from '../api';
import { h, replace, type Child } from '../dom';
import type { Session } from '../session';

export interface Route {
  /** The path segments after `#/`: `#/orders/O-1` → ['orders', 'O-1']. */
  readonly segments: readonly string[];
  readonly params: URLSearchParams;
}

export interface PageContext {
  readonly api: Api;
  readonly session: Session;
  readonly route: Route;
  /** The <main> element the page renders into. */
  readonly main: HTMLElement;
  /** Aborted when the reader leaves the page. */
  readonly signal: AbortSignal;
  /** The id of the control that changed the route (a select, the period), to focus again on the new page. */
  readonly focusId: string | null;
  /** Goes to another route (`/orders?status=PAID`). */
  readonly navigate: (route: string) => void;
}

export interface Page {
  /** The document title for this page. */
  readonly title: string;
  /** False for pages whose data never changes (a lineage): live updates leave them alone. */
  readonly live?: boolean;
  /**
   * Fetches the page's data and renders it. `position`: read at least this global position
   * (a live update); null on the first load.
   */
  load(position: string | null): Promise<void>;
  destroy?(): void;
}

/** `#/path?query` for a route with parameters, skipping empty ones. */
export function routeOf(path: string, params: Record<string, string | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const search = query.toString();
  return `${path}${search ? `?${search}` : ''}`;
}

/** The page heading: focused after navigation (tabindex -1) so screen readers start there. */
export function heading(text: string, ...extra: Child[]): HTMLHeadingElement {
  return h('h1', { id: 'page-title', tabindex: -1 }, text, ...extra);
}

/** "You may not see this page" (403, or a page the role has no access to). */
export function forbidden(main: HTMLElement, detail?: string): void {
  replace(
    main,
    heading('Not allowed'),
    h(
      'div',
      { role: 'alert', className: 'notice notice-error', 'data-testid': 'forbidden' },
      h('p', {}, h('strong', {}, 'You may not see this page.')),
      h('p', {}, detail ?? 'Your role does not give access to these figures.'),
      h('p', {}, h('a', { href: '#/' }, 'Go to your start page')),
    ),
  );
}

/** Renders a failed load: 403 as forbidden, anything else as an error with the problem's detail. */
export function renderError(main: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.forbidden) {
    forbidden(main, error.problem.detail);
    return;
  }
  const notFound = error instanceof ApiError && error.status === 404;
  const detail =
    error instanceof ApiError
      ? `${error.problem.title ?? `HTTP ${error.status}`}${error.problem.detail ? `: ${error.problem.detail}` : ''}`
      : error instanceof Error
        ? error.message
        : String(error);
  replace(
    main,
    heading(notFound ? 'Not found' : 'Something went wrong'),
    h('div', { role: 'alert', className: 'notice notice-error' }, h('p', {}, detail)),
    h('p', {}, h('a', { href: '#/' }, 'Go to your start page')),
  );
}

export function loading(main: HTMLElement, title: string): void {
  replace(main, heading(title), h('p', { className: 'loading', role: 'status' }, 'Loading…'));
}
