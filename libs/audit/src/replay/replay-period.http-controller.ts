import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../platform/src/auth/roles';
import type { PeriodReplayReport } from './period-replay';
import { ReplayPeriodQuery } from './replay-period.query-handler';
import { ReplayPeriodRequestDto } from './replay-period.request.dto';
import { ReplayReportDto } from './replay.response.dto';

@ApiTags('audit')
@Controller('replays')
export class ReplayPeriodHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Post()
  @Roles('compliance') // and admin; it writes no live data
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replay a period from the event log and compare it with the live read models',
    description:
      'Rebuilds the projections from the whole log into an isolated schema (nothing live is written), brings ' +
      'each to the position its live twin stands at, compares the period’s rows, and answers the period digest. ' +
      'For a closed period the rebuilt statements are compared with those recorded in PeriodClosed. ' +
      'Takes as long as a rebuild (seconds for the demo data).',
  })
  @ApiOkResponse({ type: ReplayReportDto })
  replay(@Body() body: ReplayPeriodRequestDto): Promise<PeriodReplayReport> {
    return this.queries.execute(new ReplayPeriodQuery(body.period, body.projections));
  }
}
