import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Roles } from '../../../../platform/src/auth/roles';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { CancelOrderMessage } from './cancel-order.handler';
import { CancelOrderRequestDto } from './cancel-order.request.dto';

@ApiTags('orders')
@Controller('orders/:id/cancellations')
export class CancelOrderHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: CancelOrderRequestDto,
    examples: {
      example: {
        value: {
          cancellationId: 'CAN-1',
          cancelledAt: '2026-05-01T00:00:00Z',
          reason: 'Customer cancelled',
          amount: { amount: 5000000, currency: 'USD' },
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: CancelOrderRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new CancelOrderMessage(
        {
          type: 'CancelOrder',
          orderId,
          cancellationId: body.cancellationId,
          cancelledAt: normaliseInstant(body.cancelledAt),
          reason: body.reason,
          amount: body.amount ? { amount: body.amount.amount, currency: body.amount.currency } : null,
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
