/**
 * A salesperson's commission statement for a period (GET /api/v1/salespeople/{id}/ledger): the
 * balance walk from opening to closing, every entry with its explanation and a link to its
 * lineage, and the clawbacks register (GET /api/v1/clawbacks?salespersonId=).
 */
import { ApiError } from '../api';
import { field, h, link, replace, scrollBox } from '../dom';
import {
  currentPeriod,
  formatBps,
  formatInstant,
  formatInteger,
  formatMoney,
  formatPeriod,
  humanize,
  isPeriod,
  lastPeriods,
} from '../format';
import type { Clawback, Ledger, LedgerEntry, Page as ApiPage } from '../types';
import { heading, type Page, type PageContext, routeOf } from './page';

const TRIGGERS: Record<string, string> = {
  SALE_BOOKED: 'sale booked',
  PAYMENT_RECEIVED: 'payment received',
  CANCELLATION: 'cancellation',
  RETURN: 'return',
  WRITE_OFF: 'write-off',
  MANUAL_ADJUSTMENT: 'manual adjustment',
  PAYOUT: 'payout',
};

function bps(value: unknown): string {
  return typeof value === 'number' ? formatBps(value) : '?';
}

/** An entry's explanation in words, from the inputs of its formula. */
export function explain(entry: LedgerEntry): string {
  const e = entry.explanation;
  const money = (value: unknown) => (typeof value === 'number' ? formatMoney(value, entry.currency) : '?');
  const trigger = e.trigger ? (TRIGGERS[e.trigger] ?? humanize(e.trigger).toLowerCase()) : '';
  const plan = e.planId ? `, plan ${e.planId}` : '';
  switch (entry.type) {
    case 'EARNED':
      return `${bps(e.rateBps)} of a ${bps(e.splitBps)} credit on ${money(e.baseAmount)} (${trigger}${plan})`;
    case 'CLAWBACK': {
      const days = typeof e['daysSinceBooking'] === 'number' ? `, ${e['daysSinceBooking']} days after booking` : '';
      const capped = typeof e['cappedFrom'] === 'number' ? `; capped from ${money(e['cappedFrom'])}` : '';
      return (
        `${bps(e.percentBps)} of the commission (${bps(e.rateBps)} of a ${bps(e.splitBps)} credit) on ` +
        `${money(e.baseAmount)} (${trigger}${days}${plan})${capped}`
      );
    }
    case 'ADJUSTMENT': {
      const by = typeof e['approvedBy'] === 'string' ? `, approved by ${e['approvedBy']}` : '';
      return `Adjustment: “${e.reason ?? 'no reason given'}”${by}`;
    }
    case 'PAYOUT':
      return `Payout of ${money(e.baseAmount)}`;
    default:
      return trigger;
  }
}

function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
}

export class SalespersonPage implements Page {
  readonly title: string;
  private readonly period: string;
  private mounted = false;
  private readonly summary = h('dl', { className: 'cards', 'aria-live': 'polite', 'data-testid': 'statement' });
  private readonly entries = scrollBox('Ledger entries table');
  private readonly clawbacks = scrollBox('Clawbacks table');
  private readonly more = h('div', { className: 'pager' });
  private readonly status = h('p', { className: 'hint', role: 'status' });
  private clawbackItems: Clawback[] = [];

  constructor(
    private readonly ctx: PageContext,
    private readonly salespersonId: string,
  ) {
    const period = ctx.route.params.get('period');
    this.period = isPeriod(period) ? period : currentPeriod();
    this.title = `${salespersonId}, ${formatPeriod(this.period)}`;
  }

  async load(position: string | null): Promise<void> {
    const options = { position, signal: this.ctx.signal };
    const id = encodeURIComponent(this.salespersonId);
    const [ledger, clawbacks] = await Promise.all([
      this.ctx.api.get<Ledger>(`/salespeople/${id}/ledger`, { period: this.period }, options),
      this.ctx.api.get<ApiPage<Clawback>>(
        '/clawbacks',
        // A live refresh keeps as many clawbacks as were shown.
        { salespersonId: this.salespersonId, limit: Math.min(1000, Math.max(50, this.clawbackItems.length)) },
        options,
      ),
    ]);
    this.mount();
    this.renderSummary(ledger);
    this.renderEntries(ledger);
    this.clawbackItems = clawbacks.items;
    this.renderClawbacks(clawbacks.nextCursor);
  }

