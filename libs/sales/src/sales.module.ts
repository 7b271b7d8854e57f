import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RegisterCustomerHandler } from './customers/register-customer/register-customer.handler';
import { RegisterCustomerHttpController } from './customers/register-customer/register-customer.http-controller';
import { BookSaleHandler } from './orders/book-sale/book-sale.handler';
import { BookSaleHttpController } from './orders/book-sale/book-sale.http-controller';
import { IssueInvoiceHandler } from './orders/issue-invoice/issue-invoice.handler';
import { IssueInvoiceHttpController } from './orders/issue-invoice/issue-invoice.http-controller';
import { ReceivePaymentHandler } from './orders/receive-payment/receive-payment.handler';
import { ReceivePaymentHttpController } from './orders/receive-payment/receive-payment.http-controller';
import { CancelOrderHandler } from './orders/cancel-order/cancel-order.handler';
import { CancelOrderHttpController } from './orders/cancel-order/cancel-order.http-controller';
import { ReturnGoodsHandler } from './orders/return-goods/return-goods.handler';
import { ReturnGoodsHttpController } from './orders/return-goods/return-goods.http-controller';
import { WriteOffDebtHandler } from './orders/write-off/write-off.handler';
import { WriteOffDebtHttpController } from './orders/write-off/write-off.http-controller';
import { TerminateSalespersonHandler } from './salespeople/terminate-salesperson/terminate-salesperson.handler';
import { TerminateSalespersonHttpController } from './salespeople/terminate-salesperson/terminate-salesperson.http-controller';
import { SetQuotaHandler } from './salespeople/set-quota/set-quota.handler';
import { SetQuotaHttpController } from './salespeople/set-quota/set-quota.http-controller';
import { ReassignSalesCreditsHandler } from './customers/reassign-sales-credits/reassign-sales-credits.handler';
import { ReassignSalesCreditsHttpController } from './customers/reassign-sales-credits/reassign-sales-credits.http-controller';
import { SetCreditLimitHandler } from './customers/set-credit-limit/set-credit-limit.handler';
import { SetCreditLimitHttpController } from './customers/set-credit-limit/set-credit-limit.http-controller';
import { GetCustomerCreditHttpController } from './customers/get-customer-credit/get-customer-credit.http-controller';
import { CreatePlanHandler } from './plans/create-plan/create-plan.handler';
import { CreatePlanHttpController } from './plans/create-plan/create-plan.http-controller';
import { AssignPlanHandler } from './salespeople/assign-plan/assign-plan.handler';
import { AssignPlanHttpController } from './salespeople/assign-plan/assign-plan.http-controller';
import { RegisterSalespersonHandler } from './salespeople/register-salesperson/register-salesperson.handler';
import { RegisterSalespersonHttpController } from './salespeople/register-salesperson/register-salesperson.http-controller';
import { RegisterDistributorHandler } from './distributors/register-distributor/register-distributor.handler';
import { RegisterDistributorHttpController } from './distributors/register-distributor/register-distributor.http-controller';
import { ReportSecondarySaleHandler } from './distributors/report-secondary-sale/report-secondary-sale.handler';
import { ReportSecondarySaleHttpController } from './distributors/report-secondary-sale/report-secondary-sale.http-controller';

/** Sales operations: reference data and orders (commands). Needs EVENT_STORE from the app. */
@Module({
  imports: [CqrsModule],
  controllers: [
    CreatePlanHttpController,
    RegisterSalespersonHttpController,
    AssignPlanHttpController,
    RegisterCustomerHttpController,
    BookSaleHttpController,
    IssueInvoiceHttpController,
    ReceivePaymentHttpController,
    CancelOrderHttpController,
    ReturnGoodsHttpController,
    WriteOffDebtHttpController,
    TerminateSalespersonHttpController,
    SetQuotaHttpController,
    ReassignSalesCreditsHttpController,
    SetCreditLimitHttpController,
    GetCustomerCreditHttpController,
    RegisterDistributorHttpController,
    ReportSecondarySaleHttpController,
  ],
  providers: [
    CreatePlanHandler,
    RegisterSalespersonHandler,
    AssignPlanHandler,
    RegisterCustomerHandler,
    BookSaleHandler,
    IssueInvoiceHandler,
    ReceivePaymentHandler,
    CancelOrderHandler,
    ReturnGoodsHandler,
    WriteOffDebtHandler,
    TerminateSalespersonHandler,
    SetQuotaHandler,
    ReassignSalesCreditsHandler,
    SetCreditLimitHandler,
    RegisterDistributorHandler,
    ReportSecondarySaleHandler,
  ],
})
export class SalesModule {}
