/**
 * The orders: when they are booked and by whom, what is on them, and their whole life (invoices,
 * payments on time or late, in instalments or never, returns, cancellations, write-offs), each
 * command computed from the order's running amounts so that the server accepts it. Each order keeps
 * its payments and reductions as facts, from which `commissions.ts` computes what the ledger posts.
 * Orders to a distributor are primary sales (sell-in) and live the same life.
 */
import { addDays, daysInMonth, instant, isWeekday, periodOf, periodsBetween } from './calendar';
import {
  type BusinessUnit,
  type Credit,
  creditsOn,
  type DemoCustomer,
  dollars,
  FIRST_DAY,
  LAST_DAY,
  largestRemainder,
  SEASON,
  type SeedCommand,
  usd,
} from './model';
import { type Rng, WeightedList } from './prng';

interface Product {
  readonly sku: string;
  readonly description: string;
  /** Unit price range in whole dollars. */
  readonly price: readonly [number, number];
  readonly quantity: readonly [number, number];
}

// prettier-ignore
const CATALOG: Readonly<Record<BusinessUnit, readonly Product[]>> = {
  enterprise: [
    { sku: 'PLAT-ENT', description: 'Platform licence, enterprise (annual)', price: [24_000, 120_000], quantity: [1, 1] },
    { sku: 'SEAT-ENT', description: 'Named user seats (annual)', price: [300, 420], quantity: [25, 400] },
    { sku: 'SVC-PRO', description: 'Professional services (days)', price: [1_400, 1_800], quantity: [5, 40] },
    { sku: 'SUP-PREM', description: 'Premium support (annual)', price: [8_000, 30_000], quantity: [1, 1] },
  ],
  smb: [
    { sku: 'PLAT-TEAM', description: 'Team plan (annual)', price: [1_200, 6_000], quantity: [1, 1] },
    { sku: 'SEAT-TEAM', description: 'Additional seats (annual)', price: [180, 260], quantity: [3, 40] },
    { sku: 'SVC-ONB', description: 'Onboarding package', price: [600, 1_200], quantity: [1, 1] },
  ],
  public: [
    { sku: 'PLAT-GOV', description: 'Platform licence, public sector (annual)', price: [15_000, 80_000], quantity: [1, 1] },
    { sku: 'SEAT-GOV', description: 'Named user seats (annual)', price: [250, 320], quantity: [20, 300] },
    { sku: 'SUP-GOV', description: 'Accessibility and compliance support', price: [6_000, 20_000], quantity: [1, 1] },
  ],
};

const CANCEL_REASONS = [
  'Customer withdrew before delivery',
  'Budget frozen',
  'Duplicate order',
  'Lost to a competitor',
];
const SCOPE_REASONS = ['Scope reduced', 'Fewer seats than ordered', 'Services descoped'];
const RETURN_REASONS = ['Damaged in transit', 'Wrong configuration shipped', 'Seats not used', 'Hardware defect'];
const RESCIND_REASONS = ['Contract rescinded, refund issued', 'Service never went live, refunded'];
const WRITE_OFF_REASONS = ['Customer insolvent', 'Uncollectable after dunning', 'Disputed invoice settled'];

/** The running amounts of one order (domain.md §3), as the server keeps them. */
export class OrderAmounts {
  booked = 0;
  cancelled = 0;
  returned = 0;
  invoiced = 0;
  payments = 0;
  refunds = 0;
  writtenOff = 0;

  get net(): number {
    return this.booked - this.cancelled - this.returned;
  }
  get paidNet(): number {
    return this.payments - this.refunds;
  }
  get receivable(): number {
    return this.net - this.paidNet - this.writtenOff;
  }
  /** Cancellations and returns consume the unpaid part first; the rest is refunded. */
  reduce(amount: number): { unpaidPart: number; refundPart: number } {
    const unpaidPart = Math.min(amount, this.receivable);
    return { unpaidPart, refundPart: amount - unpaidPart };
  }
}

type Planned =
  | { kind: 'cancel'; date: string; amount: number | 'all'; reason: string }
  | { kind: 'invoice'; date: string; share: 'half' | 'rest' }
  | { kind: 'payment'; date: string; invoice: number; fraction: number | 'rest' }
  | { kind: 'return'; date: string; fraction: number; reason: string }
  | { kind: 'writeOff'; date: string; reason: string };

