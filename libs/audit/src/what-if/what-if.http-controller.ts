import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../platform/src/auth/roles';
import type { PlanOverride, WhatIfReport } from './what-if';
import { WhatIfQuery } from './what-if.query-handler';
import { WhatIfRequestDto } from './what-if.request.dto';
import { WhatIfReportDto } from './what-if.response.dto';

const figures = (earned: number, clawedBack: number, held = 0, released = 0) => ({
  earned,
  clawedBack,
  commission: earned - clawedBack,
  held,
  released,
});

@ApiTags('audit')
@Controller('what-if')
export class WhatIfHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Post()
  @Roles('compliance') // and admin; it writes no live data
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replay the real history with draft plan terms and answer the difference per salesperson',
    description:
      'Builds the commission ledger twice from the same log, read to the same position, in isolated schemas ' +
      '(nothing live is written): once as recorded, once as if the overridden plans had had the draft terms ' +
      'from the start. Assignments, sales credits, quotas and period closes stay as recorded. Answers earned, ' +
      'clawed-back, held and released commission per salesperson and posted period on both sides, and the difference. ' +
      'A draft may set or change any term of plan creation: basis, rateBps, clawback, and the optional tiers, ' +
      'overrideRateBps, holdbackBps, primaryDistributorSalesEarn and secondaryRateBps (docs/plans-and-channels.md), ' +
      'checked by the same rules (400 VALIDATION_FAILED naming the field, e.g. planOverrides.0.tiers). ' +
      'A term not given keeps its recorded value; null on one of the five optional terms removes it ' +
      '(tiers: null is a flat plan at rateBps; overrideRateBps, holdbackBps, secondaryRateBps: null are none; ' +
      'primaryDistributorSalesEarn: null is false); null on basis, rateBps or clawback is as if not given. ' +
      "Draft tiers must start at {0, rateBps}, the draft's rateBps if given, else the recorded plan's: a " +
      'mismatch with the recorded plan, or a draft rateBps on a plan recorded with tiers and no draft tiers, ' +
      'is 422 INVALID_TIERS naming the field (problem members `planId`, `field`). Quotas stay as recorded, ' +
      'so tiers use the recorded attainment. ' +
      '404 NOT_FOUND for a plan the log does not know. Takes as long as two rebuilds of the ledger.',
  })
  @ApiBody({
    type: WhatIfRequestDto,
    examples: {
      rate: {
        summary: 'Plan P1 at 12 % instead of 10 %',
        value: { period: '2026-01', planOverrides: [{ planId: 'P1', rateBps: 1200 }] },
      },
      accelerator: {
        summary: 'Plan P1 with an accelerator: 20 % above 100 % of quota, over Q1',
        value: {
          periods: ['2026-01', '2026-02', '2026-03'],
          planOverrides: [
            {
              planId: 'P1',
              tiers: [
                { fromAttainmentBps: 0, rateBps: 1000 },
                { fromAttainmentBps: 10000, rateBps: 2000 },
              ],
            },
          ],
        },
      },
      acceleratorAtNewRate: {
        summary: 'Plan P1 at 8 % up to quota and 15 % above it (tiers start at the draft rateBps)',
        value: {
          period: '2026-03',
          planOverrides: [
            {
              planId: 'P1',
              rateBps: 800,
              tiers: [
                { fromAttainmentBps: 0, rateBps: 800 },
                { fromAttainmentBps: 10000, rateBps: 1500 },
              ],
            },
          ],
        },
      },
      managerOverride: {
        summary: "Managers on plan PM with a 2 % override on their reports' credits and a 20 % holdback",
        value: { period: '2026-01', planOverrides: [{ planId: 'PM', overrideRateBps: 200, holdbackBps: 2000 }] },
      },
      flat: {
        summary: 'Plan PT without its tiers (flat at its rateBps) and without a secondary rate',
        value: { period: '2026-01', planOverrides: [{ planId: 'PT', tiers: null, secondaryRateBps: null }] },
      },
      basisAndClawback: {
        summary: 'Plan P1 on collection, with a 60-day half clawback, over a quarter',
        value: {
          periods: ['2026-01', '2026-02', '2026-03'],
          planOverrides: [{ planId: 'P1', basis: 'COLLECTION', clawback: { windowDays: 60, percentBps: 5000 } }],
        },
      },
    },
  })
  @ApiOkResponse({
    type: WhatIfReportDto,
    schema: {
      example: {
        periods: ['2026-01'],
        planOverrides: [{ planId: 'P1', rateBps: 1200 }],
        eventsRead: 9,
        throughPosition: '9',
        items: [
          {
            salespersonId: 'alice',
            period: '2026-01',
            currency: 'USD',
            actual: figures(600000, 60000),
            whatIf: figures(720000, 72000),
            difference: figures(120000, 12000),
          },
          {
            salespersonId: 'bob',
            period: '2026-01',
            currency: 'USD',
            actual: figures(400000, 40000),
            whatIf: figures(480000, 48000),
            difference: figures(80000, 8000),
          },
        ],
        totals: [
          {
            period: '2026-01',
            currency: 'USD',
            actual: figures(1000000, 100000),
            whatIf: figures(1200000, 120000),
            difference: figures(200000, 20000),
          },
        ],
      },
    },
  })
  whatIf(@Body() body: WhatIfRequestDto): Promise<WhatIfReport> {
    const periods = body.periods ?? (body.period !== undefined ? [body.period] : []);
    const planOverrides = body.planOverrides.map((o): PlanOverride => ({
      planId: o.planId,
      ...(o.basis != null ? { basis: o.basis } : {}),
      ...(o.rateBps != null ? { rateBps: o.rateBps } : {}),
      ...(o.clawback != null
        ? {
            clawback: {
              ...(o.clawback.windowDays != null ? { windowDays: o.clawback.windowDays } : {}),
              ...(o.clawback.percentBps != null ? { percentBps: o.clawback.percentBps } : {}),
            },
          }
        : {}),
      // The optional terms: null removes the term, so it is kept as null.
      ...(o.tiers !== undefined
        ? { tiers: o.tiers && o.tiers.map((t) => ({ fromAttainmentBps: t.fromAttainmentBps, rateBps: t.rateBps })) }
        : {}),
      ...(o.overrideRateBps !== undefined ? { overrideRateBps: o.overrideRateBps } : {}),
      ...(o.holdbackBps !== undefined ? { holdbackBps: o.holdbackBps } : {}),
      ...(o.primaryDistributorSalesEarn !== undefined
        ? { primaryDistributorSalesEarn: o.primaryDistributorSalesEarn }
        : {}),
      ...(o.secondaryRateBps !== undefined ? { secondaryRateBps: o.secondaryRateBps } : {}),
    }));
    return this.queries.execute(new WhatIfQuery(periods, planOverrides));
  }
}
