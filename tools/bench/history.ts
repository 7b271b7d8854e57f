/**
 * The benchmark's history: a deterministic company (seeded PRNG, no clock, no I/O) of 1,000
 * salespeople in 40 teams, 20,000 customers and as many orders as the target event count needs,
 * booked from 2025-01-01 to 2026-06-30 with their invoices, payments (on time, late, in
 * instalments, never), returns, cancellations and write-offs.
 *
 * Every event is made the way the server makes it: each command goes through its pure decider
 * (`*.decide.ts`) on the state folded from the events before it, and gets the metadata of
 * `handleCommand` (deterministic event id from command type, id and index; `requestHash` of the
 * request body as the HTTP API would hash it). Only `actor`, `correlationId` and `causationId`
 * differ from a real request: `system:bench` and ids derived from the seed, so that the same seed
 * gives byte-identical events.
 *
 * Unlike commands sent one by one, the commands of one stream are yielded together (one append per
 * stream): all reference data first, then each order with its whole life. The global log therefore
 * groups each order's events instead of interleaving them by business date.
 */
import type { Decider, DomainEvent } from '../../libs/eventsourcing/src/decider';
import type { EventMetadata, NewEvent } from '../../libs/eventsourcing/src/event';
import { canonicalJson, deterministicUuid, sha256Hex } from '../../libs/eventsourcing/src/ids';
import { SALES_SCHEMA_VERSIONS, type SalesCredit, streams } from '../../libs/sales/src/contracts/sales.events';
import {
  type CustomerState,
  evolveCustomer,
  initialCustomerState,
} from '../../libs/sales/src/customers/customer.state';
import { reassignSalesCreditsDecider } from '../../libs/sales/src/customers/reassign-sales-credits/reassign-sales-credits.decide';
import { registerCustomerDecider } from '../../libs/sales/src/customers/register-customer/register-customer.decide';
import { bookSaleDecider } from '../../libs/sales/src/orders/book-sale/book-sale.decide';
import { cancelOrderDecider } from '../../libs/sales/src/orders/cancel-order/cancel-order.decide';
import { issueInvoiceDecider } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.decide';
import { type OrderState, receivable } from '../../libs/sales/src/orders/order.state';
import { receivePaymentDecider } from '../../libs/sales/src/orders/receive-payment/receive-payment.decide';
import { returnGoodsDecider } from '../../libs/sales/src/orders/return-goods/return-goods.decide';
import { writeOffDecider } from '../../libs/sales/src/orders/write-off/write-off.decide';
import { createPlanDecider } from '../../libs/sales/src/plans/create-plan/create-plan.decide';
import type { PlanState } from '../../libs/sales/src/plans/plan.state';
import { assignPlanDecider } from '../../libs/sales/src/salespeople/assign-plan/assign-plan.decide';
import { registerSalespersonDecider } from '../../libs/sales/src/salespeople/register-salesperson/register-salesperson.decide';
import type { SalespersonState } from '../../libs/sales/src/salespeople/salesperson.state';
import { setQuotaDecider } from '../../libs/sales/src/salespeople/set-quota/set-quota.decide';
import { terminateSalespersonDecider } from '../../libs/sales/src/salespeople/terminate-salesperson/terminate-salesperson.decide';
import { addDays } from '../../libs/shared-kernel/src/time';
import { Rng } from '../seed-demo/prng';

export interface HistoryOptions {
  readonly seed: number;
  /** Stop once at least this many events have been produced (the last order is completed). */
  readonly events: number;
  readonly salespeople?: number;
  readonly customers?: number;
}

