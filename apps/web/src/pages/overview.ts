/**
 * Overview: one period and one scope (the company, a team, a salesperson or a business unit).
 * Cards with the period's figures, a 12-month chart of target vs achieved vs collected, a
 * leaderboard by attainment and the aging of receivables, all from GET /api/v1/dashboard and
 * GET /api/v1/aging. Company figures are the sum of the rows the API answers (per currency).
 */
import { BarLineChart, COLORS, type Series } from '../charts';
import { append, field, h, link, replace, scrollBox, select, srOnly } from '../dom';
import {
  currentPeriod,
  formatBps,
  formatMoney,
  formatPeriod,
  isPeriod,
  lastPeriods,
  toMajor,
  userLocale,
} from '../format';
import {
  mapLimited,
  parseScope,
  receivablesAsOf,
  rowsInScope,
  type Scope,
  type ScopeKind,
  scopeParam,
  type Totals,
  totalsOf,
} from '../figures';
import { managedTeam, readsAll } from '../session';
import type { Aging, AgingGroupBy, AgingRow, Dashboard, DashboardGroupBy } from '../types';
import { CollectionKpisPanel } from './collection-kpis';
import { forbidden, heading, type Page, type PageContext, routeOf } from './page';

const KIND_LABEL: Record<ScopeKind, string> = {
  company: 'Company',
  team: 'Team',
  salesperson: 'Salesperson',
  businessUnit: 'Business unit',
};

function scopeLabel(scope: Scope): string {
  return scope.kind === 'company' ? 'Company' : `${KIND_LABEL[scope.kind]} ${scope.key ?? ''}`;
}

/** The dashboard grouping that answers a scope (the company: by team, summed). */
function groupFor(scope: Scope): DashboardGroupBy {
  return scope.kind === 'company' ? 'team' : scope.kind;
}

interface Card {
  readonly id: keyof Omit<Totals, 'currency'>;
  readonly label: string;
  readonly kind: 'money' | 'bps';
  readonly help: string;
}

export const CARDS: readonly Card[] = [
  { id: 'target', label: 'Target', kind: 'money', help: 'The monthly quota (the sum over members for a team).' },
  {
    id: 'achieved',
    label: 'Achieved',
    kind: 'money',
    help:
      'Credited net bookings: credited booked amounts in the period, plus secondary sales reported by ' +
      'distributors, minus credited cancellations and returns. Sales to distributors themselves are not in it.',
  },
  {
    id: 'attainmentBps',
    label: 'Attainment',
    kind: 'bps',
    help: 'Achieved ÷ target, rounded down to a hundredth of a percent; “—” without a target.',
  },
  {
    id: 'collected',
    label: 'Collected',
    kind: 'money',
    help: 'Credited payments minus credited refunds in the period.',
  },
  {
    id: 'collectionRateBps',
    label: 'Cash-in share',
    kind: 'bps',
    help:
      'Collected ÷ (collected + outstanding): the share of the money in play in the period that came in. ' +
      'Not the collection rate (collected ÷ due) of the collection KPIs below.',
  },
  {
    id: 'outstanding',
    label: 'Outstanding',
    kind: 'money',
    help: 'Credited receivables at the end of the period (or now, for the current month).',
  },
  { id: 'overdue', label: 'Overdue', kind: 'money', help: 'The part of outstanding that is past its due date.' },
  {
    id: 'commissionEarned',
    label: 'Commission earned',
    kind: 'money',
    help: 'The ledger’s EARNED entries of the period.',
  },
  { id: 'clawedBack', label: 'Clawed back', kind: 'money', help: 'The ledger’s CLAWBACK entries of the period.' },
  {
    id: 'sellIn',
    label: 'Sell-in',
    kind: 'money',
    help:
      'Credited primary sales to distributors in the period, net of their cancellations and returns. Not in ' +
      'achieved: the goods count when the distributor sells them on (secondary sales).',
  },
];

function cardValue(card: Card, totals: Totals): string {
  const value = totals[card.id];
  if (card.kind === 'bps') return formatBps(value as bigint | null);
  return value === null ? '—' : formatMoney(value as bigint, totals.currency);
}

