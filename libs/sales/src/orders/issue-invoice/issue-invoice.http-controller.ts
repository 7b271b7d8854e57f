import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Roles } from '../../../../platform/src/auth/roles';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { IssueInvoiceMessage } from './issue-invoice.handler';
import { IssueInvoiceRequestDto } from './issue-invoice.request.dto';

@ApiTags('orders')
@Controller('orders/:id/invoices')
export class IssueInvoiceHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: IssueInvoiceRequestDto,
    examples: {
      example: {
        value: {
          invoiceId: 'INV-1',
          amount: { amount: 10000000, currency: 'USD' },
          issuedAt: '2026-01-15T00:00:00Z',
          dueDate: '2026-02-14',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  execute(
    @Param('id', IdParamPipe) orderId: string,
    @Body() body: IssueInvoiceRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new IssueInvoiceMessage(
        {
          type: 'IssueInvoice',
          orderId,
          invoiceId: body.invoiceId,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          issuedAt: normaliseInstant(body.issuedAt),
          dueDate: body.dueDate,
        },
        ctx,
        { orderId, ...body },
      ),
    );
  }
}
