/**
 * Collection KPIs (issue 9 item 4) as pure functions of an order's track-to-cash milestones:
 * collection rate (collected ÷ due, "to date" and "on time"), DSO and average days to pay.
 * Integers only (BigInt), rounded as docs/collections-and-credit.md says. Framework-free.
 */
import { credited, roundHalfUp } from '../../../shared-kernel/src/money';
import { daysBetween, utcDate } from '../../../shared-kernel/src/time';

export type KpiMilestoneType = 'BOOKED' | 'INVOICED' | 'PAYMENT' | 'CANCELLATION' | 'RETURN' | 'WRITE_OFF';

/** One milestone of an order, as ttc_milestones keeps it (already filtered at asOf and knownAt). */
export interface KpiMilestone {
  readonly seq: number;
  readonly type: KpiMilestoneType;
  /** Business time (instant). */
  readonly at: string;
  readonly amount: bigint;
  /** Invoices: their due date (YYYY-MM-DD). */
  readonly dueDate: string | null;
  /** Cancellations and returns: the part that refunded collected cash. */
  readonly refundPart: bigint;
}

/** An invoice as the collection rate counts it. */
export interface InvoiceCollection {
  readonly seq: number;
  readonly issuedAt: string;
  readonly dueDate: string;
  /** The invoice amount, less the part later cancelled or returned (trimmed from the latest due). */
  readonly due: bigint;
  /** The part of `due` covered by net payments received on or before the due date. */
  readonly collectedOnTime: bigint;
  /** The part of `due` covered by net payments received by asOf. */
  readonly collectedToDate: bigint;
}

const clamp = (v: bigint, lo: bigint, hi: bigint) => (v < lo ? lo : v > hi ? hi : v);
const ms = (instant: string) => Date.parse(instant);
const byDue = (a: KpiMilestone, b: KpiMilestone) =>
  a.dueDate === b.dueDate ? a.seq - b.seq : (a.dueDate ?? '') < (b.dueDate ?? '') ? -1 : 1;

/** Net payments (payments − refunds) with business time ≤ `until` (an instant, inclusive). */
export function paidNetUntil(milestones: readonly KpiMilestone[], until: number): bigint {
  let paid = 0n;
  for (const m of milestones) {
    if (ms(m.at) > until) continue;
    if (m.type === 'PAYMENT') paid += m.amount;
    else if (m.type === 'CANCELLATION' || m.type === 'RETURN') paid -= m.refundPart;
  }
  return paid;
}

/**
 * Every invoice of an order with what was due and what was collected on it. Payments are not tied
 * to invoices: net payments are applied to the invoices oldest due date first (then issue order),
 * and cancellations and returns take the un-invoiced part of the order first, then the invoices
 * latest due date first (a credit note against the last instalment). Write-offs stay due and are
 * never collected: a written-off invoice lowers the rate. `milestones` are the order's milestones
 * counted at asOf (and knownAt).
 */
export function invoiceCollections(milestones: readonly KpiMilestone[]): InvoiceCollection[] {
  let net = 0n;
  for (const m of milestones) {
    if (m.type === 'BOOKED') net += m.amount;
    else if (m.type === 'CANCELLATION' || m.type === 'RETURN') net -= m.amount;
  }
  const invoices = milestones.filter((m) => m.type === 'INVOICED' && m.dueDate !== null).sort(byDue);
  const paidToDate = paidNetUntil(milestones, Number.POSITIVE_INFINITY);
  const cap = net > 0n ? net : 0n;
  let invoicedBefore = 0n;
  let dueBefore = 0n;
  const out: InvoiceCollection[] = [];
  for (const inv of invoices) {
    const due = clamp(cap - invoicedBefore, 0n, inv.amount);
    invoicedBefore += inv.amount;
    const endOfDueDate = ms(`${inv.dueDate}T00:00:00.000Z`) + 86_400_000 - 1;
    const onTime = paidNetUntil(milestones, endOfDueDate);
    out.push({
      seq: inv.seq,
      issuedAt: inv.at,
      dueDate: inv.dueDate!,
      due,
      collectedOnTime: clamp(onTime - dueBefore, 0n, due),
      collectedToDate: clamp(paidToDate - dueBefore, 0n, due),
    });
    dueBefore += due;
  }
  return out;
}

/** One payment's amount and its amount × days (from the invoice it pays to the payment date). */
export interface PaymentDays {
  readonly seq: number;
  readonly at: string;
  readonly amount: bigint;
  /** Σ slice × days over the slices of the payment (see paymentDays). */
  readonly amountDays: bigint;
}

/**
 * Days to pay of each payment of an order. Gross payments (in business-time order) fill the
 * invoices in the order invoiceCollections applies them (oldest due date first, full invoice
 * amounts); each slice counts the days from its invoice's issue date to the payment date, at
 * least 0 (paid before the invoice: 0 days). A slice beyond every invoice (the order paid before
 * it was invoiced in full) counts from the booking date. Refunds do not undo days to pay.
 */
