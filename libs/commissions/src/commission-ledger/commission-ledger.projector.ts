import type { EntityManager } from 'typeorm';
import {
  comparePositions,
  type LogPosition,
  parseLogPosition,
  type StoredEvent,
} from '../../../eventsourcing/src/event';
import { type BulkColumn, insertRows } from '../../../projections/src/bulk-insert';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import {
  creditKey,
  InMemoryLedgerView,
  type LedgerChange,
  LEDGER_EVENT_TYPES,
  type OrderCredit,
  type OrderFact,
  projectLedger,
} from './commission-ledger.projection';
import type { Tier } from './commission-rates';

const RELEVANT = new Set<string>(LEDGER_EVENT_TYPES);
/** The events that read or change attainment. */
const ATTAINMENT_EVENT_TYPES = new Set<string>([
  'SaleBooked',
  'SecondarySaleReported',
  'OrderCancelled',
  'ProductReturned',
]);

/**
 * Applies the pure ledger projection to a batch: loads the plans and assignments the batch's
 * sales need (and, for its PeriodClosed events, the entries posted after their checkpoints), runs
 * `projectLedger` event by event (each change visible to the next event), and writes all changes
 * in the batch's transaction, in order.
 */
export class CommissionLedgerProjector implements Projector {
  readonly name = 'commission-ledger';
  readonly tables = [
    'ledger_plans',
    'ledger_salespeople',
    'ledger_assignments',
    'ledger_order_credits',
    'ledger_entries',
    'ledger_exceptions',
    'ledger_closed_periods',
    'ledger_quotas',
    'ledger_attainment',
    'ledger_order_facts',
  ];
  /** A period's entries are those posted to it; credits those of orders booked in it; the rest whole. */
  readonly replayScope: readonly ReplayTable[] = [
    { table: 'ledger_entries', key: ['entry_id'], periodFilter: 'period = $1' },
    {
      table: 'ledger_order_credits',
      key: ['order_id', 'salesperson_id', 'override_of'],
      periodFilter: `to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`,
    },
    {
      table: 'ledger_order_facts',
      key: ['event_id'],
      periodFilter: `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`,
    },
    { table: 'ledger_quotas', key: ['salesperson_id', 'year', 'business_unit'] },
    { table: 'ledger_attainment', key: ['salesperson_id', 'year'] },
    { table: 'ledger_plans', key: ['plan_id'] },
    { table: 'ledger_salespeople', key: ['salesperson_id'] },
    { table: 'ledger_assignments', key: ['assignment_id'] },
    { table: 'ledger_exceptions', key: ['exception_id'] },
  ];

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const relevant = events.filter((e) => RELEVANT.has(e.type));
    if (relevant.length === 0) return;
    const view = await this.loadView(relevant, manager);
    const changes: LedgerChange[] = [];
    for (const event of relevant) {
      for (const change of projectLedger(view, event)) {
        view.apply(change);
        changes.push(change);
      }
    }
    await this.write(changes, manager, view);
  }

  private async loadView(events: readonly StoredEvent[], manager: EntityManager): Promise<InMemoryLedgerView> {
    const salespeople = new Set<string>();
    const orders = new Set<string>();
    const recalculated = new Set<string>();
    for (const e of events) {
      if (e.type === 'SaleBooked' || e.type === 'SecondarySaleReported') {
        for (const c of (e.data as { salesCredits: { salespersonId: string }[] }).salesCredits) {
          salespeople.add(c.salespersonId);
        }
      } else if (e.type === 'CommissionsRecalculated') {
        const sp = (e.data as { salespersonId: string }).salespersonId;
        salespeople.add(sp);
        recalculated.add(sp);
      } else {
        const orderId = (e.data as { orderId?: unknown }).orderId;
        if (typeof orderId === 'string') orders.add(orderId);
      }
    }
    const view = new InMemoryLedgerView();
    const closed = (await manager.query('SELECT max(period) AS period FROM ledger_closed_periods')) as Array<{
      period: string | null;
    }>;
    view.lastClosed = closed[0]?.period ?? null;
    await this.loadPostedEntries(events, manager, view);
    if (salespeople.size === 0 && orders.size === 0) return view;
    // A recalculation needs the salesperson's direct credits (with their whole orders) and the
    // orders' payments and reductions.
    const recalculatedOrders: string[] = [];
    if (recalculated.size > 0) {
      const rows = (await manager.query(
        `SELECT DISTINCT order_id FROM ledger_order_credits WHERE salesperson_id = ANY($1::text[]) AND override_of = ''`,
        [[...recalculated]],
      )) as Array<{ order_id: string }>;
      for (const r of rows) {
        orders.add(r.order_id);
        recalculatedOrders.push(r.order_id);
      }
    }
    if (orders.size > 0) {
      const credits = (await manager.query(
        `SELECT order_id, salesperson_id, override_of, split_bps, plan_id, assignment_id, booked_at,
                earned::text AS earned, clawed_back::text AS clawed_back, rate_num::text AS rate_num,
                rate_den::text AS rate_den, basis, window_days, percent_bps, sale_amount::text AS sale_amount, sell_in,
                attainment_before::text AS attainment_before, holdback_bps,
                to_char(release_on, 'YYYY-MM-DD') AS release_on, held::text AS held
           FROM ledger_order_credits WHERE order_id = ANY($1::text[]) ORDER BY order_id, position`,
        [[...orders]],
      )) as CreditRow[];
      for (const c of credits) view.apply({ kind: 'order-credit', credit: creditOf(c) });
    }
    if (recalculatedOrders.length > 0) {
      const facts = (await manager.query(
        `SELECT event_id::text AS event_id, order_id, trigger, amount::text AS amount, refund_part::text AS refund_part, at
           FROM ledger_order_facts WHERE order_id = ANY($1::text[]) ORDER BY seq`,
        [recalculatedOrders],
      )) as Array<{
        event_id: string;
        order_id: string;
        trigger: OrderFact['trigger'];
        amount: string;
        refund_part: string;
        at: Date;
      }>;
      for (const f of facts) {
        view.apply({
          kind: 'order-fact',
          fact: {
            orderId: f.order_id,
            eventId: f.event_id,
            trigger: f.trigger,
            amount: BigInt(f.amount),
            refundPart: BigInt(f.refund_part),
            at: f.at.toISOString(),
          },
        });
      }
    }
    // Managers (overrides) of the credited salespeople.
    if (salespeople.size > 0) {
      const people = (await manager.query(
        'SELECT salesperson_id, manager_id FROM ledger_salespeople WHERE salesperson_id = ANY($1::text[])',
        [[...salespeople]],
      )) as Array<{ salesperson_id: string; manager_id: string | null }>;
      for (const p of people) {
        view.managers.set(p.salesperson_id, p.manager_id);
        if (p.manager_id) salespeople.add(p.manager_id);
      }
    }
    // Attainment of everyone a sale or a reduction may change (payments and write-offs change none),
    // and the quotas of those who sell.
    if (events.some((e) => ATTAINMENT_EVENT_TYPES.has(e.type))) {
      const credited = new Set(salespeople);
      for (const list of view.creditsByOrder.values()) for (const c of list) credited.add(c.salespersonId);
      const attainment = (await manager.query(
        'SELECT salesperson_id, year, total::text AS total FROM ledger_attainment WHERE salesperson_id = ANY($1::text[])',
        [[...credited]],
      )) as Array<{ salesperson_id: string; year: number; total: string }>;
      for (const a of attainment) {
        view.apply({ kind: 'attainment', salespersonId: a.salesperson_id, year: a.year, total: BigInt(a.total) });
      }
    }
    const quotas = (await manager.query(
      `SELECT salesperson_id, year, business_unit, annual_target::text AS annual_target
         FROM ledger_quotas WHERE salesperson_id = ANY($1::text[])`,
      [[...salespeople]],
    )) as Array<{ salesperson_id: string; year: number; business_unit: string; annual_target: string }>;
    for (const q of quotas) {
      view.apply({
        kind: 'quota',
        salespersonId: q.salesperson_id,
        year: q.year,
        businessUnit: q.business_unit,
        annualTarget: BigInt(q.annual_target),
      });
    }
    const assignments = (await manager.query(
      `SELECT assignment_id, salesperson_id, plan_id, to_char(effective_from, 'YYYY-MM-DD') AS effective_from
         FROM ledger_assignments WHERE salesperson_id = ANY($1::text[]) ORDER BY seq`,
      [[...salespeople]],
    )) as Array<{ assignment_id: string; salesperson_id: string; plan_id: string; effective_from: string }>;
    for (const a of assignments) {
      view.apply({
        kind: 'assignment',
        salespersonId: a.salesperson_id,
        assignment: { assignmentId: a.assignment_id, planId: a.plan_id, effectiveFrom: a.effective_from },
      });
    }
    // The plans the view can be asked for: those of the loaded credits and assignments, and any a
    // batch event names (an assignment made in this batch to a plan created earlier).
    const planIds = new Set<string>();
    for (const credits of view.creditsByOrder.values()) for (const c of credits) if (c.planId) planIds.add(c.planId);
    for (const a of assignments) planIds.add(a.plan_id);
    for (const e of events) {
      const planId = (e.data as { planId?: unknown }).planId;
      if (typeof planId === 'string') planIds.add(planId);
    }
    if (planIds.size === 0) return view;
    const plans = (await manager.query('SELECT * FROM ledger_plans WHERE plan_id = ANY($1::text[])', [
      [...planIds],
    ])) as Array<{
      plan_id: string;
      name: string;
      currency: string;
      basis: 'BOOKING' | 'COLLECTION';
      rate_bps: number;
      window_days: number;
      percent_bps: number;
      tiers: Tier[] | null;
      override_rate_bps: number;
      holdback_bps: number;
      primary_distributor_sales_earn: boolean;
      secondary_rate_bps: number | null;
    }>;
    for (const p of plans) {
      view.apply({
        kind: 'plan',
        plan: {
          planId: p.plan_id,
          name: p.name,
          currency: p.currency,
          basis: p.basis,
          rateBps: p.rate_bps,
          windowDays: p.window_days,
          percentBps: p.percent_bps,
          tiers: p.tiers,
          overrideRateBps: p.override_rate_bps,
          holdbackBps: p.holdback_bps,
          primaryDistributorSalesEarn: p.primary_distributor_sales_earn,
          secondaryRateBps: p.secondary_rate_bps,
        },
      });
    }
    return view;
  }

  /**
   * For the batch's PeriodClosed events with a checkpoint: the entries already in the read model
   * that any of them may repost (posted to the latest closing period or earlier, source event after
   * the earliest checkpoint), in ledger order. Entries of the batch itself join the view as they
   * are applied; the pure projection picks out exactly what each close reposts.
   */
  private async loadPostedEntries(
    events: readonly StoredEvent[],
    manager: EntityManager,
    view: InMemoryLedgerView,
  ): Promise<void> {
    let throughPeriod: string | null = null;
    let after: LogPosition | null = null;
    for (const e of events) {
      if (e.type !== 'PeriodClosed') continue;
      const data = e.data as { period: string; throughLogPosition?: string | null };
      const at = typeof data.throughLogPosition === 'string' ? parseLogPosition(data.throughLogPosition) : null;
      if (!at) continue;
      if (throughPeriod === null || data.period > throughPeriod) throughPeriod = data.period;
      if (after === null || comparePositions(at, after) < 0) after = at;
    }
    if (throughPeriod === null || after === null) return;
    const rows = (await manager.query(
      `SELECT entry_id::text AS entry_id, salesperson_id, period, original_period,
              source_log_major::text AS log_major, source_log_minor::text AS log_minor
         FROM ledger_entries
        WHERE ledger_entries.period <= $1
          AND (ledger_entries.source_log_major, ledger_entries.source_log_minor) > ($2::bigint, $3::bigint)
        ORDER BY ledger_entries.seq`,
      [throughPeriod, after.major.toString(), after.minor.toString()],
    )) as Array<{
      entry_id: string;
      salesperson_id: string;
      period: string;
      original_period: string | null;
      log_major: string;
      log_minor: string;
    }>;
    for (const r of rows) {
      view.remember({
        entryId: r.entry_id,
        salespersonId: r.salesperson_id,
        period: r.period,
        originalPeriod: r.original_period,
        sourceLogPosition: { major: BigInt(r.log_major), minor: BigInt(r.log_minor) },
      });
    }
  }

  private async write(
    changes: readonly LedgerChange[],
    manager: EntityManager,
    view: InMemoryLedgerView,
  ): Promise<void> {
    // Order credits change with every entry: write each one's final state once per batch.
    // Position = the credit's place within its order (as booked), whatever the batch holds.
    const credits = new Map<string, { credit: OrderCredit; position: number }>();
    const attainment = new Map<string, { salespersonId: string; year: number; total: bigint }>();
    const quotas = new Map<string, Extract<LedgerChange, { kind: 'quota' }>>();
    const facts: unknown[][] = [];
    for (const change of changes) {
      if (change.kind === 'attainment') {
        attainment.set(`${change.salespersonId}\u0000${change.year}`, change);
      } else if (change.kind === 'quota') {
        quotas.set(`${change.salespersonId}\u0000${change.year}\u0000${change.businessUnit}`, change);
      } else if (change.kind === 'order-fact') {
        const f = change.fact;
        facts.push([f.eventId, f.orderId, f.trigger, f.amount, f.refundPart, f.at]);
      }
      if (change.kind !== 'order-credit') continue;
      const key = `${change.credit.orderId}\u0000${creditKey(change.credit)}`;
      const position = view
        .orderCredits(change.credit.orderId)
        .findIndex((c) => creditKey(c) === creditKey(change.credit));
      credits.set(key, { credit: change.credit, position });
    }
    await insertRows(
      manager,
      'ledger_attainment',
      [
        { name: 'salesperson_id', type: 'text' },
        { name: 'year', type: 'integer' },
        { name: 'total', type: 'numeric' },
      ],
      [...attainment.values()].map((a) => [a.salespersonId, a.year, a.total]),
      'ON CONFLICT (salesperson_id, year) DO UPDATE SET total = EXCLUDED.total',
    );
    await insertRows(
      manager,
      'ledger_quotas',
      [
        { name: 'salesperson_id', type: 'text' },
        { name: 'year', type: 'integer' },
        { name: 'business_unit', type: 'text' },
        { name: 'annual_target', type: 'bigint' },
      ],
      [...quotas.values()].map((q) => [q.salespersonId, q.year, q.businessUnit, q.annualTarget]),
      'ON CONFLICT (salesperson_id, year, business_unit) DO UPDATE SET annual_target = EXCLUDED.annual_target',
    );
    await insertRows(manager, 'ledger_order_facts', FACT_COLUMNS, facts, 'ON CONFLICT (event_id) DO NOTHING');
    await insertRows(
      manager,
      'ledger_order_credits',
      CREDIT_COLUMNS,
      [...credits.values()].map(({ credit: c, position }) => [
        c.orderId,
        c.salespersonId,
        position,
        c.splitBps,
        c.planId,
        c.assignmentId,
        c.bookedAt,
        c.earned,
        c.clawedBack,
        c.overrideOf ?? '',
        c.rate.num,
        c.rate.den,
        c.basis,
        c.windowDays,
        c.percentBps,
        c.saleAmount,
        c.sellIn,
        c.attainmentBefore,
        c.holdbackBps,
        c.releaseOn,
        c.held,
      ]),
      `ON CONFLICT (order_id, salesperson_id, override_of) DO UPDATE SET earned = EXCLUDED.earned,
         clawed_back = EXCLUDED.clawed_back, held = EXCLUDED.held, plan_id = EXCLUDED.plan_id,
         assignment_id = EXCLUDED.assignment_id, rate_num = EXCLUDED.rate_num, rate_den = EXCLUDED.rate_den,
         basis = EXCLUDED.basis, window_days = EXCLUDED.window_days, percent_bps = EXCLUDED.percent_bps,
         holdback_bps = EXCLUDED.holdback_bps`,
    );
    // Entries are written many per statement; a repost must see the entries before it, so the
    // pending ones are written first.
    let entries: unknown[][] = [];
    const flushEntries = async () => {
      await insertRows(manager, 'ledger_entries', ENTRY_COLUMNS, entries);
      entries = [];
    };
    for (const change of changes) {
      switch (change.kind) {
        case 'plan': {
          const p = change.plan;
          await manager.query(
            `INSERT INTO ledger_plans (plan_id, name, currency, basis, rate_bps, window_days, percent_bps, tiers,
                                       override_rate_bps, holdback_bps, primary_distributor_sales_earn, secondary_rate_bps)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (plan_id) DO NOTHING`,
            [
              p.planId,
              p.name,
              p.currency,
              p.basis,
              p.rateBps,
              p.windowDays,
              p.percentBps,
              p.tiers === null ? null : JSON.stringify(p.tiers),
              p.overrideRateBps,
              p.holdbackBps,
              p.primaryDistributorSalesEarn,
              p.secondaryRateBps,
            ],
          );
          break;
        }
        case 'salesperson':
          await manager.query(
            `INSERT INTO ledger_salespeople (salesperson_id, name, team_id, manager_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (salesperson_id) DO NOTHING`,
            [change.salespersonId, change.name, change.teamId, change.managerId],
          );
          break;
        case 'assignment':
          await manager.query(
            `INSERT INTO ledger_assignments (assignment_id, salesperson_id, plan_id, effective_from)
             VALUES ($1, $2, $3, $4) ON CONFLICT (assignment_id) DO NOTHING`,
            [
              change.assignment.assignmentId,
              change.salespersonId,
              change.assignment.planId,
              change.assignment.effectiveFrom,
            ],
          );
          break;
        case 'entry': {
          const e = change.entry;
          entries.push([
            e.entryId,
            e.salespersonId,
            e.type,
            e.amount,
            e.currency,
            e.period,
            e.originalPeriod,
            e.orderId,
            e.sourceEventId,
            e.sourcePosition,
            e.occurredAt,
            e.recordedAt,
            JSON.stringify(e.explanation),
            e.sourceLogPosition.major,
            e.sourceLogPosition.minor,
            e.held,
            e.releaseOn,
          ]);
          break;
        }
        case 'repost': {
          // In order with the other changes: the entries of this batch so far are written first.
          await flushEntries();
          const moved = (await manager.query(
            `WITH u AS (
               UPDATE ledger_entries
                  SET period = $2, original_period = $3, reposted_from = $4, reposted_at = $5,
                      explanation = explanation || jsonb_build_object('repostedByEventId', $6::text)
                WHERE entry_id = $1 AND period = $4
               RETURNING entry_id)
             SELECT count(*)::int AS n FROM u`,
            [change.entryId, change.toPeriod, change.originalPeriod, change.fromPeriod, change.at, change.closeEventId],
          )) as Array<{ n: number }>;
          if (moved[0]?.n !== 1) {
            throw new Error(`Ledger entry ${change.entryId} to repost is not in period ${change.fromPeriod}`);
          }
          break;
        }
        case 'period-closed':
          await manager.query('INSERT INTO ledger_closed_periods (period) VALUES ($1) ON CONFLICT DO NOTHING', [
            change.period,
          ]);
          break;
        case 'exception-resolved':
          await manager.query(
            `UPDATE ledger_exceptions SET resolved_by_event_id = $4, resolved_at = $5
              WHERE code = $1 AND order_id = $2 AND salesperson_id = $3 AND resolved_by_event_id IS NULL`,
            [change.code, change.orderId, change.salespersonId, change.byEventId, change.at],
          );
          break;
        case 'exception': {
          const x = change.exception;
          await manager.query(
            `INSERT INTO ledger_exceptions (exception_id, code, order_id, salesperson_id, detail, source_position)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (exception_id) DO NOTHING`,
            [x.exceptionId, x.code, x.orderId, x.salespersonId, x.detail, x.sourcePosition.toString()],
          );
          break;
        }
      }
    }
    await flushEntries();
  }
}

