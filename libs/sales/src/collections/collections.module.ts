import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AssignCollectionPolicyHandler } from './assign-collection-policy/assign-collection-policy.handler';
import { AssignCollectionPolicyHttpController } from './assign-collection-policy/assign-collection-policy.http-controller';
import { CreateCollectionPolicyHandler } from './create-collection-policy/create-collection-policy.handler';
import { CreateCollectionPolicyHttpController } from './create-collection-policy/create-collection-policy.http-controller';
import { DisputeInvoiceHandler } from './dispute-invoice/dispute-invoice.handler';
import { DisputeInvoiceHttpController } from './dispute-invoice/dispute-invoice.http-controller';
import { PromisePaymentHandler } from './promise-payment/promise-payment.handler';
import { PromisePaymentHttpController } from './promise-payment/promise-payment.http-controller';
import { RecordCollectionActionHandler } from './record-collection-action/record-collection-action.handler';
import { RecordCollectionActionHttpController } from './record-collection-action/record-collection-action.http-controller';
import { ResolveInvoiceDisputeHandler } from './resolve-invoice-dispute/resolve-invoice-dispute.handler';
import { ResolveInvoiceDisputeHttpController } from './resolve-invoice-dispute/resolve-invoice-dispute.http-controller';

/** Collections, write side (issue 9): policies, their assignment, actions, promises, disputes. */
@Module({
  imports: [CqrsModule],
  controllers: [
    CreateCollectionPolicyHttpController,
    AssignCollectionPolicyHttpController,
    RecordCollectionActionHttpController,
    PromisePaymentHttpController,
    DisputeInvoiceHttpController,
    ResolveInvoiceDisputeHttpController,
  ],
  providers: [
    CreateCollectionPolicyHandler,
    AssignCollectionPolicyHandler,
    RecordCollectionActionHandler,
    PromisePaymentHandler,
    DisputeInvoiceHandler,
    ResolveInvoiceDisputeHandler,
  ],
})
export class CollectionsModule {}
