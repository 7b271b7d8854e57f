/**
 * Runs one import line the way the HTTP API runs the same request, minus HTTP and authentication:
 * the API's pipes (body depth, then the global ValidationPipe with the route's request DTO, then
 * IdParamPipe on `:id`), the route's own controller method (which builds the command and the
 * request that is hashed for idempotency), and the command's own handler (which loads the streams
 * it needs, folds them, runs the pure decider and appends through `handleCommand`). The controller
 * is given a command bus that hands the message back instead of dispatching it, and the handler an
 * event store of our choosing (the import's staging store).
 */
import type { CommandBus } from '@nestjs/cqrs';
import { PostAdjustmentHandler } from '../../libs/commissions/src/adjustments/post-adjustment/post-adjustment.handler';
import { PostAdjustmentHttpController } from '../../libs/commissions/src/adjustments/post-adjustment/post-adjustment.http-controller';
import { PostAdjustmentRequestDto } from '../../libs/commissions/src/adjustments/post-adjustment/post-adjustment.request.dto';
import { RecordPayoutHandler } from '../../libs/commissions/src/payouts/record-payout/record-payout.handler';
import { RecordPayoutHttpController } from '../../libs/commissions/src/payouts/record-payout/record-payout.http-controller';
import { RecordPayoutRequestDto } from '../../libs/commissions/src/payouts/record-payout/record-payout.request.dto';
import { RecalculateCommissionsHandler } from '../../libs/commissions/src/recalculations/recalculate-commissions/recalculate-commissions.handler';
import { RecalculateCommissionsHttpController } from '../../libs/commissions/src/recalculations/recalculate-commissions/recalculate-commissions.http-controller';
import { RecalculateCommissionsRequestDto } from '../../libs/commissions/src/recalculations/recalculate-commissions/recalculate-commissions.request.dto';
import { DomainError } from '../../libs/eventsourcing/src/decider';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../libs/eventsourcing/src/errors';
import type { EventStore } from '../../libs/eventsourcing/src/event-store.port';
import type { CommandEnvelope } from '../../libs/platform/src/cqrs/run-command';
import { BodyDepthPipe } from '../../libs/platform/src/http/body-depth.pipe';
import type { CommandAcceptedDto } from '../../libs/platform/src/http/command-response.dto';
import { IdParamPipe } from '../../libs/platform/src/http/id-param.pipe';
import { ValidationFailedException } from '../../libs/platform/src/http/problem';
import type { RequestContext } from '../../libs/platform/src/http/request-context';
import { createValidationPipe } from '../../libs/platform/src/http/validation';
import { ReassignSalesCreditsHandler } from '../../libs/sales/src/customers/reassign-sales-credits/reassign-sales-credits.handler';
import { ReassignSalesCreditsHttpController } from '../../libs/sales/src/customers/reassign-sales-credits/reassign-sales-credits.http-controller';
import { ReassignSalesCreditsRequestDto } from '../../libs/sales/src/customers/reassign-sales-credits/reassign-sales-credits.request.dto';
import { RegisterCustomerHandler } from '../../libs/sales/src/customers/register-customer/register-customer.handler';
import { RegisterCustomerHttpController } from '../../libs/sales/src/customers/register-customer/register-customer.http-controller';
import { RegisterCustomerRequestDto } from '../../libs/sales/src/customers/register-customer/register-customer.request.dto';
import { RegisterDistributorHandler } from '../../libs/sales/src/distributors/register-distributor/register-distributor.handler';
import { RegisterDistributorHttpController } from '../../libs/sales/src/distributors/register-distributor/register-distributor.http-controller';
import { RegisterDistributorRequestDto } from '../../libs/sales/src/distributors/register-distributor/register-distributor.request.dto';
import { ReportSecondarySaleHandler } from '../../libs/sales/src/distributors/report-secondary-sale/report-secondary-sale.handler';
import { ReportSecondarySaleHttpController } from '../../libs/sales/src/distributors/report-secondary-sale/report-secondary-sale.http-controller';
import { ReportSecondarySaleRequestDto } from '../../libs/sales/src/distributors/report-secondary-sale/report-secondary-sale.request.dto';
import { BookSaleHandler } from '../../libs/sales/src/orders/book-sale/book-sale.handler';
import { BookSaleHttpController } from '../../libs/sales/src/orders/book-sale/book-sale.http-controller';
import { BookSaleRequestDto } from '../../libs/sales/src/orders/book-sale/book-sale.request.dto';
import { CancelOrderHandler } from '../../libs/sales/src/orders/cancel-order/cancel-order.handler';
import { CancelOrderHttpController } from '../../libs/sales/src/orders/cancel-order/cancel-order.http-controller';
import { CancelOrderRequestDto } from '../../libs/sales/src/orders/cancel-order/cancel-order.request.dto';
import { IssueInvoiceHandler } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.handler';
import { IssueInvoiceHttpController } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.http-controller';
import { IssueInvoiceRequestDto } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.request.dto';
import { ReceivePaymentHandler } from '../../libs/sales/src/orders/receive-payment/receive-payment.handler';
import { ReceivePaymentHttpController } from '../../libs/sales/src/orders/receive-payment/receive-payment.http-controller';
import { ReceivePaymentRequestDto } from '../../libs/sales/src/orders/receive-payment/receive-payment.request.dto';
import { ReturnGoodsHandler } from '../../libs/sales/src/orders/return-goods/return-goods.handler';
import { ReturnGoodsHttpController } from '../../libs/sales/src/orders/return-goods/return-goods.http-controller';
import { ReturnGoodsRequestDto } from '../../libs/sales/src/orders/return-goods/return-goods.request.dto';
import { WriteOffDebtHandler } from '../../libs/sales/src/orders/write-off/write-off.handler';
import { WriteOffDebtHttpController } from '../../libs/sales/src/orders/write-off/write-off.http-controller';
import { WriteOffDebtRequestDto } from '../../libs/sales/src/orders/write-off/write-off.request.dto';
import { CreatePlanHandler } from '../../libs/sales/src/plans/create-plan/create-plan.handler';
import { CreatePlanHttpController } from '../../libs/sales/src/plans/create-plan/create-plan.http-controller';
import { CreatePlanRequestDto } from '../../libs/sales/src/plans/create-plan/create-plan.request.dto';
import { AssignPlanHandler } from '../../libs/sales/src/salespeople/assign-plan/assign-plan.handler';
import { AssignPlanHttpController } from '../../libs/sales/src/salespeople/assign-plan/assign-plan.http-controller';
import { AssignPlanRequestDto } from '../../libs/sales/src/salespeople/assign-plan/assign-plan.request.dto';
import { RegisterSalespersonHandler } from '../../libs/sales/src/salespeople/register-salesperson/register-salesperson.handler';
import { RegisterSalespersonHttpController } from '../../libs/sales/src/salespeople/register-salesperson/register-salesperson.http-controller';
import { RegisterSalespersonRequestDto } from '../../libs/sales/src/salespeople/register-salesperson/register-salesperson.request.dto';
import { SetQuotaHandler } from '../../libs/sales/src/salespeople/set-quota/set-quota.handler';
import { SetQuotaHttpController } from '../../libs/sales/src/salespeople/set-quota/set-quota.http-controller';
import { SetQuotaRequestDto } from '../../libs/sales/src/salespeople/set-quota/set-quota.request.dto';
import { TerminateSalespersonHandler } from '../../libs/sales/src/salespeople/terminate-salesperson/terminate-salesperson.handler';
import { TerminateSalespersonHttpController } from '../../libs/sales/src/salespeople/terminate-salesperson/terminate-salesperson.http-controller';
import { TerminateSalespersonRequestDto } from '../../libs/sales/src/salespeople/terminate-salesperson/terminate-salesperson.request.dto';
import type { ImportLine, Refusal } from './parse-line';
import type { ImportableCommand } from './routes';

