/**
 * Orders: track-to-cash as a filterable, paginated table, overdue first. With no status chosen
 * the list runs in two phases: first every OVERDUE order (status=OVERDUE, most days overdue first
 * on each page), then the other orders (the API's order, overdue ones left out since they were
 * shown). Pages follow the API's cursors; Back returns to the previous page.
 */
import { field, h, link, replace, scrollBox } from '../dom';
import { formatDate, formatInstant, formatMoney, humanize } from '../format';
import { isRepOnly } from '../session';
import { ORDER_STATUSES, type Page as ApiPage, type TrackToCash } from '../types';
import { heading, type Page, type PageContext, routeOf } from './page';

export const PAGE_SIZE = 25;

type Phase = 'overdue' | 'rest';

export function statusBadge(status: string): HTMLElement {
  return h('span', { className: `badge status-${status.toLowerCase()}` }, humanize(status));
}

/** Overdue orders first, most days overdue first; otherwise the API's order. */
export function overdueFirst(items: readonly TrackToCash[]): TrackToCash[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.daysOverdue - a.item.daysOverdue || a.index - b.index)
    .map(({ item }) => item);
}

export class OrdersPage implements Page {
  readonly title = 'Orders';
  private readonly status: string;
  private readonly salespersonId: string;
  private readonly customerId: string;
  private readonly asOfDate: string;
  private readonly phase: Phase;
  private readonly cursor: string;
  private readonly pageNo: number;
  private readonly table = scrollBox('Orders table');
  private readonly pager = h('nav', { className: 'pager', 'aria-label': 'Pages' });
  private mounted = false;

  constructor(private readonly ctx: PageContext) {
    const p = ctx.route.params;
    const status = p.get('status') ?? '';
    this.status = (ORDER_STATUSES as readonly string[]).includes(status) ? status : '';
    // A rep's list is theirs whatever the address says (the API refuses anyone else's).
    this.salespersonId = isRepOnly(ctx.session) ? (ctx.session.salespersonId ?? '') : (p.get('salespersonId') ?? '');
    this.customerId = p.get('customerId') ?? '';
    this.asOfDate = /^\d{4}-\d{2}-\d{2}$/.test(p.get('asOf') ?? '') ? p.get('asOf')! : '';
    this.phase = p.get('phase') === 'rest' ? 'rest' : 'overdue';
    this.cursor = p.get('cursor') ?? '';
    this.pageNo = Math.max(1, Number(p.get('page') ?? '1') || 1);
  }

  private query(status: string, cursor: string) {
    return {
      status,
      salespersonId: this.salespersonId,
      customerId: this.customerId,
      asOf: this.asOfDate ? `${this.asOfDate}T23:59:59Z` : null,
      limit: PAGE_SIZE,
      cursor,
    };
  }

  async load(position: string | null): Promise<void> {
    const options = { position, signal: this.ctx.signal };
    const get = (status: string, cursor: string) =>
      this.ctx.api.get<ApiPage<TrackToCash>>('/track-to-cash', this.query(status, cursor), options);
    let phase: Phase = this.status ? 'rest' : this.phase;
    let answer: ApiPage<TrackToCash>;
    if (this.status) {
      answer = await get(this.status, this.cursor);
    } else if (phase === 'overdue') {
      answer = await get('OVERDUE', this.cursor);
      if (answer.items.length === 0 && !this.cursor) {
        phase = 'rest'; // nothing overdue: straight to the others
        answer = await get('', '');
      }
    } else {
      answer = await get('', this.cursor);
    }
    const items = !this.status && phase === 'rest' ? answer.items.filter((o) => o.status !== 'OVERDUE') : answer.items;
    this.mount();
    this.renderTable(overdueFirst(items), phase);
    this.renderPager(answer.nextCursor, phase);
  }

