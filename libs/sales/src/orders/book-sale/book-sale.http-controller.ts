import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { BookSaleMessage } from './book-sale.handler';
import { BookSaleRequestDto } from './book-sale.request.dto';

@ApiTags('orders')
@Controller('orders')
export class BookSaleHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: BookSaleRequestDto,
    examples: {
      o1: {
        value: {
          orderId: 'O1',
          customerId: 'C1',
          amount: { amount: 10000000, currency: 'USD' },
          bookedAt: '2026-01-10T00:00:00Z',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  book(@Body() body: BookSaleRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new BookSaleMessage(
        {
          type: 'BookSale',
          orderId: body.orderId,
          customerId: body.customerId,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          bookedAt: normaliseInstant(body.bookedAt),
          salesCredits:
            body.salesCredits?.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })) ?? null,
          businessUnit: body.businessUnit ?? null,
          lines: (body.lines ?? []).map((l) => ({
            ...(l.sku !== undefined ? { sku: l.sku } : {}),
            ...(l.description !== undefined ? { description: l.description } : {}),
            quantity: l.quantity,
            amount: { amount: l.amount.amount, currency: l.amount.currency },
          })),
          creditOverride: body.creditOverride
            ? { approvedBy: body.creditOverride.approvedBy, reason: body.creditOverride.reason }
            : null,
        },
        ctx,
        body,
      ),
    );
  }
}
