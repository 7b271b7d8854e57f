import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Roles } from '../../../../platform/src/auth/roles';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { ReceivePaymentMessage } from './receive-payment.handler';
import { ReceivePaymentRequestDto } from './receive-payment.request.dto';

@ApiTags('orders')
@Controller('orders/:id/payments')
export class ReceivePaymentHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: ReceivePaymentRequestDto,
    examples: {
      example: {
        value: { paymentId: 'PAY-1', amount: { amount: 4000000, currency: 'USD' }, receivedAt: '2026-02-01T00:00:00Z' },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: ReceivePaymentRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new ReceivePaymentMessage(
        {
          type: 'ReceivePayment',
          orderId,
          paymentId: body.paymentId,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          receivedAt: normaliseInstant(body.receivedAt),
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