  private mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    const status = h(
      'select',
      { id: 'status', name: 'status' },
      h('option', { value: '', selected: this.status === '' }, 'All (overdue first)'),
      ORDER_STATUSES.map((s) => h('option', { value: s, selected: s === this.status }, humanize(s))),
    );
    const salesperson = h('input', {
      id: 'salespersonId',
      name: 'salespersonId',
      type: 'text',
      value: this.salespersonId,
      autocomplete: 'off',
      spellcheck: 'false',
      readonly: isRepOnly(this.ctx.session),
    });
    const customer = h('input', {
      id: 'customerId',
      name: 'customerId',
      type: 'text',
      value: this.customerId,
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const asOf = h('input', { id: 'asOf', name: 'asOf', type: 'date', value: this.asOfDate });
    const form = h(
      'form',
      { className: 'controls', 'aria-label': 'Filter orders' },
      field('Status', status),
      field('Salesperson id', salesperson, isRepOnly(this.ctx.session) ? 'Your own orders' : 'e.g. zoe.dubois'),
      field('Customer id', customer, 'e.g. C-0121'),
      field('As of', asOf, 'End of this day (UTC); empty: now'),
      h('div', { className: 'field actions' }, h('button', { type: 'submit' }, 'Apply filters')),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.ctx.navigate(
        routeOf('/orders', {
          status: status.value,
          salespersonId: salesperson.value.trim(),
          customerId: customer.value.trim(),
          asOf: asOf.value,
        }),
      );
    });
    replace(this.ctx.main, heading('Orders'), form, h('section', { className: 'panel' }, this.table, this.pager));
  }

