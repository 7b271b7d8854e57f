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
  InMemoryLedgerView,
  type LedgerChange,
  LEDGER_EVENT_TYPES,
  type OrderCredit,
  projectLedger,
} from './commission-ledger.projection';

const RELEVANT = new Set<string>(LEDGER_EVENT_TYPES);

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
  ];
  /** A period's entries are those posted to it; credits those of orders booked in it; the rest whole. */
  readonly replayScope: readonly ReplayTable[] = [
    { table: 'ledger_entries', key: ['entry_id'], periodFilter: 'period = $1' },
    {
      table: 'ledger_order_credits',
      key: ['order_id', 'salesperson_id'],
      periodFilter: `to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`,
    },
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
    for (const e of events) {
      if (e.type === 'SaleBooked') {
        for (const c of (e.data as { salesCredits: { salespersonId: string }[] }).salesCredits) {
          salespeople.add(c.salespersonId);
        }
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
    if (orders.size > 0) {
      const credits = (await manager.query(
        `SELECT order_id, salesperson_id, split_bps, plan_id, assignment_id, booked_at, earned::text AS earned,
                clawed_back::text AS clawed_back
           FROM ledger_order_credits WHERE order_id = ANY($1::text[]) ORDER BY order_id, position`,
        [[...orders]],
      )) as Array<{
        order_id: string;
        salesperson_id: string;
        split_bps: number;
        plan_id: string | null;
        assignment_id: string | null;
        booked_at: Date;
        earned: string;
        clawed_back: string;
      }>;
      for (const c of credits) {
        view.apply({
          kind: 'order-credit',
          credit: {
            orderId: c.order_id,
            salespersonId: c.salesperson_id,
            splitBps: c.split_bps,
            planId: c.plan_id,
            assignmentId: c.assignment_id,
            bookedAt: c.booked_at.toISOString(),
            earned: BigInt(c.earned),
            clawedBack: BigInt(c.clawed_back),
          },
        });
      }
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
    for (const change of changes) {
      if (change.kind !== 'order-credit') continue;
      const key = `${change.credit.orderId}\u0000${change.credit.salespersonId}`;
      const position = view
        .orderCredits(change.credit.orderId)
        .findIndex((c) => c.salespersonId === change.credit.salespersonId);
      credits.set(key, { credit: change.credit, position });
    }
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
      ]),
      'ON CONFLICT (order_id, salesperson_id) DO UPDATE SET earned = EXCLUDED.earned, clawed_back = EXCLUDED.clawed_back',
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
            `INSERT INTO ledger_plans (plan_id, name, currency, basis, rate_bps, window_days, percent_bps)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id) DO NOTHING`,
            [p.planId, p.name, p.currency, p.basis, p.rateBps, p.windowDays, p.percentBps],
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
];

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
];
