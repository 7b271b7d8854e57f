import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { RecordPayoutMessage } from './record-payout.handler';
import { RecordPayoutRequestDto } from './record-payout.request.dto';

@ApiTags('ledger')
@Controller('payouts')
export class RecordPayoutHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: RecordPayoutRequestDto,
    examples: {
      monthly: {
        value: {
          payoutId: 'PO-1',
          salespersonId: 'alice',
          amount: { amount: 500000, currency: 'USD' },
          paidAt: '2026-01-31T00:00:00Z',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  record(@Body() body: RecordPayoutRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new RecordPayoutMessage(
        {
          type: 'RecordPayout',
          payoutId: body.payoutId,
          salespersonId: body.salespersonId,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          paidAt: normaliseInstant(body.paidAt),
        },
        ctx,
        body,
      ),
    );
  }
}