  private renderTable(items: readonly TrackToCash[], phase: Phase): void {
    const what = this.status
      ? humanize(this.status).toLowerCase() + ' orders'
      : phase === 'overdue'
        ? 'overdue orders (shown first)'
        : 'other orders (not overdue)';
    replace(
      this.table,
      h(
        'table',
        { 'data-testid': 'orders' },
        h('caption', {}, `Track to cash: ${what}, page ${this.pageNo}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Order'),
            h('th', { scope: 'col' }, 'Customer'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col', className: 'num' }, 'Net'),
            h('th', { scope: 'col', className: 'num' }, 'Paid'),
            h('th', { scope: 'col', className: 'num' }, 'Receivable'),
            h('th', { scope: 'col' }, 'Due'),
            h('th', { scope: 'col', className: 'num' }, 'Days overdue'),
          ),
        ),
        h(
          'tbody',
          {},
          items.length === 0
            ? h('tr', {}, h('td', { colspan: 8 }, 'No orders match.'))
            : items.map((o) =>
                h(
                  'tr',
                  { className: o.status === 'OVERDUE' ? 'overdue' : null },
                  h(
                    'th',
                    { scope: 'row' },
                    link(`/orders/${encodeURIComponent(o.orderId)}`, o.orderId, {
                      'aria-label': `Order ${o.orderId}: timeline`,
                    }),
                  ),
                  h('td', {}, link(routeOf('/orders', { customerId: o.customerId }), o.customerId)),
                  h('td', {}, statusBadge(o.status)),
                  h('td', { className: 'num' }, formatMoney(o.net, o.currency)),
                  h('td', { className: 'num' }, formatMoney(o.paidNet, o.currency)),
                  h('td', { className: 'num' }, formatMoney(o.receivable, o.currency)),
                  h('td', {}, formatDate(o.dueDate)),
                  h('td', { className: 'num' }, o.daysOverdue > 0 ? String(o.daysOverdue) : '—'),
                ),
              ),
        ),
      ),
    );
  }

  private renderPager(nextCursor: string | null, phase: Phase): void {
    const base = {
      status: this.status,
      salespersonId: isRepOnly(this.ctx.session) ? '' : this.salespersonId,
      customerId: this.customerId,
      asOf: this.asOfDate,
    };
    let next: string | null = null;
    if (nextCursor) {
      next = routeOf('/orders', { ...base, phase, cursor: nextCursor, page: String(this.pageNo + 1) });
    } else if (!this.status && phase === 'overdue') {
      next = routeOf('/orders', { ...base, phase: 'rest', page: String(this.pageNo + 1) });
    }
    replace(
      this.pager,
      this.pageNo > 1 ? link(routeOf('/orders', base), 'First page', { className: 'button' }) : null,
      h('span', { className: 'page-no' }, `Page ${this.pageNo}`),
      next
        ? link(next, !nextCursor ? 'Next: orders not overdue' : 'Next page', { className: 'button', rel: 'next' })
        : h('span', { className: 'hint' }, 'Last page'),
    );
  }
}

const MILESTONE_LABEL: Record<string, string> = {
  BOOKED: 'Booked',
  INVOICED: 'Invoiced',
  PAYMENT: 'Payment received',
  CANCELLATION: 'Cancelled',
  RETURN: 'Returned',
  WRITE_OFF: 'Written off',
  PAID_IN_FULL: 'Paid in full',
};

/** One order: its figures and the timeline of its milestones. */
export class OrderPage implements Page {
  readonly title: string;
  private mounted = false;
  private readonly lead = h('p', { className: 'lead' });
  private readonly timeline = h('ol', { className: 'timeline', 'data-testid': 'timeline' });
  private readonly figures = h('dl', { className: 'pairs', 'aria-live': 'polite' });

  constructor(
    private readonly ctx: PageContext,
    private readonly orderId: string,
  ) {
    this.title = `Order ${orderId}`;
  }

  async load(position: string | null): Promise<void> {
    const o = await this.ctx.api.get<TrackToCash>(
      `/orders/${encodeURIComponent(this.orderId)}/track-to-cash`,
      {},
      { position, signal: this.ctx.signal },
    );
    const money = (v: number) => formatMoney(v, o.currency);
    const figures: [string, string][] = [
      ['Booked', money(o.booked)],
      ['Cancelled', money(o.cancelled)],
      ['Returned', money(o.returned)],
      ['Net', money(o.net)],
      ['Invoiced', money(o.invoiced)],
      ['Paid (net of refunds)', money(o.paidNet)],
      ['Refunded', money(o.refunded)],
      ['Written off', money(o.writtenOff)],
      ['Receivable', money(o.receivable)],
      ['Due date', formatDate(o.dueDate)],
      ['Days overdue', o.daysOverdue > 0 ? String(o.daysOverdue) : '—'],
      ['Days to cash', o.daysToCash === null ? '—' : String(o.daysToCash)],
    ];
    if (!this.mounted) {
      this.mounted = true;
      replace(
        this.ctx.main,
        heading(`Order ${o.orderId}`),
        this.lead,
        h(
          'div',
          { className: 'grid-2' },
          h(
            'section',
            { className: 'panel', 'aria-labelledby': 'timeline-title' },
            h('h2', { id: 'timeline-title' }, 'Timeline'),
            this.timeline,
          ),
          h(
            'section',
            { className: 'panel', 'aria-labelledby': 'figures-title' },
            h('h2', { id: 'figures-title' }, 'Figures'),
            this.figures,
          ),
        ),
      );
    }
    replace(
      this.lead,
      statusBadge(o.status),
      ' Customer ',
      link(routeOf('/orders', { customerId: o.customerId }), o.customerId, {
        'aria-label': `Orders of customer ${o.customerId}`,
      }),
      ' · ',
      link('/orders', 'All orders'),
    );
    replace(
      this.timeline,
      o.milestones.map((m) =>
        h(
          'li',
          { className: `milestone m-${m.type.toLowerCase()}` },
          h('time', { datetime: m.at }, formatInstant(m.at)),
          h('strong', {}, MILESTONE_LABEL[m.type] ?? humanize(m.type)),
          h('span', { className: 'amount' }, money(m.amount)),
        ),
      ),
    );
    replace(
      this.figures,
      figures.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
    );
  }
}