const AGING_BUCKETS: readonly { id: keyof Omit<AgingRow, 'key' | 'currency' | 'total'>; label: string }[] = [
  { id: 'current', label: 'Not due' },
  { id: 'd1_30', label: '1–30 days' },
  { id: 'd31_60', label: '31–60 days' },
  { id: 'd61_90', label: '61–90 days' },
  { id: 'd90plus', label: 'Over 90 days' },
];

interface Data {
  readonly period: string;
  readonly byGroup: Record<DashboardGroupBy, Dashboard>;
  readonly aging: Aging | null;
}

export class OverviewPage implements Page {
  readonly title = 'Overview';
  private readonly period: string;
  private readonly scope: Scope;
  private readonly leaderboardBy: 'salesperson' | 'team';
  private readonly allowed: boolean;
  private mounted = false;
  private readonly controls = h('form', { className: 'controls', 'aria-label': 'Period and scope' });
  private readonly cards = h('dl', { className: 'cards', 'data-testid': 'cards' });
  private readonly cardsCaption = h('h2', { id: 'figures-title' });
  private readonly trendCanvas = h('canvas', { role: 'img', 'aria-label': 'Loading' });
  private readonly trendTable = h('div', { className: 'table-wrap' });
  private readonly leaderboard = scrollBox('Leaderboard table');
  private readonly agingCanvas = h('canvas', { role: 'img', 'aria-label': 'Loading' });
  private readonly agingTable = h('div', { className: 'table-wrap' });
  private readonly agingNote = h('p', { className: 'hint' });
  private readonly updated = h('p', { className: 'updated', 'data-testid': 'updated' });
  private readonly empty = h('p', { className: 'hint', hidden: true }, 'No figures for this scope in this period.');
  private controlsSignature = '';
  private readonly trend: BarLineChart;
  private readonly agingChart: BarLineChart;
  private currency = 'USD';
  /** The period's answer in the chart's grouping (the chart's last month). */
  private latest: Dashboard | null = null;
  private historyRunning = false;
  private historyPending = false;
  private historyPosition: string | null = null;
  private readonly kpis: CollectionKpisPanel;

  constructor(private readonly ctx: PageContext) {
    const params = ctx.route.params;
    const team = managedTeam(ctx.session);
    this.allowed = readsAll(ctx.session) || team !== null;
    this.period = isPeriod(params.get('period')) ? params.get('period')! : currentPeriod();
    const asked = parseScope(params.get('scope'));
    const fallback: Scope = team !== null ? { kind: 'team', key: team } : { kind: 'company', key: null };
    // A manager's scope stays within their team (the API scopes the rows anyway).
    this.scope = asked && !(team !== null && asked.kind === 'company') ? asked : fallback;
    this.leaderboardBy = params.get('groupBy') === 'team' ? 'team' : 'salesperson';
    this.kpis = new CollectionKpisPanel(ctx, this.period, this.scope);
    const tick = (value: number) =>
      new Intl.NumberFormat(userLocale(), {
        style: 'currency',
        currency: this.currency,
        notation: 'compact',
        maximumFractionDigits: 1,
      }).format(value);
    this.trend = new BarLineChart(this.trendCanvas, tick);
    this.agingChart = new BarLineChart(this.agingCanvas, tick);
  }

