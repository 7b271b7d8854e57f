/**
 * Track-to-cash as pure functions (domain.md §3). The projection turns each order event into a
 * milestone (no clock); `evaluateOrder` folds an order's milestones up to an `asOf` instant into
 * its amounts, status, due date and aging. Everything that depends on "today" happens at query
 * time, from asOf.
 */
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type {
  DebtWrittenOff,
  InvoiceIssued,
  OrderCancelled,
  PaymentReceived,
  ProductReturned,
  SaleBooked,
  SalesCredit,
  SalespersonRegistered,
} from '../../../sales/src/contracts/sales.events';
import { daysBetween, utcDate } from '../../../shared-kernel/src/time';

export type MilestoneType = 'BOOKED' | 'INVOICED' | 'PAYMENT' | 'CANCELLATION' | 'RETURN' | 'WRITE_OFF';

export interface Milestone {
  readonly orderId: string;
  readonly type: MilestoneType;
  /** Business time of the fact. */
  readonly at: string;
  readonly amount: number;
  /** Invoices: their due date. */
  readonly dueDate: string | null;
  /** Cancellations and returns: the part that refunded collected cash. */
  readonly refundPart: number;
  /** The command's own id (invoiceId, paymentId, ...). */
  readonly ref: string;
  readonly recordedAt: string;
}

export interface OrderHeader {
  readonly orderId: string;
  readonly customerId: string;
  readonly currency: string;
  readonly bookedAt: string;
  /** booking date + the customer's payment terms. */
  readonly defaultDueDate: string;
  readonly businessUnit: string | null;
  readonly salesCredits: readonly SalesCredit[];
}

export type TrackToCashChange =
  | { readonly kind: 'order'; readonly order: OrderHeader }
  | { readonly kind: 'milestone'; readonly milestone: Milestone }
  | { readonly kind: 'salesperson'; readonly salespersonId: string; readonly teamId: string | null };

export const TRACK_TO_CASH_EVENT_TYPES = [
  'SalespersonRegistered',
  'SaleBooked',
  'InvoiceIssued',
  'PaymentReceived',
  'OrderCancelled',
  'ProductReturned',
  'DebtWrittenOff',
] as const;

export function projectTrackToCash(event: StoredEvent): TrackToCashChange[] {
  const m = (
    orderId: string,
    type: MilestoneType,
    at: string,
    amount: number,
    ref: string,
    extra: Partial<Milestone> = {},
  ) => ({
    kind: 'milestone' as const,
    milestone: { orderId, type, at, amount, ref, dueDate: null, refundPart: 0, recordedAt: event.recordedAt, ...extra },
  });
  switch (event.type) {
    case 'SalespersonRegistered': {
      const d = event.data as SalespersonRegistered['data'];
      return [{ kind: 'salesperson', salespersonId: d.salespersonId, teamId: d.teamId }];
    }
    case 'SaleBooked': {
      const d = event.data as SaleBooked['data'];
      return [
        {
          kind: 'order',
          order: {
            orderId: d.orderId,
            customerId: d.customerId,
            currency: d.amount.currency,
            bookedAt: d.bookedAt,
            defaultDueDate: d.dueDate,
            businessUnit: d.businessUnit,
            salesCredits: d.salesCredits,
          },
        },
        m(d.orderId, 'BOOKED', d.bookedAt, d.amount.amount, d.orderId),
      ];
    }
    case 'InvoiceIssued': {
      const d = event.data as InvoiceIssued['data'];
      return [m(d.orderId, 'INVOICED', d.issuedAt, d.amount.amount, d.invoiceId, { dueDate: d.dueDate })];
    }
    case 'PaymentReceived': {
      const d = event.data as PaymentReceived['data'];
      return [m(d.orderId, 'PAYMENT', d.receivedAt, d.amount.amount, d.paymentId)];
    }
    case 'OrderCancelled': {
      const d = event.data as OrderCancelled['data'];
      return [
        m(d.orderId, 'CANCELLATION', d.cancelledAt, d.amount.amount, d.cancellationId, { refundPart: d.refundPart }),
      ];
    }
    case 'ProductReturned': {
      const d = event.data as ProductReturned['data'];
      return [m(d.orderId, 'RETURN', d.returnedAt, d.amount.amount, d.returnId, { refundPart: d.refundPart })];
    }
    case 'DebtWrittenOff': {
      const d = event.data as DebtWrittenOff['data'];
      return [m(d.orderId, 'WRITE_OFF', d.writtenOffAt, d.amount.amount, d.writeOffId)];
    }
    default:
      return [];
  }
}

/**
 * An order's running totals over every milestone recorded so far (in record order), kept by the
 * projector so queries need not fold the milestones: exact at any asOf ≥ `maxAt` (and any knownAt
 * ≥ `maxRecordedAt`), where it equals what `evaluateOrder` computes.
 */
export interface OrderTotals {
  readonly orderId: string;
  readonly net: number;
  readonly paidNet: number;
  readonly writtenOff: number;
  readonly invoiced: number;
  /** max(0, net − paidNet − writtenOff). */
  readonly receivable: number;
  /** The latest invoice's due date, else the default one. */
  readonly dueDate: string;
  /** The latest business time of any milestone (the booking at least). */
  readonly maxAt: string;
  /** The latest record time of any milestone. */
  readonly maxRecordedAt: string;
}

/** Totals of a booked order before any milestone. */
export function emptyTotals(order: OrderHeader, recordedAt: string): OrderTotals {
  return {
    orderId: order.orderId,
    net: 0,
    paidNet: 0,
    writtenOff: 0,
    invoiced: 0,
    receivable: 0,
    dueDate: order.defaultDueDate,
    maxAt: order.bookedAt,
    maxRecordedAt: recordedAt,
  };
}