/** The events of one or more commands on one new stream: appended with expected revision `no_stream`. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

export const CURRENCY = 'USD';
export const FIRST_BOOKING = '2025-01-01';
export const LAST_DAY = '2026-06-30';
const BOOKING_DAYS = 546; // 2025-01-01 .. 2026-06-30
const REGISTERED_AT = '2024-12-01T09:00:00.000Z';
const TEAM_SIZE = 25;
const BUSINESS_UNITS = ['enterprise', 'smb', 'public'] as const;

const PLANS = [
  { planId: 'BK-STD', name: 'Booking 5 %', basis: 'BOOKING', rateBps: 500, windowDays: 90, percentBps: 10_000 },
  { planId: 'BK-ENT', name: 'Booking 8 %', basis: 'BOOKING', rateBps: 800, windowDays: 180, percentBps: 5_000 },
  { planId: 'CL-STD', name: 'Collection 6 %', basis: 'COLLECTION', rateBps: 600, windowDays: 60, percentBps: 10_000 },
  { planId: 'CL-ENT', name: 'Collection 10 %', basis: 'COLLECTION', rateBps: 1000, windowDays: 0, percentBps: 0 },
] as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const salespersonId = (i: number) => `S${pad(i, 4)}`;
export const customerId = (i: number) => `C${pad(i, 5)}`;
export const orderId = (i: number) => `O${pad(i, 7)}`;
const instant = (date: string, minutes: number) =>
  `${date}T${pad(Math.floor(minutes / 60) % 24, 2)}:${pad(minutes % 60, 2)}:00.000Z`;

/** Runs commands through their deciders on one stream, folding state, and collects the events. */
class StreamWriter<S, E extends DomainEvent> {
  readonly events: NewEvent[] = [];
  constructor(
    private readonly seed: number,
    readonly streamId: string,
    public state: S,
    private readonly evolve: (state: S, event: E) => S,
  ) {}

  run<C>(
    decider: Pick<Decider<C, E, S>, 'decide'>,
    command: C,
    commandType: string,
    commandId: string,
    request: unknown,
  ): void {
    const decided = decider.decide(command, this.state);
    const metadata: EventMetadata = {
      actor: 'system:bench',
      commandId,
      commandType,
      correlationId: deterministicUuid('bench', String(this.seed), commandType, commandId, 'correlation'),
      causationId: deterministicUuid('bench', String(this.seed), commandType, commandId, 'request'),
      requestHash: sha256Hex(canonicalJson(request)),
    };
    decided.forEach((event, index) => {
      this.events.push({
        id: deterministicUuid(commandType, commandId, String(index)),
        type: event.type,
        schemaVersion: (SALES_SCHEMA_VERSIONS as Record<string, number>)[event.type] ?? 1,
        data: event.data,
        metadata,
        occurredAt: event.occurredAt,
      });
      this.state = this.evolve(this.state, event);
    });
  }

  append(): StreamAppend {
    return { streamId: this.streamId, events: this.events };
  }
}

