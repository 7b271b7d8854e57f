import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import type { InvoiceDisputeResolved } from '../../contracts/collections.events';
import {
  evolveReceivable,
  initialReceivableState,
  type ReceivableState,
  type ReceivableStreamEvent,
} from '../collection-receivable.state';
import { collectionRefusal } from '../collections.rules';
import type { ResolveInvoiceDispute } from './resolve-invoice-dispute.command';

/**
 * The order exists and has this dispute (404 otherwise), the dispute is open, and it is not
 * resolved before it was raised. A settled invoice or a cancelled order may still close its dispute.
 */
export function decideResolveInvoiceDispute(
  command: ResolveInvoiceDispute,
  state: ReceivableState,
): InvoiceDisputeResolved[] {
  if (!state.order.exists) throw new NotFoundError('Order', command.orderId);
  const dispute = state.disputes.find((d) => d.disputeId === command.disputeId);
  if (!dispute) throw new NotFoundError('Dispute', command.disputeId);
  if (dispute.resolvedAt !== null) throw collectionRefusal.disputeNotOpen(command.disputeId, dispute.resolvedAt);
  if (Date.parse(command.resolvedAt) < Date.parse(dispute.disputedAt))
    throw collectionRefusal.resolvedBeforeDisputed(command.resolvedAt, dispute.disputedAt);
  return [
    {
      type: 'InvoiceDisputeResolved',
      occurredAt: command.resolvedAt,
      data: {
        orderId: command.orderId,
        invoiceId: dispute.invoiceId,
        disputeId: command.disputeId,
        resolvedAt: command.resolvedAt,
        outcome: command.outcome,
      },
    },
  ];
}

export const resolveInvoiceDisputeDecider: Decider<ResolveInvoiceDispute, ReceivableStreamEvent, ReceivableState> = {
  initialState: initialReceivableState,
  evolve: evolveReceivable,
  decide: decideResolveInvoiceDispute,
};