/** A payment or a reduction of an order, as the commission ledger sees it (in the order it is sent). */
export interface OrderFact {
  readonly kind: 'payment' | 'cancellation' | 'return' | 'writeOff';
  readonly date: string;
  readonly amount: number;
  /** Cancellations and returns: the part that was already paid and is refunded (0 otherwise). */
  readonly refundPart: number;
}

export interface BookedOrder {
  readonly orderId: string;
  readonly customer: DemoCustomer;
  readonly bookedAt: string;
  readonly amount: number;
  readonly credits: readonly Credit[];
  /** A primary sale to a distributor. */
  readonly sellIn: boolean;
  readonly chain: SeedCommand[];
  readonly facts: OrderFact[];
}

/** The licence and a few extras from the unit's catalogue; each line's amount is quantity × unit price, and they add up to the order. */
function orderLines(rng: Rng, businessUnit: BusinessUnit): { lines: Record<string, unknown>[]; amount: number } {
  const catalog = CATALOG[businessUnit];
  const products = [catalog[0] as Product, ...catalog.slice(1).filter(() => rng.chance(0.45))];
  let amount = 0;
  const lines = products.map((p) => {
    const quantity = rng.int(p.quantity[0], p.quantity[1]);
    const unit = rng.int(p.price[0], p.price[1]);
    const total = quantity * unit * 100;
    amount += total;
    return { sku: p.sku, description: p.description, quantity, amount: usd(total) };
  });
  return { lines, amount };
}

/** How many orders are booked in each month: growing over the story, with the seasons. */
function ordersPerMonth(total: number): Map<string, number> {
  const periods = periodsBetween(periodOf(FIRST_DAY), periodOf(LAST_DAY));
  const weights = periods.map(
    (p, i) => (1 + (0.6 * i) / (periods.length - 1)) * (SEASON[Number(p.slice(5)) - 1] as number),
  );
  const counts = largestRemainder(total, weights);
  return new Map(periods.map((p, i) => [p, counts[i] as number]));
}

function businessSeconds(rng: Rng): number {
  return rng.int(8 * 3600, 18 * 3600 - 1);
}

/** Plans an order's life (invoices, payments, returns, ...) from the customer's habits. */
function planLifecycle(rng: Rng, bookedOn: string, customer: DemoCustomer): Planned[] {
  const plans: Planned[] = [];
  if (rng.chance(0.025)) {
    plans.push({
      kind: 'cancel',
      date: addDays(bookedOn, rng.int(1, 10)),
      amount: 'all',
      reason: rng.pick(CANCEL_REASONS),
    });
    return plans;
  }
  let cursor = bookedOn;
  if (rng.chance(0.03)) {
    cursor = addDays(bookedOn, rng.int(1, 14));
    plans.push({ kind: 'cancel', date: cursor, amount: rng.between(0.05, 0.3), reason: rng.pick(SCOPE_REASONS) });
  }
  const terms = customer.paymentTermsDays;
  const milestones = customer.businessUnit === 'enterprise' && rng.chance(0.3);
  const invoiceDates = [addDays(cursor, rng.int(1, 7))];
  if (milestones) invoiceDates.push(addDays(invoiceDates[0] as string, rng.int(30, 60)));
  let profile = customer.profile;
  if (profile === 'prompt' && rng.chance(0.15)) profile = 'late';
  else if (profile === 'late' && rng.chance(0.2)) profile = 'prompt';
  invoiceDates.forEach((issued, index) => {
    plans.push({ kind: 'invoice', date: issued, share: milestones && index === 0 ? 'half' : 'rest' });
    const due = addDays(issued, terms);
    const after = (date: string) => (date <= issued ? addDays(issued, 1) : date);
    if (profile === 'bad') {
      if (index === 0 && rng.chance(0.5)) {
        plans.push({
          kind: 'payment',
          date: addDays(due, rng.int(10, 50)),
          invoice: index,
          fraction: rng.between(0.2, 0.6),
        });
      }
      if (index === invoiceDates.length - 1) {
        plans.push({ kind: 'writeOff', date: addDays(due, rng.int(120, 200)), reason: rng.pick(WRITE_OFF_REASONS) });
      }
    } else if (profile === 'installments') {
      const parts = rng.int(2, 3);
      for (let k = 0; k < parts; k++) {
        plans.push({
          kind: 'payment',
          date: after(addDays(due, -10 + Math.round((70 * k) / (parts - 1)) + rng.int(0, 5))),
          invoice: index,
          fraction: k === parts - 1 ? 'rest' : 1 / parts,
        });
      }
    } else {
      const date =
        profile === 'prompt' ? addDays(issued, rng.int(1, Math.max(1, terms))) : addDays(due, rng.int(3, 75));
      plans.push({ kind: 'payment', date: after(date), invoice: index, fraction: 'rest' });
    }
  });
  if (rng.chance(0.035)) {
    plans.push({
      kind: 'return',
      date: addDays(bookedOn, rng.int(5, 200)),
      fraction: rng.between(0.05, 0.4),
      reason: rng.pick(RETURN_REASONS),
    });
  }
  if (rng.chance(0.006)) {
    plans.push({
      kind: 'cancel',
      date: addDays(bookedOn, rng.int(20, 120)),
      amount: 'all',
      reason: rng.pick(RESCIND_REASONS),
    });
  }
  return plans;
}