  async load(position: string | null): Promise<void> {
    if (!this.allowed) {
      forbidden(this.ctx.main, 'The overview is for managers and for roles that read every salesperson.');
      return;
    }
    const { api, signal } = this.ctx;
    const options = { position, signal };
    const dashboard = (period: string, groupBy: DashboardGroupBy) =>
      api.get<Dashboard>('/dashboard', { period, groupBy }, options);
    const group = groupFor(this.scope);
    const agingBy: AgingGroupBy | null =
      this.scope.kind === 'salesperson' ? 'salesperson' : this.scope.kind === 'businessUnit' ? null : 'team';
    const asOf = receivablesAsOf(this.period);
    // First the one answer the cards need (a live update shows there first) …
    const cardsGroup = await dashboard(this.period, group);
    this.mount();
    this.renderCards(cardsGroup);
    // … then the period's other groupings (scope choices, leaderboard) and the aging …
    const byGroup = { [group]: cardsGroup } as Partial<Record<DashboardGroupBy, Dashboard>>;
    const others = (['team', 'salesperson', 'businessUnit'] as const).filter((g) => g !== group);
    const current = Promise.all([
      ...others.map(async (g) => (byGroup[g] = await dashboard(this.period, g))),
      agingBy ? api.get<Aging>('/aging', { groupBy: agingBy, asOf }, options) : Promise.resolve(null),
    ]);
    const kpisLoaded = this.kpis.load(position);
    const answers = await current;
    await kpisLoaded;
    const aging = (answers[answers.length - 1] ?? null) as Aging | null;
    const data: Data = { period: this.period, byGroup: byGroup as Record<DashboardGroupBy, Dashboard>, aging };
    this.renderControls(data);
    this.renderLeaderboard(data);
    this.renderAging(data);
    this.updated.textContent = `Figures as of ${new Date().toLocaleTimeString(userLocale())}${
      position ? ` (event log position ${position})` : ''
    }.`;
    // The eleven months before it, for the chart, in the background: a live update does not
    // wait for them, and their refreshes run one at a time.
    this.latest = cardsGroup;
    this.refreshHistory(position);
  }

  private refreshHistory(position: string | null): void {
    this.historyPosition = position;
    if (this.historyRunning) {
      this.historyPending = true;
      return;
    }
    this.historyRunning = true;
    void (async () => {
      const months = lastPeriods(this.period, 12);
      const group = groupFor(this.scope);
      try {
        do {
          this.historyPending = false;
          const options = { position: this.historyPosition, signal: this.ctx.signal, priority: 'low' as const };
          // Two at a time: the browser's few connections stay free for the live figures.
          const past = await mapLimited(months.slice(0, -1), 2, (period) =>
            this.ctx.api.get<Dashboard>('/dashboard', { period, groupBy: group }, options),
          );
          if (this.ctx.signal.aborted || !this.latest) return;
          this.renderTrend(months, [...past, this.latest]);
        } while (this.historyPending);
      } catch {
        // aborted (the reader left) or failed: the next live update tries again
      } finally {
        this.historyRunning = false;
      }
    })();
  }

  destroy(): void {
    this.trend.destroy();
    this.agingChart.destroy();
  }