type Params = Readonly<Record<string, string>>;
type Dto = new () => object;
/** Calls the route's controller method; what it "dispatches" comes back as the answer. */
type Invoke = (bus: CommandBus, p: Params, body: never, ctx: RequestContext) => Promise<unknown>;
type Handle = (store: EventStore) => { execute(message: never): Promise<CommandAcceptedDto> };

interface Binding {
  readonly dto: Dto;
  readonly invoke: Invoke;
  readonly handler: Handle;
}

const id = (p: Params) => p.id!;

const BINDINGS: Record<ImportableCommand, Binding> = {
  CreatePlan: {
    dto: CreatePlanRequestDto,
    invoke: (bus, _p, body, ctx) => new CreatePlanHttpController(bus).create(body, ctx),
    handler: (s) => new CreatePlanHandler(s),
  },
  RegisterSalesperson: {
    dto: RegisterSalespersonRequestDto,
    invoke: (bus, _p, body, ctx) => new RegisterSalespersonHttpController(bus).register(body, ctx),
    handler: (s) => new RegisterSalespersonHandler(s),
  },
  AssignPlan: {
    dto: AssignPlanRequestDto,
    invoke: (bus, p, body, ctx) => new AssignPlanHttpController(bus).assign(id(p), body, ctx),
    handler: (s) => new AssignPlanHandler(s),
  },
  SetQuota: {
    dto: SetQuotaRequestDto,
    invoke: (bus, p, body, ctx) => new SetQuotaHttpController(bus).set(id(p), p.year!, body, ctx),
    handler: (s) => new SetQuotaHandler(s),
  },
  TerminateSalesperson: {
    dto: TerminateSalespersonRequestDto,
    invoke: (bus, p, body, ctx) => new TerminateSalespersonHttpController(bus).terminate(id(p), body, ctx),
    handler: (s) => new TerminateSalespersonHandler(s),
  },
  RegisterCustomer: {
    dto: RegisterCustomerRequestDto,
    invoke: (bus, _p, body, ctx) => new RegisterCustomerHttpController(bus).register(body, ctx),
    handler: (s) => new RegisterCustomerHandler(s),
  },
  ReassignSalesCredits: {
    dto: ReassignSalesCreditsRequestDto,
    invoke: (bus, p, body, ctx) => new ReassignSalesCreditsHttpController(bus).reassign(id(p), body, ctx),
    handler: (s) => new ReassignSalesCreditsHandler(s),
  },
  BookSale: {
    dto: BookSaleRequestDto,
    invoke: (bus, _p, body, ctx) => new BookSaleHttpController(bus).book(body, ctx),
    handler: (s) => new BookSaleHandler(s),
  },
  IssueInvoice: {
    dto: IssueInvoiceRequestDto,
    invoke: (bus, p, body, ctx) => new IssueInvoiceHttpController(bus).execute(id(p), body, ctx),
    handler: (s) => new IssueInvoiceHandler(s),
  },
  ReceivePayment: {
    dto: ReceivePaymentRequestDto,
    invoke: (bus, p, body, ctx) => new ReceivePaymentHttpController(bus).execute(id(p), body, ctx),
    handler: (s) => new ReceivePaymentHandler(s),
  },
  CancelOrder: {
    dto: CancelOrderRequestDto,
    invoke: (bus, p, body, ctx) => new CancelOrderHttpController(bus).execute(id(p), body, ctx),
    handler: (s) => new CancelOrderHandler(s),
  },
  ReturnGoods: {
    dto: ReturnGoodsRequestDto,
    invoke: (bus, p, body, ctx) => new ReturnGoodsHttpController(bus).execute(id(p), body, ctx),
    handler: (s) => new ReturnGoodsHandler(s),
  },
  WriteOffDebt: {
    dto: WriteOffDebtRequestDto,
    invoke: (bus, p, body, ctx) => new WriteOffDebtHttpController(bus).execute(id(p), body, ctx),
    handler: (s) => new WriteOffDebtHandler(s),
  },
  PostAdjustment: {
    dto: PostAdjustmentRequestDto,
    invoke: (bus, p, body, ctx) => new PostAdjustmentHttpController(bus).post(id(p), body, ctx),
    handler: (s) => new PostAdjustmentHandler(s),
  },
  RecordPayout: {
    dto: RecordPayoutRequestDto,
    invoke: (bus, _p, body, ctx) => new RecordPayoutHttpController(bus).record(body, ctx),
    handler: (s) => new RecordPayoutHandler(s),
  },
  RegisterDistributor: {
    dto: RegisterDistributorRequestDto,
    invoke: (bus, _p, body, ctx) => new RegisterDistributorHttpController(bus).register(body, ctx),
    handler: (s) => new RegisterDistributorHandler(s),
  },
  ReportSecondarySale: {
    dto: ReportSecondarySaleRequestDto,
    invoke: (bus, p, body, ctx) => new ReportSecondarySaleHttpController(bus).report(id(p), body, ctx),
    handler: (s) => new ReportSecondarySaleHandler(s),
  },
  RecalculateCommissions: {
    dto: RecalculateCommissionsRequestDto,
    invoke: (bus, p, body, ctx) => new RecalculateCommissionsHttpController(bus).recalculate(id(p), body, ctx),
    handler: (s) => new RecalculateCommissionsHandler(s),
  },
};

