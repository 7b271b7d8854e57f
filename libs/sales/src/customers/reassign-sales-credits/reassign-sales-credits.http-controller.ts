import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { ReassignSalesCreditsMessage } from './reassign-sales-credits.handler';
import { ReassignSalesCreditsRequestDto } from './reassign-sales-credits.request.dto';

@ApiTags('customers')
@Controller('customers/:id/sales-credits')
export class ReassignSalesCreditsHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: ReassignSalesCreditsRequestDto,
    examples: {
      handover: {
        value: {
          reassignmentId: 'RA-C1-2026-03',
          effectiveFrom: '2026-03-01',
          salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }],
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  reassign(
    @Param('id', IdParamPipe) customerId: string,
    @Body() body: ReassignSalesCreditsRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new ReassignSalesCreditsMessage(
        {
          type: 'ReassignSalesCredits',
          customerId,
          reassignmentId: body.reassignmentId,
          effectiveFrom: body.effectiveFrom,
          salesCredits: body.salesCredits.map((c) => ({ salespersonId: c.salespersonId, splitBps: c.splitBps })),
        },
        ctx,
        { customerId, ...body },
      ),
    );
  }
}