  private mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    const periodInput = h('input', {
      id: 'period',
      name: 'period',
      type: 'month',
      value: this.period,
      required: true,
      pattern: '\\d{4}-\\d{2}',
    });
    periodInput.addEventListener('change', () => {
      if (isPeriod(periodInput.value)) this.go(periodInput.value);
    });
    const previous = lastPeriods(this.period, 2)[0]!;
    const next = nextPeriod(this.period);
    const route = (period: string) => routeOf(`/salespeople/${encodeURIComponent(this.salespersonId)}`, { period });
    const download = h('button', { type: 'button' }, 'Download statement (CSV)');
    download.addEventListener('click', () => void this.download());
    replace(
      this.ctx.main,
      heading(`Salesperson ${this.salespersonId}`),
      h(
        'form',
        { className: 'controls', 'aria-label': 'Period' },
        field('Period', periodInput, 'Month, YYYY-MM'),
        h(
          'div',
          { className: 'steps' },
          link(route(previous), '‹', {
            className: 'button',
            'aria-label': `Previous month, ${formatPeriod(previous)}`,
          }),
          link(route(next), '›', { className: 'button', 'aria-label': `Next month, ${formatPeriod(next)}` }),
        ),
        h('div', { className: 'field actions' }, download),
        h(
          'div',
          { className: 'field actions' },
          link(routeOf('/orders', { salespersonId: this.salespersonId }), 'Orders'),
        ),
      ),
      this.status,
      h(
        'section',
        { className: 'panel', 'aria-labelledby': 'statement-title' },
        h('h2', { id: 'statement-title' }, `Statement, ${formatPeriod(this.period)}`),
        this.summary,
        h(
          'p',
          { className: 'hint' },
          'Closing = opening + earned − clawed back + adjustments − paid out. A negative balance carries forward.',
        ),
      ),
      h(
        'section',
        { className: 'panel', 'aria-labelledby': 'entries-title' },
        h('h2', { id: 'entries-title' }, 'Ledger entries'),
        this.entries,
      ),
      h(
        'section',
        { className: 'panel', 'aria-labelledby': 'clawbacks-title' },
        h('h2', { id: 'clawbacks-title' }, 'Clawbacks (all periods)'),
        this.clawbacks,
        this.more,
      ),
    );
    (this.ctx.main.querySelector('form') as HTMLFormElement).onsubmit = (event) => event.preventDefault();
  }

  private go(period: string): void {
    this.ctx.navigate(routeOf(`/salespeople/${encodeURIComponent(this.salespersonId)}`, { period }));
  }

  private renderSummary(ledger: Ledger): void {
    const money = (v: number) => (ledger.currency ? formatMoney(v, ledger.currency) : formatInteger(v));
    const figures: [string, string, number][] = [
      ['opening', 'Opening balance', ledger.opening],
      ['earned', 'Earned', ledger.earned],
      ['clawedBack', 'Clawed back', ledger.clawedBack],
      ['adjustments', 'Adjustments', ledger.adjustments],
      ['paidOut', 'Paid out', ledger.paidOut],
      ['closing', 'Closing balance', ledger.closing],
    ];
    // A plan with a holdback: what is still held and what may be paid out (shown only then).
    if (ledger.heldBalance || ledger.released || ledger.held) {
      figures.push(
        ['heldBalance', 'Held back', ledger.heldBalance ?? 0],
        ['released', 'Released', ledger.released ?? 0],
        ['payable', 'Payable', ledger.payable ?? ledger.closing],
      );
    }
    replace(
      this.summary,
      figures.map(([id, label, value]) =>
        h(
          'div',
          { className: 'card', 'data-figure': id },
          h('dt', {}, label),
          h('dd', { 'data-testid': `statement-${id}` }, money(value)),
        ),
      ),
    );
  }

  private renderEntries(ledger: Ledger): void {
    replace(
      this.entries,
      h(
        'table',
        { 'data-testid': 'entries' },
        h(
          'caption',
          {},
          `${ledger.entries.length} entries in ${formatPeriod(this.period)}, in the order they were posted`,
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'When'),
            h('th', { scope: 'col' }, 'Type'),
            h('th', { scope: 'col' }, 'Order'),
            h('th', { scope: 'col', className: 'num' }, 'Amount'),
            h('th', { scope: 'col' }, 'Explanation'),
            h('th', { scope: 'col' }, 'Lineage'),
          ),
        ),
        h(
          'tbody',
          {},
          ledger.entries.length === 0
            ? h('tr', {}, h('td', { colspan: 6 }, 'No entries in this period.'))
            : ledger.entries.map((e) =>
                h(
                  'tr',
                  { 'data-entry': e.entryId },
                  h('td', {}, h('time', { datetime: e.occurredAt }, formatInstant(e.occurredAt))),
                  h('td', {}, h('span', { className: `badge entry-${e.type.toLowerCase()}` }, humanize(e.type))),
                  h('td', {}, e.orderId ? link(`/orders/${encodeURIComponent(e.orderId)}`, e.orderId) : '—'),
                  h('td', { className: 'num' }, formatMoney(e.amount, e.currency)),
                  h(
                    'td',
                    { className: 'explanation' },
                    explain(e),
                    e.originalPeriod
                      ? h('span', { className: 'hint' }, ` Prior-period entry from ${formatPeriod(e.originalPeriod)}.`)
                      : null,
                    e.repostedFrom
                      ? h('span', { className: 'hint' }, ` Moved here by the close of ${formatPeriod(e.repostedFrom)}.`)
                      : null,
                    e.explanation.formula ? h('code', {}, e.explanation.formula) : null,
                  ),
                  h(
                    'td',
                    {},
                    link(`/lineage/${encodeURIComponent(e.entryId)}`, 'Lineage', {
                      'aria-label': `Lineage of the ${humanize(e.type).toLowerCase()} entry of ${formatInstant(
                        e.occurredAt,
                      )}, ${formatMoney(e.amount, e.currency)}`,
                    }),
                  ),
                ),
              ),
        ),
      ),
    );
  }

  private renderClawbacks(nextCursor: string | null): void {
    const items = this.clawbackItems;
    replace(
      this.clawbacks,
      h(
        'table',
        { 'data-testid': 'clawbacks' },
        h('caption', {}, `Clawbacks of ${this.salespersonId}: ${items.length} shown, in the order they were posted`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Period'),
            h('th', { scope: 'col' }, 'Order'),
            h('th', { scope: 'col' }, 'Trigger'),
            h('th', { scope: 'col', className: 'num' }, 'Base'),
            h('th', { scope: 'col', className: 'num' }, 'Commission'),
            h('th', { scope: 'col', className: 'num' }, 'Share'),
            h('th', { scope: 'col', className: 'num' }, 'Clawed back'),
            h('th', { scope: 'col' }, 'Lineage'),
          ),
        ),
        h(
          'tbody',
          {},
          items.length === 0
            ? h('tr', {}, h('td', { colspan: 8 }, 'No clawbacks.'))
            : items.map((c) =>
                h(
                  'tr',
                  {},
                  h('td', {}, formatPeriod(c.period)),
                  h('td', {}, link(`/orders/${encodeURIComponent(c.orderId)}`, c.orderId)),
                  h('td', {}, humanize(c.trigger)),
                  h('td', { className: 'num' }, formatMoney(c.baseAmount, c.currency)),
                  h('td', { className: 'num' }, formatMoney(c.originalCommission, c.currency)),
                  h('td', { className: 'num' }, formatBps(c.percentBps)),
                  h('td', { className: 'num' }, formatMoney(c.amount, c.currency)),
                  h(
                    'td',
                    {},
                    link(`/lineage/${encodeURIComponent(c.entryId)}`, 'Lineage', {
                      'aria-label': `Lineage of the clawback on order ${c.orderId}, ${formatPeriod(c.period)}`,
                    }),
                  ),
                ),
              ),
        ),
      ),
    );
    if (!nextCursor) {
      replace(this.more);
      return;
    }
    const button = h('button', { type: 'button' }, 'Show more clawbacks');
    button.addEventListener('click', () => void this.loadMore(nextCursor));
    replace(this.more, button);
  }

  private async loadMore(cursor: string): Promise<void> {
    const page = await this.ctx.api.get<ApiPage<Clawback>>(
      '/clawbacks',
      { salespersonId: this.salespersonId, limit: 50, cursor },
      { signal: this.ctx.signal },
    );
    this.clawbackItems = [...this.clawbackItems, ...page.items];
    this.renderClawbacks(page.nextCursor);
    this.status.textContent = `${page.items.length} more clawbacks shown.`;
  }

  private async download(): Promise<void> {
    try {
      const blob = await this.ctx.api.blob(
        `/salespeople/${encodeURIComponent(this.salespersonId)}/statements/${this.period}`,
        { format: 'csv' },
      );
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `statement-${this.salespersonId}-${this.period}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.status.textContent = 'Statement downloaded.';
    } catch (error) {
      this.status.textContent = `The statement could not be downloaded: ${
        error instanceof ApiError ? error.message : String(error)
      }`;
    }
  }
}