/** Yields the history stream by stream; the same options always give the same events. */
export function* generateHistory(options: HistoryOptions): Generator<StreamAppend> {
  const seed = options.seed >>> 0;
  const nPeople = options.salespeople ?? 1000;
  const nCustomers = options.customers ?? 20_000;
  let produced = 0;
  const emit = (a: StreamAppend): StreamAppend => {
    produced += a.events.length;
    return a;
  };

  // Plans.
  const plans = new Map<string, PlanState>();
  for (const p of PLANS) {
    const w = new StreamWriter(
      seed,
      streams.plan(p.planId),
      createPlanDecider.initialState(),
      createPlanDecider.evolve,
    );
    const body = {
      planId: p.planId,
      name: p.name,
      currency: CURRENCY,
      basis: p.basis,
      rateBps: p.rateBps,
      clawback: { windowDays: p.windowDays, percentBps: p.percentBps },
    };
    w.run(createPlanDecider, { type: 'CreatePlan', ...body, at: REGISTERED_AT }, 'CreatePlan', p.planId, body);
    plans.set(p.planId, w.state);
    yield emit(w.append());
  }

  // Salespeople: one manager per team of 25, the others reps; 10 % change plan, 2 % leave.
  const rng = Rng.derive(seed, 'people');
  const people = new Map<string, SalespersonState>();
  const reps: string[] = [];
  const leavers = new Map<string, string>();
  for (let i = 1; i <= nPeople; i++) {
    const id = salespersonId(i);
    const team = Math.floor((i - 1) / TEAM_SIZE);
    const isManager = (i - 1) % TEAM_SIZE === 0;
    const hiredOn = addDays('2023-01-01', rng.int(0, 700));
    const w = new StreamWriter<SalespersonState, Parameters<typeof registerSalespersonDecider.evolve>[1]>(
      seed,
      streams.salesperson(id),
      registerSalespersonDecider.initialState(),
      registerSalespersonDecider.evolve,
    );
    const register = {
      salespersonId: id,
      name: `Salesperson ${i}`,
      teamId: `T${pad(team + 1, 2)}`,
      managerId: isManager ? null : salespersonId(team * TEAM_SIZE + 1),
      hiredOn,
    };
    w.run(
      registerSalespersonDecider,
      { type: 'RegisterSalesperson', ...register },
      'RegisterSalesperson',
      id,
      isManager ? { salespersonId: id, name: register.name, teamId: register.teamId, hiredOn } : register,
    );
    if (!isManager) {
      reps.push(id);
      const assignments = [{ planId: rng.pick(PLANS).planId, effectiveFrom: '2024-12-01' }];
      if (rng.chance(0.1))
        assignments.push({ planId: rng.pick(PLANS).planId, effectiveFrom: addDays(FIRST_BOOKING, rng.int(60, 400)) });
      assignments.forEach((a, n) => {
        const assignmentId = `${id}-A${n + 1}`;
        const body = { assignmentId, planId: a.planId, effectiveFrom: a.effectiveFrom };
        w.run(
          assignPlanDecider(plans.get(a.planId)!),
          { type: 'AssignPlan', salespersonId: id, ...body },
          'AssignPlan',
          assignmentId,
          { id, ...body },
        );
      });
      if (rng.chance(0.02)) {
        const terminatedOn = addDays(FIRST_BOOKING, rng.int(120, BOOKING_DAYS - 30));
        leavers.set(id, terminatedOn);
        w.run(
          terminateSalespersonDecider,
          { type: 'TerminateSalesperson', salespersonId: id, terminatedOn },
          'TerminateSalesperson',
          id,
          { id, terminatedOn },
        );
      }
    }
    people.set(id, w.state);
    yield emit(w.append());
  }

  // Quotas for 2025 and 2026, seasonal weights.
  const quotaRng = Rng.derive(seed, 'quotas');
  const weights = [700, 700, 900, 800, 800, 900, 700, 600, 900, 900, 900, 1200];
  for (const id of reps) {
    for (const year of [2025, 2026]) {
      const quotaId = `${id}-Q${year}`;
      const body = {
        quotaId,
        annualTarget: { amount: quotaRng.int(40, 160) * 1_000_000, currency: CURRENCY },
        monthlyWeightsBps: weights,
      };
      const decider = setQuotaDecider(people.get(id)!);
      const w = new StreamWriter(seed, streams.quota(id, year), decider.initialState(), decider.evolve);
      w.run(decider, { type: 'SetQuota', salespersonId: id, year, ...body }, 'SetQuota', quotaId, {
        id,
        year: String(year),
        ...body,
      });
      yield emit(w.append());
    }
  }

  // Customers: credited 100 % (70 %), 60/40 (25 %) or three ways (5 %), within one team mostly.
  const customerRng = Rng.derive(seed, 'customers');
  const customers = new Map<string, CustomerState>();
  const customerIds: string[] = [];
  const stayers = reps.filter((r) => !leavers.has(r));
  for (let i = 1; i <= nCustomers; i++) {
    const id = customerId(i);
    customerIds.push(id);
    const first = customerRng.pick(reps);
    const r = customerRng.next();
    const others = () => customerRng.pick(reps.filter((x) => x !== first).slice(0, 50));
    let salesCredits: SalesCredit[];
    if (r < 0.7) salesCredits = [{ salespersonId: first, splitBps: 10_000 }];
    else if (r < 0.95)
      salesCredits = [
        { salespersonId: first, splitBps: 6000 },
        { salespersonId: others(), splitBps: 4000 },
      ];
    else {
      const second = others();
      const third = customerRng.pick(reps.filter((x) => x !== first && x !== second).slice(0, 50));
      salesCredits = [
        { salespersonId: first, splitBps: 3400 },
        { salespersonId: second, splitBps: 3300 },
        { salespersonId: third, splitBps: 3300 },
      ];
    }
    const body = {
      customerId: id,
      name: `Customer ${i}`,
      paymentTermsDays: customerRng.pick([15, 30, 30, 45, 60]),
      ...(customerRng.chance(0.1) ? { creditLimit: { amount: 50_000_000, currency: CURRENCY } } : {}),
      salesCredits,
    };
    const decider = registerCustomerDecider(people);
    const w = new StreamWriter(seed, streams.customer(id), initialCustomerState(), evolveCustomer);
    w.run(
      decider,
      { type: 'RegisterCustomer', ...body, creditLimit: body.creditLimit ?? null, at: REGISTERED_AT },
      'RegisterCustomer',
      id,
      body,
    );
    // A leaver's accounts go to a colleague from the day after they leave.
    const leaving = salesCredits
      .map((c) => leavers.get(c.salespersonId))
      .filter((d): d is string => d !== undefined)
      .sort();
    leaving.forEach((day, n) => {
      const effectiveFrom = addDays(day, 1);
      const current = w.state.exists ? w.state.creditHistory[w.state.creditHistory.length - 1]!.salesCredits : [];
      const replaced = current.map((c) => {
        const left = leavers.get(c.salespersonId);
        return left !== undefined && left < effectiveFrom ? { ...c, salespersonId: customerRng.pick(stayers) } : c;
      });
      const merged = mergeCredits(replaced);
      const reassignmentId = `${id}-R${n + 1}`;
      const reassign = { reassignmentId, effectiveFrom, salesCredits: merged };
      w.run(
        reassignSalesCreditsDecider(people),
        { type: 'ReassignSalesCredits', customerId: id, ...reassign },
        'ReassignSalesCredits',
        reassignmentId,
        { id, ...reassign },
      );
    });
    customers.set(id, w.state);
    yield emit(w.append());
  }

  // Orders, in booking order, until the target is reached (about 3 events per order).
  const orderRng = Rng.derive(seed, 'orders');
  const expectedOrders = Math.max(1, Math.ceil((options.events - produced) / 3.0));
  for (let i = 1; produced < options.events; i++) {
    const day = Math.min(BOOKING_DAYS - 1, Math.floor((i / expectedOrders) * BOOKING_DAYS));
    const bookedOn = addDays(FIRST_BOOKING, day);
    const append = orderLife(orderRng, seed, orderId(i), bookedOn, customerIds, customers, people, plans);
    if (append) yield emit(append);
  }
}

