/**
 * Invoices as receivables (issue 9): an order's invoices, and how much of each is still open.
 * Payments, write-offs and the unpaid parts of cancellations and returns are recorded against the
 * order, not an invoice, so they settle the order's invoices **oldest first** (in the order they
 * were issued), and only what exceeds every invoice settles the part not yet invoiced:
 *
 *   uninvoiced   = max(0, net − invoiced)
 *   openInvoiced = clamp(receivable − uninvoiced, 0, invoiced)
 *   settled      = invoiced − openInvoiced, taken from the invoices oldest first.
 *
 * Framework-free domain code, shared by the collection deciders and the schedule function.
 */
import { net, type OrderAmounts, receivable } from '../orders/order.state';

export interface IssuedInvoice {
  readonly invoiceId: string;
  readonly amount: number;
  readonly issuedAt: string;
  readonly dueDate: string;
}

/** The open amount of each invoice (invoices in the order they were issued). */
export function invoiceOpenAmounts(amounts: OrderAmounts, invoices: readonly IssuedInvoice[]): Map<string, number> {
  const invoiced = invoices.reduce((sum, i) => sum + i.amount, 0);
  const uninvoiced = Math.max(0, net(amounts) - invoiced);
  const openInvoiced = Math.min(invoiced, Math.max(0, receivable(amounts) - uninvoiced));
  let settled = invoiced - openInvoiced;
  const open = new Map<string, number>();
  for (const invoice of invoices) {
    const taken = Math.min(settled, invoice.amount);
    settled -= taken;
    open.set(invoice.invoiceId, invoice.amount - taken);
  }
  return open;
}
