import type { Decider } from '../../../../eventsourcing/src/decider';
import type { CollectionActionTaken } from '../../contracts/collections.events';
import {
  evolveReceivable,
  initialReceivableState,
  type ReceivableState,
  type ReceivableStreamEvent,
} from '../collection-receivable.state';
import { requireInvoice } from '../collections.rules';
import type { RecordCollectionAction } from './record-collection-action.command';

/** The invoice is the order's, taken on or after its issue, with something open at takenAt. */
export function decideRecordCollectionAction(
  command: RecordCollectionAction,
  state: ReceivableState,
): CollectionActionTaken[] {
  requireInvoice(state, command.orderId, command.invoiceId, command.takenAt, null);
  return [
    {
      type: 'CollectionActionTaken',
      occurredAt: command.takenAt,
      data: {
        orderId: command.orderId,
        invoiceId: command.invoiceId,
        actionId: command.actionId,
        stepId: command.stepId,
        action: command.action,
        takenAt: command.takenAt,
        note: command.note,
      },
    },
  ];
}

export const recordCollectionActionDecider: Decider<RecordCollectionAction, ReceivableStreamEvent, ReceivableState> = {
  initialState: initialReceivableState,
  evolve: evolveReceivable,
  decide: decideRecordCollectionAction,
};
