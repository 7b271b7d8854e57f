/**
 * The lineage of one ledger entry (GET /api/v1/ledger-entries/{entryId}/lineage): the entry, the
 * formula recomputed from its inputs, the plan and assignment that applied, and the source event
 * with who recorded it, when, and by which command.
 */
import { h, link, replace, type Child } from '../dom';
import { formatBps, formatInstant, formatMoney, formatPeriod, humanize } from '../format';
import type { Lineage } from '../types';
import { heading, type Page, type PageContext, routeOf } from './page';
import { explain } from './salesperson';

function pairs(rows: readonly [string, Child][], testId?: string): HTMLDListElement {
  return h(
    'dl',
    { className: 'pairs', 'data-testid': testId },
    rows.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
  );
}

function inputValue(name: string, value: unknown, currency: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && /Bps$/.test(name)) return `${formatBps(value)} (${value} bps)`;
  if (typeof value === 'number' && /(amount|Amount|Commission|cappedFrom)$/.test(name)) {
    return `${formatMoney(value, currency)} (${value})`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export class LineagePage implements Page {
  readonly title = 'Lineage';
  /** Ledger entries are append-only: a lineage never changes. */
  readonly live = false;

  constructor(
    private readonly ctx: PageContext,
    private readonly entryId: string,
  ) {}

  async load(position: string | null): Promise<void> {
    const l = await this.ctx.api.get<Lineage>(
      `/ledger-entries/${encodeURIComponent(this.entryId)}/lineage`,
      {},
      { position, signal: this.ctx.signal },
    );
    const e = l.entry;
    const money = (v: number) => formatMoney(v, e.currency);
    const f = l.formula;
    const source = l.sourceEvent;
    const meta = (key: string) => {
      const value = source?.metadata[key];
      return typeof value === 'string' ? value : '—';
    };
    replace(
      this.ctx.main,
      heading(`Lineage: ${humanize(e.type)} entry, ${money(e.amount)}`),
      h(
        'p',
        { className: 'lead' },
        link(
          routeOf(`/salespeople/${encodeURIComponent(e.salespersonId)}`, { period: e.period }),
          `Back to ${e.salespersonId}, ${formatPeriod(e.period)}`,
        ),
      ),
      h(
        'div',
        { className: 'grid-2' },
        h(
          'section',
          { className: 'panel', 'aria-labelledby': 'entry-title' },
          h('h2', { id: 'entry-title' }, 'Entry'),
          pairs(
            [
              ['Entry id', h('code', {}, e.entryId)],
              ['Salesperson', e.salespersonId],
              ['Type', humanize(e.type)],
              ['Amount', money(e.amount)],
              ['Period', formatPeriod(e.period)],
              ['Original period', e.originalPeriod ? formatPeriod(e.originalPeriod) : '—'],
              ['Order', e.orderId ? link(`/orders/${encodeURIComponent(e.orderId)}`, e.orderId) : '—'],
              ['Occurred', formatInstant(e.occurredAt)],
              ['Recorded', formatInstant(e.recordedAt)],
              ['Explanation', explain(e)],
            ],
            'lineage-entry',
          ),
        ),
        h(
          'section',
          { className: 'panel', 'aria-labelledby': 'formula-title' },
          h('h2', { id: 'formula-title' }, 'Formula'),
          h('p', {}, h('code', { className: 'formula' }, f.expression)),
          h(
            'table',
            {},
            h('caption', {}, 'Inputs'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Input'), h('th', { scope: 'col' }, 'Value'))),
            h(
              'tbody',
              {},
              Object.entries(f.inputs).map(([name, value]) =>
                h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, inputValue(name, value, e.currency))),
              ),
            ),
          ),
          pairs([
            ['Stored amount', money(f.result)],
            ['Recomputed', f.recomputed === null ? '—' : money(f.recomputed)],
            ['Capped', f.capped ? 'Yes: never more than the order earned' : 'No'],
            [
              'Check',
              h(
                'strong',
                { className: f.matches ? 'ok' : 'bad', 'data-testid': 'lineage-check' },
                f.matches ? 'The recomputation matches the stored amount' : 'The recomputation does NOT match',
              ),
            ],
          ]),
        ),
      ),
      h(
        'div',
        { className: 'grid-2' },
        h(
          'section',
          { className: 'panel', 'aria-labelledby': 'plan-title' },
          h('h2', { id: 'plan-title' }, 'Plan and assignment'),
          l.plan
            ? pairs([
                ['Plan', `${l.plan.name} (${l.plan.planId})`],
                ['Basis', humanize(l.plan.basis)],
                ['Rate', formatBps(l.plan.rateBps)],
                ['Clawback', `${formatBps(l.plan.clawback.percentBps)} within ${l.plan.clawback.windowDays} days`],
                [
                  'Assignment',
                  l.assignment ? `${l.assignment.assignmentId}, effective ${l.assignment.effectiveFrom}` : '—',
                ],
              ])
            : h('p', {}, 'No plan: adjustments and payouts are posted as recorded.'),
        ),
        h(
          'section',
          { className: 'panel', 'aria-labelledby': 'source-title' },
          h('h2', { id: 'source-title' }, 'Source event'),
          source
            ? [
                pairs(
                  [
                    ['Type', `${source.type} v${source.schemaVersion}`],
                    ['Stream', h('code', {}, `${source.streamId} @ ${source.streamRevision}`)],
                    ['Global position', source.globalPosition],
                    ['Occurred (business time)', formatInstant(source.occurredAt)],
                    ['Recorded', formatInstant(source.recordedAt)],
                    ['Actor', meta('actor')],
                    ['Command', `${meta('commandType')} ${meta('commandId')}`],
                    ['Correlation id', h('code', {}, meta('correlationId'))],
                  ],
                  'lineage-source',
                ),
                h(
                  'details',
                  {},
                  h('summary', {}, 'Event data (JSON)'),
                  h('pre', { tabindex: 0 }, JSON.stringify(source.data, null, 2)),
                ),
              ]
            : h('p', {}, 'The event store does not hold the source event.'),
        ),
      ),
    );
  }
}