/** Hands the controller's message back instead of dispatching it. */
const ECHO_BUS = { execute: (message: unknown) => Promise.resolve(message) } as unknown as CommandBus;

export type Outcome =
  | { readonly kind: 'accepted'; readonly type: string; readonly commandId: string; readonly streamId: string }
  | { readonly kind: 'refused'; readonly refusal: Refusal };

/** The problem the API would answer for an error a pipe, controller or handler threw; null: not a refusal. */
export function refusalOf(error: unknown, line: number, type: string | null): Refusal | null {
  if (error instanceof ValidationFailedException) {
    return { line, type, status: 400, code: 'VALIDATION_FAILED', detail: error.message, errors: error.errors };
  }
  if (error instanceof DomainError) {
    const status = error.kind === 'not_found' ? 404 : error.kind === 'conflict' ? 409 : 422;
    return { line, type, status, code: error.code, detail: error.message };
  }
  if (error instanceof DuplicateEventIdError) {
    return {
      line,
      type,
      status: 409,
      code: 'IDEMPOTENCY_CONFLICT',
      detail: 'This command id was already used for another request',
    };
  }
  if (error instanceof WrongExpectedRevisionError) {
    return {
      line,
      type,
      status: 409,
      code: 'CONCURRENCY_CONFLICT',
      detail: 'The stream changed concurrently; try again',
    };
  }
  // Nest's HttpException (e.g. a BadRequestException from a pipe): status and message.
  const e = error as { getStatus?: () => unknown; message?: unknown } | null;
  if (e && typeof e.getStatus === 'function') {
    const status = Number(e.getStatus());
    if (status >= 400 && status < 500) {
      return {
        line,
        type,
        status,
        code: status === 400 ? 'VALIDATION_FAILED' : 'BAD_REQUEST',
        detail: String(e.message),
      };
    }
  }
  return null;
}

