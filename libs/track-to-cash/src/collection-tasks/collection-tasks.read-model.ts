import type { DataSource } from 'typeorm';
import {
  type CollectionScheduleInput,
  type CollectionTask,
  collectionTasks,
} from '../../../sales/src/collections/collection-schedule';
import type { CollectionPolicyCreated } from '../../../sales/src/contracts/collections.events';

/** Business time (asOf) and record time (knownAt, null: everything recorded). */
export interface TaskTimes {
  readonly asOf: Date;
  readonly knownAt: Date | null;
}

/** Receivables read per round trip when computing tasks. */
export const ORDERS_PER_CHUNK = 500;

/**
 * SQL (alias o = ct_orders) of the orders that may have tasks at asOf/knownAt: booked and recorded
 * by then, and — when their running totals are exact then (every money fact dated ≤ asOf and
 * recorded ≤ knownAt) — invoiced, and with `openOnly` still owing something. An order left out has
 * no task (no invoice yet), or only DONE and CANCELLED ones (nothing open: the schedule cancels
 * what is not done). `asOf` and `knownAt` are placeholders (knownAt null: no record-time limit).
 */
export function candidateSql(asOf: string, knownAt: string | null, openOnly: boolean): string {
  const exact = knownAt === null ? `o.max_at <= ${asOf}` : `o.max_at <= ${asOf} AND o.max_recorded_at <= ${knownAt}`;
  const settled = openOnly ? `(o.invoiced = 0 OR o.receivable = 0)` : `o.invoiced = 0`;
  return `o.booked_at <= ${asOf}${knownAt === null ? '' : ` AND o.recorded_at <= ${knownAt}`}
          AND NOT (${exact} AND ${settled})`;
}

interface FactRow {
  order_id: string;
  type: string;
  at: Date;
  recorded_at: Date;
  data: Record<string, unknown>;
}

/**
 * The tasks of the given orders at asOf/knownAt: the read model's facts handed to the collection
 * schedule function (libs/sales/src/collections/collection-schedule.ts), which alone decides them.
 */
export async function tasksOfOrders(
  db: DataSource,
  orderIds: readonly string[],
  times: TaskTimes,
): Promise<CollectionTask[]> {
  const out: CollectionTask[] = [];
  for (let i = 0; i < orderIds.length; i += ORDERS_PER_CHUNK) {
    out.push(...(await tasksOfChunk(db, orderIds.slice(i, i + ORDERS_PER_CHUNK), times)));
  }
  return out;
}

async function tasksOfChunk(db: DataSource, orderIds: readonly string[], times: TaskTimes): Promise<CollectionTask[]> {
  if (orderIds.length === 0) return [];
  const asOf = times.asOf.toISOString();
  const knownAt = times.knownAt?.toISOString() ?? null;
  const orders = (await db.query(
    `SELECT order_id, customer_id FROM ct_orders WHERE order_id = ANY($1::text[]) ORDER BY order_id`,
    [orderIds],
  )) as Array<{ order_id: string; customer_id: string }>;
  const facts = (await db.query(
    `SELECT order_id, type, at, recorded_at, data FROM ct_facts
      WHERE order_id = ANY($1::text[]) AND at <= $2::timestamptz AND ($3::timestamptz IS NULL OR recorded_at <= $3::timestamptz)
      ORDER BY order_id, seq`,
    [orderIds, asOf, knownAt],
  )) as FactRow[];
  const customers = [...new Set(orders.map((o) => o.customer_id))];
  const assignments = (await db.query(
    `SELECT customer_id, type, at, recorded_at, data FROM ct_customer_policies
      WHERE customer_id = ANY($1::text[]) AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)
      ORDER BY seq`,
    [customers, knownAt],
  )) as Array<Omit<FactRow, 'order_id'> & { customer_id: string }>;
  const policyIds = [...new Set(assignments.map((a) => String(a.data['policyId'])))];
  const policies: Record<string, CollectionPolicyCreated['data']> = {};
  if (policyIds.length > 0) {
    const rows = (await db.query(
      `SELECT policy_id, data FROM ct_policies
        WHERE policy_id = ANY($1::text[]) AND type = 'CollectionPolicyCreated'
          AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)
        ORDER BY seq`,
      [policyIds, knownAt],
    )) as Array<{ policy_id: string; data: CollectionPolicyCreated['data'] }>;
    for (const r of rows) policies[r.policy_id] ??= r.data; // a policy never changes: the first is the one
  }
  const credited = new Set<string>();
  for (const f of facts) {
    if (f.type !== 'SaleBooked') continue;
    for (const c of (f.data['salesCredits'] ?? []) as Array<{ salespersonId: string }>) credited.add(c.salespersonId);
  }
  const managers: Record<string, string | null> = {};
  if (credited.size > 0) {
    const rows = (await db.query(
      `SELECT salesperson_id, manager_id FROM ct_salespeople
        WHERE salesperson_id = ANY($1::text[]) AND ($2::timestamptz IS NULL OR recorded_at <= $2::timestamptz)`,
      [[...credited], knownAt],
    )) as Array<{ salesperson_id: string; manager_id: string | null }>;
    for (const r of rows) managers[r.salesperson_id] = r.manager_id;
  }

  const factsOf = new Map<string, CollectionScheduleInput['orderEvents'][number][]>();
  for (const f of facts) {
    const list = factsOf.get(f.order_id) ?? [];
    list.push({
      type: f.type,
      data: f.data,
      occurredAt: f.at.toISOString(),
      recordedAt: f.recorded_at.toISOString(),
    } as CollectionScheduleInput['orderEvents'][number]);
    factsOf.set(f.order_id, list);
  }
  const assignmentsOf = new Map<string, CollectionScheduleInput['policyAssignments'][number][]>();
  for (const a of assignments) {
    if (a.type !== 'CollectionPolicyAssigned') continue;
    const list = assignmentsOf.get(a.customer_id) ?? [];
    list.push({
      type: 'CollectionPolicyAssigned',
      data: a.data as unknown as CollectionScheduleInput['policyAssignments'][number]['data'],
      occurredAt: a.at.toISOString(),
      recordedAt: a.recorded_at.toISOString(),
    });
    assignmentsOf.set(a.customer_id, list);
  }
  const out: CollectionTask[] = [];
  for (const order of orders) {
    out.push(
      ...collectionTasks({
        orderEvents: factsOf.get(order.order_id) ?? [],
        policyAssignments: assignmentsOf.get(order.customer_id) ?? [],
        policies,
        managers,
        asOf: times.asOf.toISOString(),
        ...(times.knownAt ? { knownAt: times.knownAt.toISOString() } : {}),
      }),
    );
  }
  return out;
}
