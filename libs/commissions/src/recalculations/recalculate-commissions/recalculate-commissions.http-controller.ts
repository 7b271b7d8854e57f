import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { RecalculateCommissionsMessage } from './recalculate-commissions.handler';
import { RecalculateCommissionsRequestDto } from './recalculate-commissions.request.dto';

@ApiTags('ledger')
@Controller('salespeople/:id/recalculations')
export class RecalculateCommissionsHttpController {
  constructor(private readonly commands: CommandBus) {}

  /** Who asked is recorded: the authenticated caller. */
  @Post()
  @Roles('finance')
  @HttpCode(201)
  @ApiOperation({
    summary: "Recalculates a salesperson's open periods under the plan assignments recorded now",
    description:
      'Records CommissionsRecalculated on the stream commission-<id>; the ledger then posts the differences as ' +
      'ADJUSTMENT entries (trigger RECALCULATION). 404 NOT_FOUND: no such salesperson.',
  })
  @ApiParam({ name: 'id', example: 'alice' })
  @ApiBody({
    type: RecalculateCommissionsRequestDto,
    examples: {
      fromJanuary: {
        value: {
          recalculationId: 'RC-alice-2026-03',
          reason: 'Plan assignment corrected back to January',
          fromPeriod: '2026-01',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  recalculate(
    @Param('id', IdParamPipe) salespersonId: string,
    @Body() body: RecalculateCommissionsRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new RecalculateCommissionsMessage(
        {
          type: 'RecalculateCommissions',
          recalculationId: body.recalculationId,
          salespersonId,
          fromPeriod: body.fromPeriod ?? null,
          reason: body.reason,
          requestedBy: ctx.actor,
          at: new Date().toISOString(),
        },
        ctx,
        { salespersonId, ...body },
      ),
    );
  }
}
