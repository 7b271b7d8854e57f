/**
 * The commands `npm run import` accepts: every command route of the HTTP API (../shared/spec/api.md)
 * whose handler decides on the event store alone. Pure: matching a line's method and path to its
 * command, and the streams a command will probably read (to load them in bulk before the batch).
 *
 * ClosePeriod is not importable: its handler waits for the commission-ledger projection and
 * records the statements read from it, which an import (projections not running) cannot do.
 */

export const IMPORTABLE_COMMANDS = [
  'CreatePlan',
  'RegisterSalesperson',
  'AssignPlan',
  'SetQuota',
  'TerminateSalesperson',
  'RegisterCustomer',
  'ReassignSalesCredits',
  'BookSale',
  'IssueInvoice',
  'ReceivePayment',
  'CancelOrder',
  'ReturnGoods',
  'WriteOffDebt',
  'PostAdjustment',
  'RecordPayout',
  'RegisterDistributor',
  'ReportSecondarySale',
  'RecalculateCommissions',
] as const;

export type ImportableCommand = (typeof IMPORTABLE_COMMANDS)[number];

export interface Route {
  readonly type: ImportableCommand | 'ClosePeriod';
  readonly method: 'POST' | 'PUT';
  /** Under /api/v1, with `:name` path parameters. */
  readonly template: string;
  readonly importable: boolean;
}

export const ROUTES: readonly Route[] = [
  { type: 'CreatePlan', method: 'POST', template: '/plans', importable: true },
  { type: 'RegisterSalesperson', method: 'POST', template: '/salespeople', importable: true },
  { type: 'AssignPlan', method: 'POST', template: '/salespeople/:id/plan-assignments', importable: true },
  { type: 'SetQuota', method: 'PUT', template: '/salespeople/:id/quotas/:year', importable: true },
  { type: 'TerminateSalesperson', method: 'POST', template: '/salespeople/:id/termination', importable: true },
  { type: 'RegisterCustomer', method: 'POST', template: '/customers', importable: true },
  { type: 'ReassignSalesCredits', method: 'POST', template: '/customers/:id/sales-credits', importable: true },
  { type: 'BookSale', method: 'POST', template: '/orders', importable: true },
  { type: 'IssueInvoice', method: 'POST', template: '/orders/:id/invoices', importable: true },
  { type: 'ReceivePayment', method: 'POST', template: '/orders/:id/payments', importable: true },
  { type: 'CancelOrder', method: 'POST', template: '/orders/:id/cancellations', importable: true },
  { type: 'ReturnGoods', method: 'POST', template: '/orders/:id/returns', importable: true },
  { type: 'WriteOffDebt', method: 'POST', template: '/orders/:id/write-offs', importable: true },
  { type: 'PostAdjustment', method: 'POST', template: '/salespeople/:id/adjustments', importable: true },
  { type: 'RecordPayout', method: 'POST', template: '/payouts', importable: true },
  { type: 'RegisterDistributor', method: 'POST', template: '/distributors', importable: true },
  {
    type: 'ReportSecondarySale',
    method: 'POST',
    template: '/distributors/:id/secondary-sales',
    importable: true,
  },
  {
    type: 'RecalculateCommissions',
    method: 'POST',
    template: '/salespeople/:id/recalculations',
    importable: true,
  },
  { type: 'ClosePeriod', method: 'POST', template: '/periods/:period/close', importable: false },
];

export interface RouteMatch {
  readonly route: Route;
  /** Path parameters, URI-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

const compiled = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.template.replace(/:([a-z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, names, pattern: new RegExp(`^${source}/?$`) };
});

/**
 * The route of `method path`; the path may start with `/api/v1` and may carry no query.
 * `null` when no command route has that path; `{ route, params }` with `methodAllowed: false`
 * when the path is a command's but the method is not.
 */
export function matchRoute(method: string, path: string): (RouteMatch & { readonly methodAllowed: boolean }) | null {
  const bare = path.startsWith('/api/v1/') ? path.slice('/api/v1'.length) : path;
  let pathOnly: RouteMatch | null = null;
  for (const { route, names, pattern } of compiled) {
    const m = pattern.exec(bare);
    if (!m) continue;
    const params: Record<string, string> = {};
    let decodable = true;
    names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1]!);
      } catch {
        decodable = false;
      }
    });
    if (!decodable) continue;
    if (route.method === method.toUpperCase()) return { route, params, methodAllowed: true };
    pathOnly ??= { route, params };
  }
  return pathOnly ? { ...pathOnly, methodAllowed: false } : null;
}

/** The HTTP path of a command (the inverse of matchRoute), for generators and messages. */
export function pathOf(type: Route['type'], params: Readonly<Record<string, string>> = {}): string {
  const route = ROUTES.find((r) => r.type === type);
  if (!route) throw new Error(`No route for ${type}`);
  return route.template.replace(/:([a-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${type} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * The streams a command's handler will most likely read, from its path and body alone: loaded in
 * one query per batch. Only a hint: a stream it misses is read when the handler asks for it.
 */
export function likelyStreams(type: Route['type'], params: Readonly<Record<string, string>>, body: unknown): string[] {
  const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out = new Set<string>();
  const add = (prefix: string, id: unknown) => {
    const s = str(id);
    if (s) out.add(`${prefix}-${s}`);
  };
  const credits = (v: unknown) => {
    if (Array.isArray(v))
      for (const c of v) add('salesperson', (c as { salespersonId?: unknown } | null)?.salespersonId);
  };
  const id = params.id;
  switch (type) {
    case 'CreatePlan':
      add('plan', b.planId);
      break;
    case 'RegisterSalesperson':
      add('salesperson', b.salespersonId);
      add('salesperson', b.managerId);
      break;
    case 'AssignPlan':
      add('salesperson', id);
      add('plan', b.planId);
      break;
    case 'SetQuota':
      add('salesperson', id);
      if (str(id) && params.year) {
        out.add(`quota-${id}.${Number(params.year)}${str(b.businessUnit) ? `.${str(b.businessUnit)}` : ''}`);
      }
      break;
    case 'TerminateSalesperson':
      add('salesperson', id);
      break;
    case 'RegisterCustomer':
      add('customer', b.customerId);
      credits(b.salesCredits);
      break;
    case 'ReassignSalesCredits':
      add('customer', id);
      credits(b.salesCredits);
      break;
    case 'BookSale':
      add('order', b.orderId);
      add('customer', b.customerId);
      credits(b.salesCredits);
      break;
    case 'PostAdjustment':
      add('salesperson', id);
      add('commission', id);
      out.add('periods-ledger');
      break;
    case 'RecordPayout':
      add('salesperson', b.salespersonId);
      add('commission', b.salespersonId);
      out.add('periods-ledger');
      break;
    case 'RegisterDistributor':
      add('customer', b.distributorId);
      credits(b.salesCredits);
      break;
    case 'ReportSecondarySale':
      add('secondary-sale', b.saleId);
      add('customer', id);
      break;
    case 'RecalculateCommissions':
      add('salesperson', id);
      add('commission', id);
      break;
    case 'ClosePeriod':
      break;
    default:
      add('order', id); // IssueInvoice, ReceivePayment, CancelOrder, ReturnGoods, WriteOffDebt
  }
  return [...out];
}
