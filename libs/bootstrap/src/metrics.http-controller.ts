import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../platform/src/auth/roles';
import { PROJECTION_ENGINE } from '../../platform/src/cqrs/tokens';
import type { ProjectionEngine } from '../../projections/src/projection-engine';

/** Prometheus text format: projection lag and progress. Public (a deployment may restrict it). */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsHttpController {
  constructor(@Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ schema: { type: 'string', example: 'projection_lag_events{projection="commission-ledger"} 0' } })
  async metrics(): Promise<string> {
    const reports = await this.engine.status();
    const lines = [
      '# HELP projection_lag_events Events recorded after the projection checkpoint.',
      '# TYPE projection_lag_events gauge',
      ...reports.map((r) => `projection_lag_events{projection="${r.name}"} ${r.lag ?? 'NaN'}`),
      '# HELP projection_events_applied_total Events applied since the last rebuild.',
      '# TYPE projection_events_applied_total counter',
      ...reports.map((r) => `projection_events_applied_total{projection="${r.name}"} ${r.eventsApplied}`),
      '# HELP projection_failed Whether the projection is failing (1) or healthy (0).',
      '# TYPE projection_failed gauge',
      ...reports.map((r) => `projection_failed{projection="${r.name}"} ${r.lastError ? 1 : 0}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
