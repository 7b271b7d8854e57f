import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { ResolveInvoiceDisputeMessage } from './resolve-invoice-dispute.handler';
import { ResolveInvoiceDisputeRequestDto } from './resolve-invoice-dispute.request.dto';

@ApiTags('collections')
@Controller('orders/:id/disputes/:disputeId/resolution')
export class ResolveInvoiceDisputeHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: ResolveInvoiceDisputeRequestDto,
    examples: { resolved: { value: { resolvedAt: '2026-02-20T10:00:00Z', outcome: 'Replacement shipped' } } },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Param('disputeId', IdParamPipe) disputeId: string,
    @Body() body: ResolveInvoiceDisputeRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new ResolveInvoiceDisputeMessage(
        {
          type: 'ResolveInvoiceDispute',
          orderId,
          disputeId,
          resolvedAt: normaliseInstant(body.resolvedAt),
          outcome: body.outcome ?? null,
        },
        ctx,
        { orderId, disputeId, ...body },
      ),
    );
  }
}
