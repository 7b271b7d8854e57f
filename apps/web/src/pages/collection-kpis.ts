/**
 * The overview's collection KPIs (issue 9): collection rate (collected ÷ due, to date and on time),
 * DSO and average days to pay for the overview's scope, and a table of them per salesperson, team
 * or customer, all from GET /api/v1/dashboard/collection-kpis, shown exactly as the API answers
 * them (docs/collections-and-credit.md "Collection KPIs").
 */
import { field, h, replace, scrollBox, select } from '../dom';
import type { Scope } from '../figures';
import { formatBps, formatInteger, formatMoney, formatPeriod } from '../format';
import type { CollectionKpiFigures, CollectionKpiGroupBy, CollectionKpis } from '../types';
import type { PageContext } from './page';

interface KpiCard {
  readonly id: 'collectionRateBps' | 'onTimeRateBps' | 'dsoDays' | 'averageDaysToPay' | 'due' | 'collectedToDate';
  readonly label: string;
  readonly kind: 'bps' | 'days' | 'money';
  readonly help: string;
}

export const KPI_CARDS: readonly KpiCard[] = [
  {
    id: 'collectionRateBps',
    label: 'Collection rate',
    kind: 'bps',
    help: 'Collected ÷ due: of the invoice amounts due in the period (by now), the part paid so far, rounded down to a hundredth of a percent.',
  },
  {
    id: 'onTimeRateBps',
    label: 'Paid on time',
    kind: 'bps',
    help: 'The part of what was due that was paid on or before each invoice’s due date.',
  },
  {
    id: 'dsoDays',
    label: 'DSO',
    kind: 'days',
    help: 'Days sales outstanding: receivables at the period end ÷ net sales of the period × its days, rounded to whole days.',
  },
  {
    id: 'averageDaysToPay',
    label: 'Average days to pay',
    kind: 'days',
    help: 'Of the payments received in the period, the amount-weighted mean of the days from invoice to payment.',
  },
  {
    id: 'due',
    label: 'Due in the period',
    kind: 'money',
    help: 'Invoice amounts due in the period, net of cancellations and returns.',
  },
  { id: 'collectedToDate', label: 'Collected of due', kind: 'money', help: 'The part of “due” paid so far.' },
];

/** A figure as the page shows it (also what the browser test expects). */
export function kpiText(card: KpiCard, f: CollectionKpiFigures): string {
  const value = f[card.id];
  if (card.kind === 'bps') return formatBps(value);
  if (card.kind === 'days') return value === null ? '—' : `${formatInteger(value)} days`;
  return formatMoney(value ?? 0, f.currency);
}

const GROUP_LABEL: Record<CollectionKpiGroupBy, string> = {
  salesperson: 'Salesperson',
  team: 'Team',
  customer: 'Customer',
};

export class CollectionKpisPanel {
  readonly element: HTMLElement;
  private readonly cards = h('dl', { className: 'cards', 'data-testid': 'kpi-cards' });
  private readonly note = h('p', { className: 'hint' });
  private readonly table = scrollBox('Collection KPIs table');
  private readonly by: HTMLSelectElement;
  private position: string | null = null;

  constructor(
    private readonly ctx: PageContext,
    private readonly period: string,
    private readonly scope: Scope,
  ) {
    this.by = select(
      'kpiBy',
      [
        { value: 'salesperson', label: 'Salespeople' },
        { value: 'team', label: 'Teams' },
        { value: 'customer', label: 'Customers' },
      ],
      scope.kind === 'team' ? 'salesperson' : 'customer',
    );
    this.by.addEventListener('change', () => void this.loadTable());
    this.element = h(
      'section',
      { 'aria-labelledby': 'kpis-title', className: 'panel', 'data-testid': 'collection-kpis' },
      h('h2', { id: 'kpis-title' }, `Collection KPIs, ${formatPeriod(period)}`),
      h('div', { 'aria-live': 'polite', 'aria-atomic': 'false', className: 'live-region' }, this.cards),
      this.note,
      h(
        'details',
        { className: 'help' },
        h('summary', {}, 'How these KPIs are defined'),
        h(
          'dl',
          {},
          KPI_CARDS.map((c) => [h('dt', {}, c.label), h('dd', {}, c.help)]),
        ),
      ),
      h('div', { className: 'controls' }, field('KPIs per', this.by)),
      this.table,
    );
  }

