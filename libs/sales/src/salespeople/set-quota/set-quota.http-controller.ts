import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { ValidationFailedException } from '../../../../platform/src/http/problem';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { SetQuotaMessage } from './set-quota.handler';
import { SetQuotaRequestDto } from './set-quota.request.dto';

@ApiTags('salespeople')
@Controller('salespeople/:id/quotas/:year')
export class SetQuotaHttpController {
  constructor(private readonly commands: CommandBus) {}

  /**
   * Sets (or replaces) the salesperson's quota for the year, or for one business unit of it;
   * answers 201 like every command.
   */
  @Put()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiParam({ name: 'year', example: 2026 })
  @ApiBody({
    type: SetQuotaRequestDto,
    examples: {
      seasonal: {
        value: {
          quotaId: 'Q-alice-2026',
          annualTarget: { amount: 120000000, currency: 'USD' },
          monthlyWeightsBps: [600, 700, 900, 800, 800, 900, 600, 600, 900, 1000, 1000, 1200],
        },
      },
      businessUnit: {
        summary: "One business unit's quota",
        value: {
          quotaId: 'Q-alice-2026-enterprise',
          annualTarget: { amount: 60000000, currency: 'USD' },
          monthlyWeightsBps: [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833],
          businessUnit: 'enterprise',
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  set(
    @Param('id', IdParamPipe) salespersonId: string,
    @Param('year') yearText: string,
    @Body() body: SetQuotaRequestDto,
    @Ctx() ctx: RequestContext,
  ): Promise<CommandAcceptedDto> {
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 2000 && year <= 2100)) {
      throw new ValidationFailedException([{ field: 'year', message: 'year must be a year from 2000 to 2100' }]);
    }
    return this.commands.execute(
      new SetQuotaMessage(
        {
          type: 'SetQuota',
          quotaId: body.quotaId,
          salespersonId,
          year,
          annualTarget: { amount: body.annualTarget.amount, currency: body.annualTarget.currency },
          monthlyWeightsBps: body.monthlyWeightsBps,
          businessUnit: body.businessUnit ?? null,
        },
        ctx,
        { salespersonId, year, ...body },
      ),
    );
  }
}