/** Executes import lines against one event store (the handlers are made once per store). */
export class CommandRunner {
  private readonly handlers = new Map<ImportableCommand, ReturnType<Handle>>();
  private readonly validation = createValidationPipe();
  private readonly depth = new BodyDepthPipe();
  private readonly idParam = new IdParamPipe();

  constructor(
    store: EventStore,
    private readonly contextOf: (line: ImportLine) => RequestContext,
  ) {
    for (const [type, binding] of Object.entries(BINDINGS) as [ImportableCommand, Binding][]) {
      this.handlers.set(type, binding.handler(store));
    }
  }

  async run(line: ImportLine): Promise<Outcome> {
    const type = line.route.type as ImportableCommand;
    const binding = BINDINGS[type];
    try {
      // The order of the API: global pipes on the body (depth, validation), then the route's param pipes.
      const checked = this.depth.transform(line.body, { type: 'body' });
      const dto: unknown = await this.validation.transform(checked, { type: 'body', metatype: binding.dto });
      const params: Record<string, string> = { ...line.params };
      if (params.id !== undefined) params.id = this.idParam.transform(params.id);
      const message = (await binding.invoke(
        ECHO_BUS,
        params,
        dto as never,
        this.contextOf(line),
      )) as CommandEnvelope<unknown>;
      const result = await this.handlers.get(type)!.execute(message as never);
      return { kind: 'accepted', type, commandId: result.id, streamId: result.streamId };
    } catch (error) {
      const refusal = refusalOf(error, line.lineNo, type);
      if (refusal) return { kind: 'refused', refusal };
      throw error;
    }
  }
}
