import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { normaliseInstant } from '../../../../shared-kernel/src/time';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { ReportSecondarySaleMessage } from './report-secondary-sale.handler';
import { ReportSecondarySaleRequestDto } from './report-secondary-sale.request.dto';

@ApiTags('distributors')
@Controller('distributors/:id/secondary-sales')
export class ReportSecondarySaleHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Records a secondary sale (sell-through) reported by a distributor',
    description:
      "SecondarySaleReported on stream secondary-sale-<saleId>, crediting the distributor's sales credits on " +
      'soldAt. 404 NOT_FOUND: no such distributor; 422 NOT_A_DISTRIBUTOR: a customer that is not a distributor; ' +
      "422 CURRENCY_MISMATCH: a credited salesperson's plan pays in another currency.",
  })
  @ApiParam({ name: 'id', example: 'D1', description: 'The distributor' })
  @ApiBody({
    type: ReportSecondarySaleRequestDto,
    examples: {
      ss1: {
        value: {
          saleId: 'SS1',
          amount: { amount: 2500000, currency: 'USD' },
          soldAt: '2026-02-14T00:00:00Z',
          endCustomer: 'Contoso Retail',
          businessUnit: 'enterprise',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  report(
    @Param('id', IdParamPipe) distributorId: string,
    @Body() body: ReportSecondarySaleRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new ReportSecondarySaleMessage(
        {
          type: 'ReportSecondarySale',
          saleId: body.saleId,
          distributorId,
          amount: { amount: body.amount.amount, currency: body.amount.currency },
          soldAt: normaliseInstant(body.soldAt),
          endCustomer: body.endCustomer ?? null,
          businessUnit: body.businessUnit ?? null,
        },
        ctx,
        { distributorId, ...body },
      ),
    );
  }
}
