import type { Decider } from '../../../../eventsourcing/src/decider';
import { utcDate } from '../../../../shared-kernel/src/time';
import type { PaymentPromised } from '../../contracts/collections.events';
import {
  evolveReceivable,
  initialReceivableState,
  type ReceivableState,
  type ReceivableStreamEvent,
} from '../collection-receivable.state';
import { collectionRefusal, requireInvoice } from '../collections.rules';
import type { PromisePayment } from './promise-payment.command';

/**
 * The invoice is the order's and open when the promise is taken; the amount is in the order's
 * currency and at most the invoice's open amount then; the promised date is not before the day
 * the promise was taken.
 */
export function decidePromisePayment(command: PromisePayment, state: ReceivableState): PaymentPromised[] {
  const { open } = requireInvoice(state, command.orderId, command.invoiceId, command.recordedAt, command.amount);
  if (command.amount.amount > open) throw collectionRefusal.promiseExceedsOpen(command.amount.amount, open);
  if (command.promisedDate < utcDate(command.recordedAt))
    throw collectionRefusal.promisedDateBeforePromise(command.promisedDate, command.recordedAt);
  return [
    {
      type: 'PaymentPromised',
      occurredAt: command.recordedAt,
      data: {
        orderId: command.orderId,
        invoiceId: command.invoiceId,
        promiseId: command.promiseId,
        amount: command.amount,
        promisedDate: command.promisedDate,
        recordedAt: command.recordedAt,
      },
    },
  ];
}

export const promisePaymentDecider: Decider<PromisePayment, ReceivableStreamEvent, ReceivableState> = {
  initialState: initialReceivableState,
  evolve: evolveReceivable,
  decide: decidePromisePayment,
};