/**
 * Turns one order's plan into commands, in business-time order, each computed from the order's
 * running amounts so that the server accepts it; keeps its payments and reductions as facts.
 */
function simulateOrder(rng: Rng, order: BookedOrder, planned: Planned[]): void {
  const a = new OrderAmounts();
  a.booked = order.amount;
  const onPayment = (amount: number, date: string) =>
    order.facts.push({ kind: 'payment', date, amount, refundPart: 0 });
  const onReduction = (kind: OrderFact['kind'], amount: number, refundPart: number, date: string) =>
    order.facts.push({ kind, date, amount, refundPart });

  const sorted = planned
    .map((p, seq) => ({ p, seq }))
    .sort((x, y) => (x.p.date < y.p.date ? -1 : x.p.date > y.p.date ? 1 : x.seq - y.seq))
    .map((x) => x.p);
  const path = `/orders/${order.orderId}`;
  const invoices: { amount: number; paid: number }[] = [];
  const counters = { INV: 0, PAY: 0, CAN: 0, RET: 0, WO: 0 };
  const id = (kind: keyof typeof counters) => `${order.orderId}-${kind}${++counters[kind]}`;
  let lastAt = order.bookedAt;
  const at = (date: string) => {
    let value = instant(date, businessSeconds(rng));
    if (value <= lastAt) value = new Date(Date.parse(lastAt) + 60_000).toISOString().replace('.000Z', 'Z');
    lastAt = value;
    return value;
  };

  for (const p of sorted) {
    if (p.date > LAST_DAY || a.net === 0) break;
    switch (p.kind) {
      case 'invoice': {
        const open = a.net - a.invoiced;
        const amount = p.share === 'half' ? Math.min(open, dollars(open / 2)) : open;
        if (amount <= 0) {
          invoices.push({ amount: 0, paid: 0 });
          break;
        }
        const issuedAt = at(p.date);
        a.invoiced += amount;
        invoices.push({ amount, paid: 0 });
        order.chain.push({
          type: 'IssueInvoice',
          method: 'POST',
          path: `${path}/invoices`,
          body: {
            invoiceId: id('INV'),
            amount: usd(amount),
            issuedAt,
            dueDate: addDays(p.date, order.customer.paymentTermsDays),
          },
        });
        break;
      }
      case 'payment': {
        const invoice = invoices[p.invoice];
        if (!invoice) break;
        const due = invoice.amount - invoice.paid;
        const wanted = p.fraction === 'rest' ? due : Math.min(due, dollars(invoice.amount * p.fraction));
        const amount = Math.min(wanted, a.receivable);
        if (amount <= 0) break;
        const receivedAt = at(p.date);
        a.payments += amount;
        invoice.paid += amount;
        onPayment(amount, p.date);
        order.chain.push({
          type: 'ReceivePayment',
          method: 'POST',
          path: `${path}/payments`,
          body: { paymentId: id('PAY'), amount: usd(amount), receivedAt },
        });
        break;
      }
      case 'cancel': {
        const whole = p.amount === 'all';
        const amount = whole ? a.net : Math.min(a.net, dollars(a.booked * (p.amount as number)));
        if (amount <= 0) break;
        const cancelledAt = at(p.date);
        const { refundPart } = a.reduce(amount);
        a.cancelled += amount;
        a.refunds += refundPart;
        onReduction('cancellation', amount, refundPart, p.date);
        order.chain.push({
          type: 'CancelOrder',
          method: 'POST',
          path: `${path}/cancellations`,
          body: {
            cancellationId: id('CAN'),
            cancelledAt,
            reason: p.reason,
            ...(whole ? {} : { amount: usd(amount) }),
          },
        });
        break;
      }
      case 'return': {
        const amount = Math.min(a.net, dollars(a.net * p.fraction));
        if (amount <= 0) break;
        const returnedAt = at(p.date);
        const { refundPart } = a.reduce(amount);
        a.returned += amount;
        a.refunds += refundPart;
        onReduction('return', amount, refundPart, p.date);
        order.chain.push({
          type: 'ReturnGoods',
          method: 'POST',
          path: `${path}/returns`,
          body: { returnId: id('RET'), returnedAt, reason: p.reason, amount: usd(amount) },
        });
        break;
      }
      case 'writeOff': {
        const amount = a.receivable;
        if (amount <= 0) break;
        const writtenOffAt = at(p.date);
        // Half of them name the amount, the others let the server take the whole receivable.
        const explicit = rng.chance(0.5);
        a.writtenOff += amount;
        onReduction('writeOff', amount, 0, p.date);
        order.chain.push({
          type: 'WriteOffDebt',
          method: 'POST',
          path: `${path}/write-offs`,
          body: { writeOffId: id('WO'), writtenOffAt, reason: p.reason, ...(explicit ? { amount: usd(amount) } : {}) },
        });
        break;
      }
    }
  }
}