  private mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    const figuresHelp = h(
      'details',
      { className: 'help' },
      h('summary', {}, 'How these figures are defined'),
      h(
        'dl',
        {},
        CARDS.map((c) => [h('dt', {}, c.label), h('dd', {}, c.help)]),
      ),
      h(
        'p',
        {},
        'Amounts are credited shares (a salesperson with a 60 % sales credit counts 60 % of the order). ' +
          'The company is the sum of every row you may see; a manager sees their team.',
      ),
    );
    this.renderControls(null);
    replace(
      this.ctx.main,
      heading(`Overview`),
      this.controls,
      h(
        'section',
        { 'aria-labelledby': 'figures-title', className: 'panel' },
        this.cardsCaption,
        h('div', { 'aria-live': 'polite', 'aria-atomic': 'false', className: 'live-region' }, this.cards),
        this.empty,
        figuresHelp,
        this.updated,
      ),
      this.kpis.element,
      h(
        'div',
        { className: 'grid-2' },
        h(
          'section',
          { 'aria-labelledby': 'trend-title', className: 'panel' },
          h('h2', { id: 'trend-title' }, 'Target, achieved and collected: 12 months'),
          h('figure', {}, h('div', { className: 'chart' }, this.trendCanvas), this.trendTable),
        ),
        h(
          'section',
          { 'aria-labelledby': 'aging-title', className: 'panel' },
          h('h2', { id: 'aging-title' }, 'Aging of receivables'),
          this.agingNote,
          h('figure', {}, h('div', { className: 'chart' }, this.agingCanvas), this.agingTable),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'leaderboard-title', className: 'panel' },
        h('h2', { id: 'leaderboard-title' }, 'Leaderboard by attainment'),
        this.leaderboard,
      ),
    );
    if (this.ctx.focusId) document.getElementById(this.ctx.focusId)?.focus();
  }

  private go(changes: { period?: string; scope?: Scope; groupBy?: string }): void {
    this.ctx.navigate(
      routeOf('/overview', {
        period: changes.period ?? this.period,
        scope: scopeParam(changes.scope ?? this.scope),
        groupBy: changes.groupBy ?? this.leaderboardBy,
      }),
    );
  }

  /** The controls; before the answers arrive (`data` null) with the current choices only. */
  private renderControls(data: Data | null): void {
    const team = managedTeam(this.ctx.session);
    const keys = (g: DashboardGroupBy) => (data ? [...new Set(data.byGroup[g].items.map((r) => r.key))].sort() : []);
    const option = (scope: Scope, label: string) => ({ value: scopeParam(scope), label });
    const groups: { label: string; options: { value: string; label: string }[] }[] = [
      {
        label: 'Teams',
        options: keys('team').map((k) => option({ kind: 'team', key: k }, team === k ? `${k} (my team)` : k)),
      },
      { label: 'Salespeople', options: keys('salesperson').map((k) => option({ kind: 'salesperson', key: k }, k)) },
      {
        label: 'Business units',
        options: keys('businessUnit').map((k) => option({ kind: 'businessUnit', key: k }, k)),
      },
    ];
    const current = scopeParam(this.scope);
    // Rebuilt only when the choices change: a live update never resets a control in use.
    const signature = JSON.stringify(groups);
    if (signature === this.controlsSignature) return;
    this.controlsSignature = signature;
    const known = groups.some((g) => g.options.some((o) => o.value === current));
    const scopeSelect = h(
      'select',
      { id: 'scope', name: 'scope' },
      team === null ? h('option', { value: 'company', selected: current === 'company' }, 'Company') : null,
      !known && this.scope.kind !== 'company'
        ? h('option', { value: current, selected: true }, scopeLabel(this.scope))
        : null,
      groups
        .filter((g) => g.options.length > 0)
        .map((g) =>
          h(
            'optgroup',
            { label: g.label },
            g.options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.label)),
          ),
        ),
    );
    scopeSelect.addEventListener('change', () => {
      const scope = parseScope(scopeSelect.value);
      if (scope) this.go({ scope });
    });
    const periodInput = h('input', {
      id: 'period',
      name: 'period',
      type: 'month',
      value: this.period,
      required: true,
      pattern: '\\d{4}-\\d{2}',
    });
    periodInput.addEventListener('change', () => {
      if (isPeriod(periodInput.value)) this.go({ period: periodInput.value });
    });
    const groupSelect = select(
      'groupBy',
      [
        { value: 'salesperson', label: 'Salespeople' },
        { value: 'team', label: 'Teams' },
      ],
      this.leaderboardBy,
    );
    groupSelect.addEventListener('change', () => this.go({ groupBy: groupSelect.value }));
    const months = lastPeriods(this.period, 2);
    const [y, m] = this.period.split('-').map(Number) as [number, number];
    const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
    const step = (period: string, text: string, label: string) =>
      link(routeOf('/overview', { period, scope: scopeParam(this.scope), groupBy: this.leaderboardBy }), text, {
        className: 'button',
        'aria-label': label,
      });
    this.controls.onsubmit = (event) => event.preventDefault();
    const active = document.activeElement;
    const focused = active && this.controls.contains(active) ? active.id : null;
    replace(
      this.controls,
      field('Period', periodInput, 'Month, YYYY-MM'),
      h(
        'div',
        { className: 'steps' },
        step(months[0]!, '‹', `Previous month, ${formatPeriod(months[0]!)}`),
        step(next, '›', `Next month, ${formatPeriod(next)}`),
      ),
      field('Scope', scopeSelect),
      field('Leaderboard of', groupSelect),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  private renderCards(answer: Dashboard): void {
    const totals = totalsOf(rowsInScope(answer.items, this.scope));
    this.currency = totals[0]?.currency ?? this.currency;
    this.cardsCaption.textContent = `${scopeLabel(this.scope)}, ${formatPeriod(this.period)}`;
    // Cards are built once and only the values that changed are rewritten, so the live region
    // announces just the figures a new event moved.
    if (this.cards.childElementCount === 0) {
      append(
        this.cards,
        CARDS.map((card) =>
          h(
            'div',
            { className: 'card', 'data-figure': card.id },
            h('dt', {}, card.label),
            h('dd', { 'data-testid': `card-${card.id}` }),
          ),
        ),
      );
    }
    for (const card of CARDS) {
      const dd = this.cards.querySelector<HTMLElement>(`[data-testid="card-${card.id}"]`);
      const text = totals.length === 0 ? '—' : totals.map((t) => cardValue(card, t)).join('\n');
      if (dd && dd.textContent !== text) dd.textContent = text;
    }
    this.empty.hidden = totals.length > 0;
  }

  private renderLeaderboard(data: Data): void {
    const rows = [...data.byGroup[this.leaderboardBy].items].sort(
      (a, b) =>
        (b.attainmentBps ?? -1) - (a.attainmentBps ?? -1) || b.achieved - a.achieved || a.key.localeCompare(b.key),
    );
    const selected = (key: string) => this.scope.kind === this.leaderboardBy && this.scope.key === key;
    const nameOf = (key: string) =>
      this.leaderboardBy === 'salesperson'
        ? link(routeOf(`/salespeople/${encodeURIComponent(key)}`, { period: this.period }), key)
        : link(
            routeOf('/overview', {
              period: this.period,
              scope: scopeParam({ kind: 'team', key }),
              groupBy: 'salesperson',
            }),
            key,
          );
    replace(
      this.leaderboard,
      h(
        'table',
        { 'data-testid': 'leaderboard' },
        h(
          'caption',
          {},
          `${this.leaderboardBy === 'team' ? 'Teams' : 'Salespeople'} by attainment, ${formatPeriod(this.period)}`,
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Rank'),
            h('th', { scope: 'col' }, this.leaderboardBy === 'team' ? 'Team' : 'Salesperson'),
            h('th', { scope: 'col', className: 'num' }, 'Attainment'),
            h('th', { scope: 'col', className: 'num' }, 'Achieved'),
            h('th', { scope: 'col', className: 'num' }, 'Target'),
            h('th', { scope: 'col', className: 'num' }, 'Collected'),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length === 0
            ? h('tr', {}, h('td', { colspan: 6 }, 'No figures in this period.'))
            : rows.map((r, i) =>
                h(
                  'tr',
                  { className: selected(r.key) ? 'selected' : null },
                  h('td', {}, String(i + 1)),
                  h('th', { scope: 'row' }, nameOf(r.key), selected(r.key) ? srOnly(' (selected scope)') : null),
                  h(
                    'td',
                    { className: 'num' },
                    h(
                      'span',
                      { className: 'bar', 'aria-hidden': 'true' },
                      h('span', {
                        style: `width:${Math.min(100, Math.max(0, (r.attainmentBps ?? 0) / 150))}%`,
                      }),
                    ),
                    formatBps(r.attainmentBps),
                  ),
                  h('td', { className: 'num' }, formatMoney(r.achieved, r.currency)),
                  h('td', { className: 'num' }, r.target === null ? '—' : formatMoney(r.target, r.currency)),
                  h('td', { className: 'num' }, formatMoney(r.collected, r.currency)),
                ),
              ),
        ),
      ),
    );
  }

  private renderAging(data: Data): void {
    if (!data.aging) {
      this.agingNote.textContent =
        'Aging is kept per salesperson, team and customer, not per business unit: choose a team or a salesperson.';
      this.agingCanvas.hidden = true;
      replace(this.agingTable);
      return;
    }
    this.agingCanvas.hidden = false;
    const rows = data.aging.items.filter(
      (r) => r.currency === this.currency && (this.scope.kind === 'company' || r.key === this.scope.key),
    );
    const sums = AGING_BUCKETS.map((b) => rows.reduce((s, r) => s + BigInt(r[b.id]), 0n));
    const total = sums.reduce((s, v) => s + v, 0n);
    this.agingNote.textContent = `${scopeLabel(this.scope)}: receivables by days past due, as of ${new Date(
      data.aging.asOf,
    ).toLocaleString(userLocale())}.`;
    const labels = AGING_BUCKETS.map((b) => b.label);
    const values = sums.map((v) => toMajor(Number(v), this.currency));
    this.agingChart.update(
      labels,
      [{ label: 'Receivable', values, color: COLORS.achieved, kind: 'bar' }],
      `Aging bar chart: ${AGING_BUCKETS.map((b, i) => `${b.label} ${formatMoney(sums[i]!, this.currency)}`).join(', ')}.`,
    );
    replace(
      this.agingTable,
      h(
        'details',
        {},
        h('summary', {}, 'Aging as a table'),
        h(
          'table',
          { 'data-testid': 'aging-table' },
          h('caption', {}, `Receivables by age, ${scopeLabel(this.scope)}`),
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, 'Age'), h('th', { scope: 'col', className: 'num' }, 'Amount')),
          ),
          h(
            'tbody',
            {},
            AGING_BUCKETS.map((b, i) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, b.label),
                h('td', { className: 'num' }, formatMoney(sums[i]!, this.currency)),
              ),
            ),
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'Total'),
              h('td', { className: 'num' }, formatMoney(total, this.currency)),
            ),
          ),
        ),
      ),
    );
  }

  private renderTrend(months: readonly string[], answers: readonly Dashboard[]): void {
    const totals = answers.map(
      (answer) => totalsOf(rowsInScope(answer.items, this.scope)).find((t) => t.currency === this.currency) ?? null,
    );
    const pick = (f: (t: Totals) => bigint | null) =>
      totals.map((t) => {
        const v = t ? f(t) : null;
        return v === null ? null : toMajor(Number(v), this.currency);
      });
    const labels = months.map((p) => formatPeriod(p));
    const series: Series[] = [
      { label: 'Target', values: pick((t) => t.target), color: COLORS.target, kind: 'line', dashed: true },
      { label: 'Achieved', values: pick((t) => t.achieved), color: COLORS.achieved, kind: 'bar' },
      { label: 'Collected', values: pick((t) => t.collected), color: COLORS.collected, kind: 'bar' },
    ];
    const money = (v: bigint | null | undefined) =>
      v === null || v === undefined ? '—' : formatMoney(v, this.currency);
    const last = totals[totals.length - 1];
    this.trend.update(
      labels,
      series,
      `Chart of target, achieved and collected per month from ${labels[0]} to ${labels[labels.length - 1]}, in ${
        this.currency
      }. ${labels[labels.length - 1]}: target ${money(last?.target)}, achieved ${money(last?.achieved)}, collected ${money(
        last?.collected,
      )}. The table below has every month.`,
    );
    replace(
      this.trendTable,
      h(
        'details',
        {},
        h('summary', {}, '12 months as a table'),
        h(
          'table',
          { 'data-testid': 'trend-table' },
          h('caption', {}, `Target, achieved and collected per month, ${scopeLabel(this.scope)}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Month'),
              h('th', { scope: 'col', className: 'num' }, 'Target'),
              h('th', { scope: 'col', className: 'num' }, 'Achieved'),
              h('th', { scope: 'col', className: 'num' }, 'Collected'),
            ),
          ),
          h(
            'tbody',
            {},
            totals.map((t, i) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, labels[i]),
                h('td', { className: 'num' }, money(t?.target)),
                h('td', { className: 'num' }, money(t?.achieved)),
                h('td', { className: 'num' }, money(t?.collected)),
              ),
            ),
          ),
        ),
      ),
    );
  }
}
