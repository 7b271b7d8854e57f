import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Roles } from '../../../../platform/src/auth/roles';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { ReturnGoodsMessage } from './return-goods.handler';
import { ReturnGoodsRequestDto } from './return-goods.request.dto';

@ApiTags('orders')
@Controller('orders/:id/returns')
export class ReturnGoodsHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: ReturnGoodsRequestDto,
    examples: {
      example: {
        value: {
          returnId: 'RET-1',
          returnedAt: '2026-03-01T00:00:00Z',
          reason: 'Damaged in transit',
          amount: { amount: 1000000, currency: 'USD' },
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: ReturnGoodsRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new ReturnGoodsMessage(
        {
          type: 'ReturnGoods',
          orderId,
          returnId: body.returnId,
          returnedAt: normaliseInstant(body.returnedAt),
          reason: body.reason,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
