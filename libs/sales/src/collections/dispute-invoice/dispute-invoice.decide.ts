import type { Decider } from '../../../../eventsourcing/src/decider';
import type { InvoiceDisputed } from '../../contracts/collections.events';
import {
  evolveReceivable,
  initialReceivableState,
  type ReceivableState,
  type ReceivableStreamEvent,
} from '../collection-receivable.state';
import { collectionRefusal, requireInvoice } from '../collections.rules';
import type { DisputeInvoice } from './dispute-invoice.command';

/**
 * The invoice is the order's and open at disputedAt; it has no open dispute; and disputedAt is not
 * before its last dispute's resolution (pauses never overlap).
 */
export function decideDisputeInvoice(command: DisputeInvoice, state: ReceivableState): InvoiceDisputed[] {
  requireInvoice(state, command.orderId, command.invoiceId, command.disputedAt, null);
  const ofInvoice = state.disputes.filter((d) => d.invoiceId === command.invoiceId);
  const open = ofInvoice.find((d) => d.resolvedAt === null);
  if (open) throw collectionRefusal.disputeAlreadyOpen(command.invoiceId, open.disputeId);
  for (const d of ofInvoice) {
    if (d.resolvedAt !== null && Date.parse(command.disputedAt) < Date.parse(d.resolvedAt))
      throw collectionRefusal.disputeOverlaps(command.disputedAt, d.resolvedAt);
  }
  return [
    {
      type: 'InvoiceDisputed',
      occurredAt: command.disputedAt,
      data: {
        orderId: command.orderId,
        invoiceId: command.invoiceId,
        disputeId: command.disputeId,
        reason: command.reason,
        disputedAt: command.disputedAt,
      },
    },
  ];
}

export const disputeInvoiceDecider: Decider<DisputeInvoice, ReceivableStreamEvent, ReceivableState> = {
  initialState: initialReceivableState,
  evolve: evolveReceivable,
  decide: decideDisputeInvoice,
};
