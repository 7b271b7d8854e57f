import type { EntityManager } from 'typeorm';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { type BulkColumn, insertRows } from '../../../projections/src/bulk-insert';
import type { Projector, ReplayTable } from '../../../projections/src/projector';
import type { OrderTotals } from '../order-status/track-to-cash.projection';
import {
  type BookedOrder,
  type CollectionTasksChange,
  foldTotals,
  projectCollectionTasks,
} from './collection-tasks.projection';

const BOOKED_IN_PERIOD = `to_char(booked_at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`;
const AT_IN_PERIOD = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM') = $1`;

const CREDITS: readonly BulkColumn[] = [
  { name: 'order_id', type: 'text' },
  { name: 'salesperson_id', type: 'text' },
  { name: 'split_bps', type: 'integer' },
];
const FACTS: readonly BulkColumn[] = [
  { name: 'order_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'at', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'data', type: 'jsonb' },
];
const SALESPEOPLE: readonly BulkColumn[] = [
  { name: 'salesperson_id', type: 'text' },
  { name: 'manager_id', type: 'text' },
  { name: 'team_id', type: 'text' },
  { name: 'recorded_at', type: 'timestamptz' },
];
const POLICIES: readonly BulkColumn[] = [
  { name: 'policy_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'at', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'data', type: 'jsonb' },
];
const CUSTOMER_POLICIES: readonly BulkColumn[] = [
  { name: 'customer_id', type: 'text' },
  { name: 'type', type: 'text' },
  { name: 'at', type: 'timestamptz' },
  { name: 'recorded_at', type: 'timestamptz' },
  { name: 'data', type: 'jsonb' },
];
const FALLEN: readonly BulkColumn[] = [
  { name: 'task_id', type: 'text' },
  { name: 'order_id', type: 'text' },
  { name: 'recorded_at', type: 'timestamptz' },
];

interface OrderRow {
  order_id: string;
  customer_id: string;
  currency: string;
  booked_at: Date;
  recorded_at: Date;
  net: string;
  paid_net: string;
  written_off: string;
  invoiced: string;
  receivable: string;
  max_at: Date;
  max_recorded_at: Date;
}

interface OrderEntry {
  readonly header: Omit<BookedOrder, 'totals' | 'salesCredits'>;
  totals: OrderTotals;
}

/**
 * Writes the collection tasks' read model (collection-tasks.projection.ts): the receivables'
 * orders with running totals, credits and facts, the salespeople's managers and teams, the
 * policies, the customers' policy assignments and the tasks already fallen due. Rows are written
 * many per statement in the batch's transaction.
 */
export class CollectionTasksProjector implements Projector {
  readonly name = 'collection-tasks';
  readonly tables = [
    'ct_orders',
    'ct_order_credits',
    'ct_facts',
    'ct_salespeople',
    'ct_policies',
    'ct_customer_policies',
    'ct_fallen_due',
  ];
  /** A period's orders are those booked in it; its facts, policies and assignments those dated in it. */
  readonly replayScope: readonly ReplayTable[] = [
    { table: 'ct_orders', key: ['order_id'], periodFilter: BOOKED_IN_PERIOD },
    {
      table: 'ct_order_credits',
      key: ['order_id', 'salesperson_id'],
      periodFilter: `order_id IN (SELECT order_id FROM ct_orders WHERE ${BOOKED_IN_PERIOD})`,
    },
    { table: 'ct_facts', periodFilter: AT_IN_PERIOD },
    { table: 'ct_salespeople', key: ['salesperson_id'] },
    { table: 'ct_policies', periodFilter: AT_IN_PERIOD },
    { table: 'ct_customer_policies', periodFilter: AT_IN_PERIOD },
    { table: 'ct_fallen_due', key: ['task_id'] },
  ];

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const changes: CollectionTasksChange[] = events.flatMap((e) => projectCollectionTasks(e));
    if (changes.length === 0) return;
    const rows = <K extends CollectionTasksChange['kind']>(kind: K) =>
      changes.filter((c): c is Extract<CollectionTasksChange, { kind: K }> => c.kind === kind);

    const booked = rows('order').map((c) => c.order);
    const facts = rows('fact');
    await insertRows(
      manager,
      'ct_salespeople',
      SALESPEOPLE,
      rows('salesperson').map((c) => [c.salespersonId, c.managerId, c.teamId, c.recordedAt]),
      'ON CONFLICT (salesperson_id) DO NOTHING',
    );
    await insertRows(
      manager,
      'ct_order_credits',
      CREDITS,
      booked.flatMap((o) => o.salesCredits.map((c) => [o.orderId, c.salespersonId, c.splitBps])),
      'ON CONFLICT (order_id, salesperson_id) DO NOTHING',
    );
    await insertRows(
      manager,
      'ct_facts',
      FACTS,
      facts.map(({ fact: f }) => [f.orderId, f.type, f.at, f.recordedAt, JSON.stringify(f.data)]),
    );
    await insertRows(
      manager,
      'ct_policies',
      POLICIES,
      rows('policy').map((c) => [c.policyId, c.type, c.at, c.recordedAt, JSON.stringify(c.data)]),
    );
    await insertRows(
      manager,
      'ct_customer_policies',
      CUSTOMER_POLICIES,
      rows('customer-policy').map((c) => [c.customerId, c.type, c.at, c.recordedAt, JSON.stringify(c.data)]),
    );
    await insertRows(
      manager,
      'ct_fallen_due',
      FALLEN,
      rows('fell-due').map((c) => [c.taskId, c.orderId, c.recordedAt]),
      'ON CONFLICT (task_id) DO NOTHING',
    );
    await this.writeTotals(booked, facts, manager);
  }

  /** Running totals: orders booked before this batch are read once, every money fact folded in record order. */
  private async writeTotals(
    booked: readonly BookedOrder[],
    facts: ReadonlyArray<Extract<CollectionTasksChange, { kind: 'fact' }>>,
    manager: EntityManager,
  ): Promise<void> {
    const entries = new Map<string, OrderEntry>();
    for (const o of booked) {
      entries.set(o.orderId, {
        header: {
          orderId: o.orderId,
          customerId: o.customerId,
          currency: o.currency,
          bookedAt: o.bookedAt,
          recordedAt: o.recordedAt,
        },
        totals: o.totals,
      });
    }
    const money = facts.filter((f) => f.milestone !== null);
    const earlier = [...new Set(money.map((f) => f.fact.orderId))].filter((id) => !entries.has(id));
    if (earlier.length > 0) {
      const found = (await manager.query(
        `SELECT order_id, customer_id, currency, booked_at, recorded_at, net::text AS net, paid_net::text AS paid_net,
                written_off::text AS written_off, invoiced::text AS invoiced, receivable::text AS receivable,
                max_at, max_recorded_at
           FROM ct_orders WHERE order_id = ANY($1::text[])`,
        [earlier],
      )) as OrderRow[];
      for (const r of found) {
        entries.set(r.order_id, {
          header: {
            orderId: r.order_id,
            customerId: r.customer_id,
            currency: r.currency,
            bookedAt: r.booked_at.toISOString(),
            recordedAt: r.recorded_at.toISOString(),
          },
          totals: {
            orderId: r.order_id,
            net: Number(r.net),
            paidNet: Number(r.paid_net),
            writtenOff: Number(r.written_off),
            invoiced: Number(r.invoiced),
            receivable: Number(r.receivable),
            dueDate: '',
            maxAt: r.max_at.toISOString(),
            maxRecordedAt: r.max_recorded_at.toISOString(),
          },
        });
      }
    }
    const touched = new Set(booked.map((o) => o.orderId));
    for (const f of money) {
      const entry = entries.get(f.fact.orderId);
      if (!entry) continue; // a fact of an order never booked: no receivable to show it on
      entry.totals = foldTotals(entry.totals, f.milestone);
      touched.add(f.fact.orderId);
    }
    const list = [...touched].map((id) => entries.get(id)!);
    if (list.length === 0) return;
    await manager.query(
      `INSERT INTO ct_orders (order_id, customer_id, currency, booked_at, recorded_at, net, paid_net, written_off,
                              invoiced, receivable, max_at, max_recorded_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[],
                            $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::timestamptz[], $12::timestamptz[])
       ON CONFLICT (order_id) DO UPDATE
          SET net = EXCLUDED.net, paid_net = EXCLUDED.paid_net, written_off = EXCLUDED.written_off,
              invoiced = EXCLUDED.invoiced, receivable = EXCLUDED.receivable, max_at = EXCLUDED.max_at,
              max_recorded_at = EXCLUDED.max_recorded_at`,
      [
        list.map((e) => e.header.orderId),
        list.map((e) => e.header.customerId),
        list.map((e) => e.header.currency),
        list.map((e) => e.header.bookedAt),
        list.map((e) => e.header.recordedAt),
        list.map((e) => e.totals.net),
        list.map((e) => e.totals.paidNet),
        list.map((e) => e.totals.writtenOff),
        list.map((e) => e.totals.invoiced),
        list.map((e) => e.totals.receivable),
        list.map((e) => e.totals.maxAt),
        list.map((e) => e.totals.maxRecordedAt),
      ],
    );
  }
}