/** The same salesperson twice after a reassignment: their splits are added up. */
function mergeCredits(credits: readonly SalesCredit[]): SalesCredit[] {
  const out = new Map<string, number>();
  for (const c of credits) out.set(c.salespersonId, (out.get(c.salespersonId) ?? 0) + c.splitBps);
  return [...out].map(([salespersonId, splitBps]) => ({ salespersonId, splitBps }));
}

function orderLife(
  rng: Rng,
  seed: number,
  id: string,
  bookedOn: string,
  customerIds: readonly string[],
  customers: ReadonlyMap<string, CustomerState>,
  people: ReadonlyMap<string, SalespersonState>,
  plans: ReadonlyMap<string, PlanState>,
): StreamAppend | null {
  const customer = customers.get(rng.pick(customerIds))!;
  if (!customer.exists) return null;
  const amount = Math.max(1000, Math.round(rng.logNormal(500_000, 0.9)));
  const bookedAt = instant(bookedOn, rng.int(8 * 60, 18 * 60));
  const book = {
    orderId: id,
    customerId: customer.customerId,
    amount: { amount, currency: CURRENCY },
    bookedAt,
    businessUnit: rng.pick(BUSINESS_UNITS),
    lines: [{ sku: `SKU-${rng.int(1, 400)}`, quantity: 1, amount: { amount, currency: CURRENCY } }],
  };
  const w = new StreamWriter<OrderState, Parameters<typeof cancelOrderDecider.evolve>[1]>(
    seed,
    streams.order(id),
    cancelOrderDecider.initialState(),
    cancelOrderDecider.evolve,
  );
  w.run(
    bookSaleDecider({ customer, salespeople: people, plans }),
    { type: 'BookSale', ...book, salesCredits: null },
    'BookSale',
    id,
    book,
  );
  const usd = (n: number) => ({ amount: n, currency: CURRENCY });
  let seq = 0;
  /** Runs a follow-up command unless its business date is after the end of the story. */
  const at = (date: string) => (date <= LAST_DAY ? instant(date, rng.int(8 * 60, 18 * 60)) : null);

  const fate = rng.weighted({ cancelled: 3, normal: 97 });
  if (fate === 'cancelled') {
    const cancelledAt = at(addDays(bookedOn, rng.int(1, 20)));
    if (cancelledAt) {
      const body = { cancellationId: `${id}-X1`, cancelledAt, reason: 'customer withdrew' };
      w.run(
        cancelOrderDecider,
        { type: 'CancelOrder', orderId: id, ...body, amount: null },
        'CancelOrder',
        body.cancellationId,
        { orderId: id, ...body },
      );
    }
    return w.append();
  }
  const issuedOn = addDays(bookedOn, rng.int(1, 5));
  const issuedAt = at(issuedOn);
  if (!issuedAt) return w.append();
  const terms = w.state.exists ? w.state.paymentTermsDays : 30;
  const invoice = { invoiceId: `${id}-I1`, amount: usd(amount), issuedAt, dueDate: addDays(issuedOn, terms) };
  w.run(issueInvoiceDecider, { type: 'IssueInvoice', orderId: id, ...invoice }, 'IssueInvoice', invoice.invoiceId, {
    orderId: id,
    ...invoice,
  });

  const pay = (date: string, value: number) => {
    const receivedAt = at(date);
    if (!receivedAt || !w.state.exists) return;
    const n = Math.min(value, receivable(w.state.amounts));
    if (n <= 0) return;
    const body = { paymentId: `${id}-P${++seq}`, amount: usd(n), receivedAt };
    w.run(receivePaymentDecider, { type: 'ReceivePayment', orderId: id, ...body }, 'ReceivePayment', body.paymentId, {
      orderId: id,
      ...body,
    });
  };
  const payment = rng.weighted({ onTime: 60, late: 15, instalments: 11, partialThenNever: 5, never: 9 });
  if (payment === 'onTime') pay(addDays(issuedOn, rng.int(1, terms)), amount);
  else if (payment === 'late') pay(addDays(issuedOn, terms + rng.int(1, 90)), amount);
  else if (payment === 'instalments') {
    const parts = rng.int(2, 3);
    for (let k = 1; k <= parts; k++)
      pay(addDays(issuedOn, Math.round((terms * k) / parts) + rng.int(0, 10)), Math.ceil(amount / parts));
  } else if (payment === 'partialThenNever')
    pay(addDays(issuedOn, rng.int(5, terms)), Math.round(amount * rng.between(0.2, 0.6)));

  // Returns after delivery (some refund cash already paid), partial cancellations, write-offs of what never came.
  if (rng.chance(0.04)) {
    const returnedAt = at(addDays(issuedOn, rng.int(10, 60)));
    if (returnedAt) {
      const body = {
        returnId: `${id}-R1`,
        returnedAt,
        reason: 'damaged',
        amount: usd(Math.max(1, Math.round(amount * rng.between(0.1, 0.5)))),
      };
      w.run(returnGoodsDecider, { type: 'ReturnGoods', orderId: id, ...body }, 'ReturnGoods', body.returnId, {
        orderId: id,
        ...body,
      });
    }
  } else if (rng.chance(0.02) && w.state.exists && receivable(w.state.amounts) > 1) {
    const cancelledAt = at(addDays(issuedOn, rng.int(1, 30)));
    if (cancelledAt) {
      const part = Math.max(1, Math.floor(receivable(w.state.amounts) / 2));
      const body = { cancellationId: `${id}-X1`, cancelledAt, reason: 'scope reduced', amount: usd(part) };
      w.run(cancelOrderDecider, { type: 'CancelOrder', orderId: id, ...body }, 'CancelOrder', body.cancellationId, {
        orderId: id,
        ...body,
      });
    }
  }
  if (
    (payment === 'never' || payment === 'partialThenNever') &&
    rng.chance(0.6) &&
    w.state.exists &&
    receivable(w.state.amounts) > 0
  ) {
    const writtenOffAt = at(addDays(issuedOn, terms + rng.int(90, 180)));
    if (writtenOffAt) {
      const body = { writeOffId: `${id}-W1`, writtenOffAt, reason: 'uncollectible' };
      w.run(
        writeOffDecider,
        { type: 'WriteOffDebt', orderId: id, ...body, amount: null },
        'WriteOffDebt',
        body.writeOffId,
        { orderId: id, ...body },
      );
    }
  }
  return w.append();
}
