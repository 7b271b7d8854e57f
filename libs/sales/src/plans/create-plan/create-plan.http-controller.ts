import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../../platform/src/auth/roles';
import { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { Ctx, type RequestContext } from '../../../../platform/src/http/request-context';
import { CreatePlanMessage } from './create-plan.handler';
import { CreatePlanRequestDto } from './create-plan.request.dto';

@ApiTags('plans')
@Controller('plans')
export class CreatePlanHttpController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('sales-ops')
  @HttpCode(201)
  @ApiBody({
    type: CreatePlanRequestDto,
    examples: {
      booking: {
        value: {
          planId: 'P1',
          name: 'Booking 10 %',
          currency: 'USD',
          basis: 'BOOKING',
          rateBps: 1000,
          clawback: { windowDays: 90, percentBps: 10000 },
        },
      },
      tiered: {
        summary: 'Accelerators, a manager override, a holdback and channel terms',
        value: {
          planId: 'P3',
          name: 'Tiered 10/15/20 %',
          currency: 'USD',
          basis: 'BOOKING',
          rateBps: 1000,
          clawback: { windowDays: 90, percentBps: 10000 },
          tiers: [
            { fromAttainmentBps: 0, rateBps: 1000 },
            { fromAttainmentBps: 10000, rateBps: 1500 },
            { fromAttainmentBps: 15000, rateBps: 2000 },
          ],
          overrideRateBps: 200,
          holdbackBps: 2000,
          primaryDistributorSalesEarn: false,
          secondaryRateBps: 800,
        },
      },
    },
  })
  @ApiCreatedResponse({ type: CommandAcceptedDto })
  create(@Body() body: CreatePlanRequestDto, @Ctx() ctx: RequestContext): Promise<CommandAcceptedDto> {
    return this.commands.execute(
      new CreatePlanMessage(
        {
          type: 'CreatePlan',
          planId: body.planId,
          name: body.name,
          currency: body.currency,
          basis: body.basis,
          rateBps: body.rateBps,
          clawback: { windowDays: body.clawback.windowDays, percentBps: body.clawback.percentBps },
          // The optional terms: absent (or null) is not given, and is not recorded.
          ...(body.tiers != null
            ? { tiers: body.tiers.map((t) => ({ fromAttainmentBps: t.fromAttainmentBps, rateBps: t.rateBps })) }
            : {}),
          ...(body.overrideRateBps != null ? { overrideRateBps: body.overrideRateBps } : {}),
          ...(body.holdbackBps != null ? { holdbackBps: body.holdbackBps } : {}),
          ...(body.primaryDistributorSalesEarn != null
            ? { primaryDistributorSalesEarn: body.primaryDistributorSalesEarn }
            : {}),
          ...(body.secondaryRateBps != null ? { secondaryRateBps: body.secondaryRateBps } : {}),
          at: new Date().toISOString(),
        },
        ctx,
        body,
      ),
    );
  }
}
