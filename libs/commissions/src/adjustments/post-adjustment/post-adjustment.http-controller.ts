import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { PostAdjustmentMessage } from './post-adjustment.handler';
import { PostAdjustmentRequestDto } from './post-adjustment.request.dto';

@ApiTags('ledger')
@Controller('salespeople/:id/adjustments')
export class PostAdjustmentHttpController {
  constructor(private readonly commands: CommandBus) {}

  /** The approver recorded is the authenticated caller. */
  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiBody({
    type: PostAdjustmentRequestDto,
    examples: {
      correction: {
        value: {
          adjustmentId: 'ADJ-1',
          period: '2026-03',
          amount: { amount: -25000, currency: 'USD' },
          reason: 'Split dispute settled',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  post(
    @Param('id', IdParamPipe) salespersonId: string,
    @Body() body: PostAdjustmentRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new PostAdjustmentMessage(
        {
          type: 'PostAdjustment',
          adjustmentId: body.adjustmentId,
          salespersonId,
          period: body.period,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          reason: body.reason,
          approvedBy: ctx.actor,
          at: new Date().toISOString(),
        },
        ctx,
        { salespersonId, ...body },
      ),
    );
  }
}