const CREDIT_COLUMNS: readonly BulkColumn[] = [
  { name: 'order_id', type: 'text' },
  { name: 'salesperson_id', type: 'text' },
  { name: 'position', type: 'integer' },
  { name: 'split_bps', type: 'integer' },
  { name: 'plan_id', type: 'text' },
  { name: 'assignment_id', type: 'text' },
  { name: 'booked_at', type: 'timestamptz' },
  { name: 'earned', type: 'bigint' },
  { name: 'clawed_back', type: 'bigint' },
  { name: 'override_of', type: 'text' },
  { name: 'rate_num', type: 'numeric' },
  { name: 'rate_den', type: 'numeric' },
  { name: 'basis', type: 'text' },
  { name: 'window_days', type: 'integer' },
  { name: 'percent_bps', type: 'integer' },
  { name: 'sale_amount', type: 'bigint' },
  { name: 'sell_in', type: 'boolean' },
  { name: 'attainment_before', type: 'numeric' },
  { name: 'holdback_bps', type: 'integer' },
  { name: 'release_on', type: 'date' },
  { name: 'held', type: 'bigint' },
];

const FACT_COLUMNS: readonly BulkColumn[] = [
  { name: 'event_id', type: 'uuid' },
  { name: 'order_id', type: 'text' },
  { name: 'trigger', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'refund_part', type: 'bigint' },
  { name: 'at', type: 'timestamptz' },
];

