import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { DisputeInvoiceMessage } from './dispute-invoice.handler';
import { DisputeInvoiceRequestDto } from './dispute-invoice.request.dto';

@ApiTags('collections')
@Controller('orders/:id/disputes')
export class DisputeInvoiceHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: DisputeInvoiceRequestDto,
    examples: {
      dispute: {
        value: {
          disputeId: 'DSP-1',
          invoiceId: 'INV-1',
          reason: 'Goods arrived damaged',
          disputedAt: '2026-02-12T10:00:00Z',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: DisputeInvoiceRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new DisputeInvoiceMessage(
        {
          type: 'DisputeInvoice',
          orderId,
          disputeId: body.disputeId,
          invoiceId: body.invoiceId,
          reason: body.reason,
          disputedAt: normaliseInstant(body.disputedAt),
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
