/**
 * What every collection command on an order checks, and the refusals (422 unless said otherwise;
 * codes in docs/collections-and-credit.md). Framework-free.
 */
import { DomainError, NotFoundError } from '../../../eventsourcing/src/decider';
import type { Money } from '../../../shared-kernel/src/money';
import { requireOrder } from '../orders/order.rules';
import type { IssuedInvoice } from './receivable';
import { openAmountAt, type ReceivableState } from './collection-receivable.state';

export const collectionRefusal = {
  unknownInvoice: (orderId: string, invoiceId: string) =>
    new DomainError('UNKNOWN_INVOICE', `Order ${orderId} has no invoice ${invoiceId}`),
  beforeInvoice: (at: string, issuedAt: string) =>
    new DomainError('BEFORE_INVOICE', `${at} is before the invoice was issued (${issuedAt})`),
  settled: (invoiceId: string, at: string) =>
    new DomainError(
      'INVOICE_SETTLED',
      `Invoice ${invoiceId} has nothing open at ${at} (paid, written off or cancelled)`,
    ),
  promiseExceedsOpen: (amount: number, open: number) =>
    new DomainError('PROMISE_EXCEEDS_OPEN_AMOUNT', `Promise of ${amount} exceeds the invoice's open amount ${open}`),
  promisedDateBeforePromise: (promisedDate: string, made: string) =>
    new DomainError('PROMISED_DATE_BEFORE_PROMISE', `promisedDate ${promisedDate} is before the promise (${made})`),
  disputeAlreadyOpen: (invoiceId: string, disputeId: string) =>
    new DomainError('DISPUTE_ALREADY_OPEN', `Invoice ${invoiceId} is already disputed (${disputeId})`),
  disputeOverlaps: (disputedAt: string, resolvedAt: string) =>
    new DomainError(
      'DISPUTE_OVERLAPS',
      `disputedAt ${disputedAt} is before the invoice's last dispute was resolved (${resolvedAt})`,
    ),
  disputeNotOpen: (disputeId: string, resolvedAt: string) =>
    new DomainError('DISPUTE_NOT_OPEN', `Dispute ${disputeId} was already resolved at ${resolvedAt}`),
  resolvedBeforeDisputed: (resolvedAt: string, disputedAt: string) =>
    new DomainError('RESOLVED_BEFORE_DISPUTED', `resolvedAt ${resolvedAt} is before the dispute (${disputedAt})`),
  policyIdReserved: (policyId: string) =>
    new DomainError('POLICY_ID_RESERVED', `${policyId} is the built-in default policy's id`),
  stepCount: (count: number) => new DomainError('STEP_COUNT', `A policy has 1 to 20 steps, got ${count}`),
  duplicateStep: (stepId: string) => new DomainError('DUPLICATE_STEP_ID', `Step ${stepId} appears twice`),
  offsetsNotIncreasing: (stepId: string, offset: number, previous: number) =>
    new DomainError(
      'STEP_OFFSETS_NOT_INCREASING',
      `Step ${stepId} has offsetDays ${offset}, not after the previous step's ${previous}`,
    ),
};

/**
 * The order exists (404), the amount is in its currency and the time not before the booking
 * (requireOrder; a cancelled order only if allowed), the invoice is one of the order's
 * (UNKNOWN_INVOICE), the business time is not before its issue (BEFORE_INVOICE), and, unless
 * allowed, the invoice still has something open at that time (INVOICE_SETTLED).
 */
export function requireInvoice(
  state: ReceivableState,
  orderId: string,
  invoiceId: string,
  at: string,
  amount: Money | null,
  options: { allowSettled?: boolean } = {},
): { invoice: IssuedInvoice; open: number } {
  if (!state.order.exists) throw new NotFoundError('Order', orderId);
  requireOrder(state.order, orderId, at, amount, { allowCancelled: options.allowSettled === true });
  const invoice = state.invoices.find((i) => i.invoiceId === invoiceId);
  if (!invoice) throw collectionRefusal.unknownInvoice(orderId, invoiceId);
  if (Date.parse(at) < Date.parse(invoice.issuedAt)) throw collectionRefusal.beforeInvoice(at, invoice.issuedAt);
  const open = openAmountAt(state, invoiceId, at);
  if (!options.allowSettled && open === 0) throw collectionRefusal.settled(invoiceId, at);
  return { invoice, open };
}