  private get(groupBy: CollectionKpiGroupBy): Promise<CollectionKpis> {
    return this.ctx.api.get<CollectionKpis>(
      '/dashboard/collection-kpis',
      { period: this.period, groupBy },
      { position: this.position, signal: this.ctx.signal },
    );
  }

  /** The scope's figures (cards) and the table; a failure shows a note, never breaks the page. */
  async load(position: string | null): Promise<void> {
    this.position = position;
    try {
      await Promise.all([this.loadCards(), this.loadTable()]);
    } catch (error) {
      if (this.ctx.signal.aborted) return;
      this.note.textContent = `The collection KPIs could not be loaded (${error instanceof Error ? error.message : 'error'}).`;
    }
  }

  private async loadCards(): Promise<void> {
    if (this.scope.kind === 'businessUnit') {
      this.renderCards([]);
      this.note.textContent = 'Collection KPIs are kept per salesperson, team and customer, not per business unit.';
      return;
    }
    const answer = await this.get(this.scope.kind === 'salesperson' ? 'salesperson' : 'team');
    const figures: CollectionKpiFigures[] =
      this.scope.kind === 'company' ? answer.totals : answer.items.filter((r) => r.key === this.scope.key);
    this.renderCards(figures);
    this.note.textContent = `Payments counted up to ${new Date(answer.asOf).toISOString().slice(0, 10)}; receivables for DSO at ${answer.receivablesAt.slice(
      0,
      10,
    )} (${answer.daysInPeriod} days).`;
  }

  private renderCards(figures: readonly CollectionKpiFigures[]): void {
    if (this.cards.childElementCount === 0) {
      for (const card of KPI_CARDS) {
        this.cards.append(
          h(
            'div',
            { className: 'card', 'data-figure': card.id },
            h('dt', {}, card.label),
            h('dd', { 'data-testid': `kpicard-${card.id}` }),
          ),
        );
      }
    }
    for (const card of KPI_CARDS) {
      const dd = this.cards.querySelector<HTMLElement>(`[data-testid="kpicard-${card.id}"]`);
      const text = figures.length === 0 ? '—' : figures.map((f) => kpiText(card, f)).join('\n');
      if (dd && dd.textContent !== text) dd.textContent = text;
    }
  }

  private async loadTable(): Promise<void> {
    const groupBy = this.by.value as CollectionKpiGroupBy;
    const answer = await this.get(groupBy);
    if (this.by.value !== groupBy) return; // changed meanwhile: the newer answer renders
    const money = (v: number, currency: string) => formatMoney(v, currency);
    const days = (v: number | null) => (v === null ? '—' : formatInteger(v));
    replace(
      this.table,
      h(
        'table',
        { 'data-testid': 'kpi-table', 'data-group-by': groupBy },
        h('caption', {}, `Collection KPIs per ${GROUP_LABEL[groupBy].toLowerCase()}, ${formatPeriod(this.period)}`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, GROUP_LABEL[groupBy]),
            h('th', { scope: 'col', className: 'num' }, 'Due'),
            h('th', { scope: 'col', className: 'num' }, 'Collected'),
            h('th', { scope: 'col', className: 'num' }, 'Collection rate'),
            h('th', { scope: 'col', className: 'num' }, 'On time'),
            h('th', { scope: 'col', className: 'num' }, 'DSO (days)'),
            h('th', { scope: 'col', className: 'num' }, 'Avg. days to pay'),
          ),
        ),
        h(
          'tbody',
          {},
          answer.items.length === 0
            ? h('tr', {}, h('td', { colspan: 7 }, 'Nothing due or paid in this period.'))
            : answer.items.map((r) =>
                h(
                  'tr',
                  { 'data-key': r.key },
                  h('th', { scope: 'row' }, r.key),
                  h('td', { className: 'num' }, money(r.due, r.currency)),
                  h('td', { className: 'num' }, money(r.collectedToDate, r.currency)),
                  h('td', { className: 'num' }, formatBps(r.collectionRateBps)),
                  h('td', { className: 'num' }, formatBps(r.onTimeRateBps)),
                  h('td', { className: 'num' }, days(r.dsoDays)),
                  h('td', { className: 'num' }, days(r.averageDaysToPay)),
                ),
              ),
        ),
      ),
    );
  }
}
