import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../platform/src/auth/roles';
import type { WhatIfReport } from './what-if';
import { WhatIfQuery } from './what-if.query-handler';
import { WhatIfRequestDto } from './what-if.request.dto';
import { WhatIfReportDto } from './what-if.response.dto';

const figures = (earned: number, clawedBack: number) => ({ earned, clawedBack, commission: earned - clawedBack });

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
      'from the start. Assignments, sales credits and period closes stay as recorded. Answers earned and ' +
      'clawed-back commission per salesperson and posted period on both sides, and the difference. ' +
      '404 NOT_FOUND for a plan the log does not know. Takes as long as two rebuilds of the ledger.',
  })
  @ApiBody({
    type: WhatIfRequestDto,
    examples: {
      rate: {
        summary: 'Plan P1 at 12 % instead of 10 %',
        value: { period: '2026-01', planOverrides: [{ planId: 'P1', rateBps: 1200 }] },
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
    const planOverrides = body.planOverrides.map((o) => ({
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
    }));
    return this.queries.execute(new WhatIfQuery(periods, planOverrides));
  }
}