interface CreditRow {
  order_id: string;
  salesperson_id: string;
  override_of: string;
  split_bps: number;
  plan_id: string | null;
  assignment_id: string | null;
  booked_at: Date;
  earned: string;
  clawed_back: string;
  rate_num: string;
  rate_den: string;
  basis: 'BOOKING' | 'COLLECTION' | null;
  window_days: number;
  percent_bps: number;
  sale_amount: string | null;
  sell_in: boolean;
  attainment_before: string | null;
  holdback_bps: number;
  release_on: string | null;
  held: string;
}

function creditOf(c: CreditRow): OrderCredit {
  return {
    orderId: c.order_id,
    salespersonId: c.salesperson_id,
    overrideOf: c.override_of === '' ? null : c.override_of,
    splitBps: c.split_bps,
    planId: c.plan_id,
    assignmentId: c.assignment_id,
    bookedAt: c.booked_at.toISOString(),
    earned: BigInt(c.earned),
    clawedBack: BigInt(c.clawed_back),
    rate: { num: BigInt(c.rate_num), den: BigInt(c.rate_den) },
    basis: c.basis,
    windowDays: c.window_days,
    percentBps: c.percent_bps,
    saleAmount: c.sale_amount === null ? null : BigInt(c.sale_amount),
    sellIn: c.sell_in,
    attainmentBefore: c.attainment_before === null ? null : BigInt(c.attainment_before),
    holdbackBps: c.holdback_bps,
    releaseOn: c.release_on,
    held: BigInt(c.held),
  };
}

const ENTRY_COLUMNS: readonly BulkColumn[] = [
  { name: 'entry_id', type: 'uuid' },
  { name: 'salesperson_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'currency', type: 'text' },
  { name: 'period', type: 'text' },
  { name: 'original_period', type: 'text' },
  { name: 'order_id', type: 'text' },
  { name: 'source_event_id', type: 'uuid' },
  { name: 'source_position', type: 'bigint' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'explanation', type: 'jsonb' },
  { name: 'source_log_major', type: 'bigint' },
  { name: 'source_log_minor', type: 'bigint' },
  { name: 'held', type: 'bigint' },
  { name: 'release_on', type: 'date' },
];
