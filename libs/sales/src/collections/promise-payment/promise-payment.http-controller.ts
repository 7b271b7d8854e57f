import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { PromisePaymentMessage } from './promise-payment.handler';
import { PromisePaymentRequestDto } from './promise-payment.request.dto';

@ApiTags('collections')
@Controller('orders/:id/payment-promises')
export class PromisePaymentHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: PromisePaymentRequestDto,
    examples: {
      promise: {
        value: {
          promiseId: 'PRM-1',
          invoiceId: 'INV-1',
          amount: { amount: 5000000, currency: 'USD' },
          promisedDate: '2026-02-20',
          recordedAt: '2026-02-12T10:00:00Z',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: PromisePaymentRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new PromisePaymentMessage(
        {
          type: 'PromisePayment',
          orderId,
          promiseId: body.promiseId,
          invoiceId: body.invoiceId,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          promisedDate: body.promisedDate,
          recordedAt: normaliseInstant(body.recordedAt),
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