/** `count` orders of the customers (distributors among them: their orders are sell-in), in booking order. */
export function buildOrders(rng: Rng, count: number, customers: readonly DemoCustomer[]): BookedOrder[] {
  const drafts: { bookedAt: string; customer: DemoCustomer }[] = [];
  for (const [period, n] of ordersPerMonth(count)) {
    const first = `${period}-01`;
    const last = `${period}-${String(daysInMonth(period)).padStart(2, '0')}`;
    const weekdays = periodsDays(first, last).filter(isWeekday);
    // Who buys on a day: the customers acquired by then, weighted by size.
    const buyersOn = new Map<string, WeightedList<DemoCustomer>>();
    for (let i = 0; i < n; i++) {
      const day = rng.pick(weekdays);
      let buyers = buyersOn.get(day);
      if (!buyers) {
        buyers = new WeightedList(customers.filter((c) => c.since <= day).map((c) => ({ item: c, weight: c.weight })));
        buyersOn.set(day, buyers);
      }
      if (buyers.size === 0) continue;
      drafts.push({ bookedAt: instant(day, businessSeconds(rng)), customer: buyers.pick(rng) });
    }
  }
  drafts.sort((x, y) => (x.bookedAt < y.bookedAt ? -1 : x.bookedAt > y.bookedAt ? 1 : 0));
  const orders = drafts.map((draft, i) => {
    const orderId = `O-${String(i + 1).padStart(6, '0')}`;
    const { lines, amount } = orderLines(rng, draft.customer.businessUnit);
    const order: BookedOrder = {
      orderId,
      customer: draft.customer,
      bookedAt: draft.bookedAt,
      amount,
      credits: creditsOn(draft.customer, draft.bookedAt.slice(0, 10)),
      sellIn: draft.customer.distributor === true,
      facts: [],
      chain: [
        {
          type: 'BookSale',
          method: 'POST',
          path: '/orders',
          body: {
            orderId,
            customerId: draft.customer.customerId,
            amount: usd(amount),
            bookedAt: draft.bookedAt,
            businessUnit: draft.customer.businessUnit,
            lines,
          },
        },
      ],
    };
    simulateOrder(rng, order, planLifecycle(rng, draft.bookedAt.slice(0, 10), draft.customer));
    return order;
  });
  approveSalesBeyondCreditLimits(orders);
  return orders;
}

/**
 * Credit limits (docs/collections-and-credit.md § Credit limits): the chains of different orders
 * run concurrently, so which booking of a customer would take it past its limit depends on the
 * interleaving. Every booking of a customer whose sales together exceed its limit carries a finance
 * approval, so that none is refused whatever the order; the server records it as an override only
 * on the sales that needed it.
 */
function approveSalesBeyondCreditLimits(orders: BookedOrder[]): void {
  const totals = new Map<string, number>();
  for (const o of orders) totals.set(o.customer.customerId, (totals.get(o.customer.customerId) ?? 0) + o.amount);
  for (const o of orders) {
    const limit = o.customer.creditLimit;
    const booking = o.chain[0];
    if (limit === null || (totals.get(o.customer.customerId) ?? 0) <= limit || booking?.type !== 'BookSale') continue;
    o.chain[0] = {
      ...booking,
      body: {
        ...booking.body,
        creditOverride: {
          approvedBy: 'finance.demo',
          reason: 'Demo: sales beyond the credit limit approved by finance',
        },
      },
    };
  }
}

function periodsDays(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) days.push(d);
  return days;
}
