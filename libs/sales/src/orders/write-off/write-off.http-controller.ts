import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Roles } from '../../../../platform/src/auth/roles';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { WriteOffDebtMessage } from './write-off.handler';
import { WriteOffDebtRequestDto } from './write-off.request.dto';

@ApiTags('orders')
@Controller('orders/:id/write-offs')
export class WriteOffDebtHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: WriteOffDebtRequestDto,
    examples: {
      example: { value: { writeOffId: 'WO-1', writtenOffAt: '2026-09-30T00:00:00Z', reason: 'Customer insolvent' } },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: WriteOffDebtRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new WriteOffDebtMessage(
        {
          type: 'WriteOffDebt',
          orderId,
          writeOffId: body.writeOffId,
          writtenOffAt: normaliseInstant(body.writtenOffAt),
          reason: body.reason,
          amount: body.amount ? { amount: body.amount.amount, currency: body.amount.currency } : null,
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
