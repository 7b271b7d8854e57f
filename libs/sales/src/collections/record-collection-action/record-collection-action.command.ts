import type { CollectionAction } from '../../contracts/collections.events';

export interface RecordCollectionAction {
  readonly type: 'RecordCollectionAction';
  readonly orderId: string;
  readonly actionId: string;
  readonly invoiceId: string;
  readonly stepId: string | null;
  readonly action: CollectionAction;
  readonly takenAt: string;
  readonly note: string | null;
}