export function paymentDays(milestones: readonly KpiMilestone[]): PaymentDays[] {
  const booked = milestones.find((m) => m.type === 'BOOKED');
  const invoices = milestones.filter((m) => m.type === 'INVOICED' && m.dueDate !== null).sort(byDue);
  const payments = milestones.filter((m) => m.type === 'PAYMENT').sort((a, b) => ms(a.at) - ms(b.at) || a.seq - b.seq);
  const days = (from: string, to: string) => BigInt(Math.max(0, daysBetween(from, to)));
  let position = 0n;
  return payments.map((p) => {
    let start = position;
    const end = position + p.amount;
    let amountDays = 0n;
    let invoiceStart = 0n;
    for (const inv of invoices) {
      const invoiceEnd = invoiceStart + inv.amount;
      const overlap = (end < invoiceEnd ? end : invoiceEnd) - (start > invoiceStart ? start : invoiceStart);
      if (overlap > 0n) amountDays += overlap * days(inv.at, p.at);
      invoiceStart = invoiceEnd;
    }
    if (end > invoiceStart) {
      start = start > invoiceStart ? start : invoiceStart;
      amountDays += (end - start) * days(booked?.at ?? p.at, p.at);
    }
    position = end;
    return { seq: p.seq, at: p.at, amount: p.amount, amountDays };
  });
}

/** The period (YYYY-MM) bounds as dates. */
export function periodDates(period: string): { first: string; last: string } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  // Days in the month from a year of the same 400-year cycle (Date.UTC maps years 0–99 to 19xx).
  const days = new Date(Date.UTC(2000 + (y % 400), m, 0)).getUTCDate();
  return { first: `${period}-01`, last: `${period}-${String(days).padStart(2, '0')}` };
}

/** An order's own KPI inputs for period P at asOf (whole amounts, before crediting). */
export interface OrderKpiInputs {
  /** Invoice amounts (net of reductions) due in P, due date ≤ asOf's date. */
  readonly due: bigint;
  readonly collectedOnTime: bigint;
  readonly collectedToDate: bigint;
  /** Gross payments with business time in P (≤ asOf). */
  readonly paid: bigint;
  readonly paidAmountDays: bigint;
}

/** The KPI inputs of one order for period P evaluated at asOf (milestones already at asOf). */
export function orderKpiInputs(milestones: readonly KpiMilestone[], period: string, asOf: string): OrderKpiInputs {
  const { first, last } = periodDates(period);
  const asOfDate = utcDate(asOf);
  const until = last < asOfDate ? last : asOfDate;
  let due = 0n;
  let collectedOnTime = 0n;
  let collectedToDate = 0n;
  for (const inv of invoiceCollections(milestones)) {
    if (inv.dueDate < first || inv.dueDate > until) continue;
    due += inv.due;
    collectedOnTime += inv.collectedOnTime;
    collectedToDate += inv.collectedToDate;
  }
  let paid = 0n;
  let paidAmountDays = 0n;
  for (const p of paymentDays(milestones)) {
    if (utcDate(p.at).slice(0, 7) !== period || ms(p.at) > ms(asOf)) continue;
    paid += p.amount;
    paidAmountDays += p.amountDays;
  }
  return { due, collectedOnTime, collectedToDate, paid, paidAmountDays };
}

/** The sums a KPI row is made of (credited shares, minor units; amountDays in minor units × days). */
export interface KpiSums {
  due: bigint;
  collectedOnTime: bigint;
  collectedToDate: bigint;
  outstanding: bigint;
  sales: bigint;
  paid: bigint;
  paidAmountDays: bigint;
}

export const emptySums = (): KpiSums => ({
  due: 0n,
  collectedOnTime: 0n,
  collectedToDate: 0n,
  outstanding: 0n,
  sales: 0n,
  paid: 0n,
  paidAmountDays: 0n,
});

/** A salesperson's credited share of an order's KPI inputs: each figure roundHalfUp(x × s / 10^4). */
export function creditedInputs(inputs: OrderKpiInputs, splitBps: number): OrderKpiInputs {
  const s = BigInt(splitBps);
  return {
    due: credited(inputs.due, s),
    collectedOnTime: credited(inputs.collectedOnTime, s),
    collectedToDate: credited(inputs.collectedToDate, s),
    paid: credited(inputs.paid, s),
    paidAmountDays: credited(inputs.paidAmountDays, s),
  };
}

export function addInputs(sums: KpiSums, inputs: OrderKpiInputs): void {
  sums.due += inputs.due;
  sums.collectedOnTime += inputs.collectedOnTime;
  sums.collectedToDate += inputs.collectedToDate;
  sums.paid += inputs.paid;
  sums.paidAmountDays += inputs.paidAmountDays;
}

/** floor(n × 10000 / d) in basis points; null when d ≤ 0. */
export function rateBps(n: bigint, d: bigint): number | null {
  if (d <= 0n) return null;
  const scaled = n * 10_000n;
  const q = scaled / d;
  return Number(scaled < 0n && q * d !== scaled ? q - 1n : q);
}

/** DSO = roundHalfUp(outstanding × days / sales) whole days; null without positive sales. */
export function dsoDays(outstanding: bigint, sales: bigint, days: number): number | null {
  if (sales <= 0n) return null;
  return Number(roundHalfUp(outstanding * BigInt(days), sales));
}

/** Average days to pay = roundHalfUp(Σ amount × days / Σ amount); null without payments. */
export function averageDaysToPay(paid: bigint, amountDays: bigint): number | null {
  if (paid <= 0n) return null;
  return Number(roundHalfUp(amountDays, paid));
}

/** Days of P counted by DSO: from its first day to the date of `at` (the period end or asOf), inclusive. */
export function daysCounted(period: string, at: string): number {
  return daysBetween(periodDates(period).first, utcDate(at)) + 1;
}