/** Folds one more milestone (the next one recorded) into an order's totals, as evaluateOrder does. */
export function addMilestone(t: OrderTotals, m: Milestone): OrderTotals {
  let { net, paidNet, writtenOff, invoiced, dueDate } = t;
  switch (m.type) {
    case 'BOOKED':
      net += m.amount;
      break;
    case 'INVOICED':
      invoiced += m.amount;
      if (m.dueDate) dueDate = m.dueDate;
      break;
    case 'PAYMENT':
      paidNet += m.amount;
      break;
    case 'CANCELLATION':
    case 'RETURN':
      net -= m.amount;
      paidNet -= m.refundPart;
      break;
    case 'WRITE_OFF':
      writtenOff += m.amount;
      break;
  }
  return {
    orderId: t.orderId,
    net,
    paidNet,
    writtenOff,
    invoiced,
    receivable: Math.max(0, net - paidNet - writtenOff),
    dueDate,
    maxAt: Date.parse(m.at) > Date.parse(t.maxAt) ? m.at : t.maxAt,
    maxRecordedAt: Date.parse(m.recordedAt) > Date.parse(t.maxRecordedAt) ? m.recordedAt : t.maxRecordedAt,
  };
}

export type OrderStatus = 'CANCELLED' | 'PAID' | 'WRITTEN_OFF' | 'OVERDUE' | 'PARTIALLY_PAID' | 'INVOICED' | 'BOOKED';
export type AgingBucket = 'current' | 'd1_30' | 'd31_60' | 'd61_90' | 'd90plus';

export interface OrderAtAsOf {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly booked: number;
  readonly cancelled: number;
  readonly returned: number;
  readonly net: number;
  readonly invoiced: number;
  readonly paidNet: number;
  readonly refunded: number;
  readonly writtenOff: number;
  readonly receivable: number;
  readonly dueDate: string;
  readonly daysOverdue: number;
  readonly daysToCash: number | null;
  readonly milestones: ReadonlyArray<{ type: string; at: string; amount: number }>;
  /** Days past due at asOf (negative: not yet due). */
  readonly daysPastDue: number;
  readonly bucket: AgingBucket;
}

export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'd1_30';
  if (daysPastDue <= 60) return 'd31_60';
  if (daysPastDue <= 90) return 'd61_90';
  return 'd90plus';
}

/**
 * The order as it stood at `asOf`: only milestones with `at ≤ asOf` count (given in the order
 * they were recorded). Returns null if the order was not booked by then.
 */
export function evaluateOrder(header: OrderHeader, milestones: readonly Milestone[], asOf: string): OrderAtAsOf | null {
  const asOfMs = Date.parse(asOf);
  if (Date.parse(header.bookedAt) > asOfMs) return null;
  let booked = 0;
  let cancelled = 0;
  let returned = 0;
  let invoiced = 0;
  let payments = 0;
  let refunded = 0;
  let writtenOff = 0;
  let dueDate = header.defaultDueDate;
  let lastPaymentAt: string | null = null;
  let paidInFullAt: string | null = null;
  const shown: Array<{ type: string; at: string; amount: number }> = [];
  const counted = milestones.filter((x) => Date.parse(x.at) <= asOfMs);
  for (const x of counted) {
    switch (x.type) {
      case 'BOOKED':
        booked += x.amount;
        break;
      case 'INVOICED':
        invoiced += x.amount;
        if (x.dueDate) dueDate = x.dueDate;
        break;
      case 'PAYMENT':
        payments += x.amount;
        lastPaymentAt = x.at;
        break;
      case 'CANCELLATION':
        cancelled += x.amount;
        refunded += x.refundPart;
        break;
      case 'RETURN':
        returned += x.amount;
        refunded += x.refundPart;
        break;
      case 'WRITE_OFF':
        writtenOff += x.amount;
        break;
    }
    shown.push({ type: x.type, at: x.at, amount: x.amount });
    const openNow = booked - cancelled - returned - (payments - refunded) - writtenOff;
    if (
      paidInFullAt === null &&
      openNow === 0 &&
      writtenOff === 0 &&
      booked - cancelled - returned > 0 &&
      payments > 0
    ) {
      paidInFullAt = x.at;
      shown.push({ type: 'PAID_IN_FULL', at: x.at, amount: payments - refunded });
    }
  }
  const net = booked - cancelled - returned;
  const paidNet = payments - refunded;
  const receivable = Math.max(0, net - paidNet - writtenOff);
  const asOfDate = utcDate(asOf);
  const daysPastDue = daysBetween(dueDate, asOfDate);
  let status: OrderStatus;
  if (net === 0) status = 'CANCELLED';
  else if (receivable === 0 && writtenOff === 0) status = 'PAID';
  else if (receivable === 0) status = 'WRITTEN_OFF';
  else if (asOfDate > dueDate) status = 'OVERDUE';
  else if (paidNet > 0) status = 'PARTIALLY_PAID';
  else if (invoiced > 0) status = 'INVOICED';
  else status = 'BOOKED';
  return {
    orderId: header.orderId,
    customerId: header.customerId,
    status,
    currency: header.currency,
    booked,
    cancelled,
    returned,
    net,
    invoiced,
    paidNet,
    refunded,
    writtenOff,
    receivable,
    dueDate,
    daysOverdue: status === 'OVERDUE' ? daysPastDue : 0,
    daysToCash: status === 'PAID' && lastPaymentAt ? daysBetween(header.bookedAt, lastPaymentAt) : null,
    milestones: shown,
    daysPastDue,
    bucket: agingBucket(daysPastDue),
  };
}
