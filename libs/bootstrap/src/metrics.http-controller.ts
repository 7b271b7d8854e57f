import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../../eventsourcing/src/event-store.port';
import { parseLogPosition } from '../../eventsourcing/src/index';
import { Public } from '../../platform/src/auth/roles';
import { EVENT_STORE, PROJECTION_ENGINE } from '../../platform/src/cqrs/tokens';
import { registry } from '../../platform/src/metrics/app-metrics';
import { escapeLabelValue, formatValue } from '../../platform/src/metrics/registry';
import type { ProjectionEngine, ProjectionReport } from '../../projections/src/projection-engine';

/**
 * Prometheus text format 0.0.4: projection lag and progress (read from the checkpoints: the same
 * for every process), then this process's own counters and histograms (commands, HTTP requests,
 * webhook deliveries, projection batches). Public (a deployment may restrict it).
 */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsHttpController {
  constructor(
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOkResponse({ schema: { type: 'string', example: 'projection_lag_events{projection="commission-ledger"} 0' } })
  async metrics(): Promise<string> {
    const reports = await this.engine.status();
    const lagSeconds = await Promise.all(reports.map((r) => this.lagSeconds(r)));
    const label = (r: ProjectionReport) => `{projection="${escapeLabelValue(r.name)}"}`;
    const lines = [
      '# HELP projection_lag_events Events recorded after the projection checkpoint.',
      '# TYPE projection_lag_events gauge',
      ...reports.map((r) => `projection_lag_events${label(r)} ${r.lag ?? 'NaN'}`),
      '# HELP projection_lag_seconds Age of the oldest event the projection has not applied yet (0: caught up).',
      '# TYPE projection_lag_seconds gauge',
      ...reports.map((r, i) => `projection_lag_seconds${label(r)} ${formatValue(lagSeconds[i] ?? NaN)}`),
      '# HELP projection_events_applied_total Events applied since the last rebuild.',
      '# TYPE projection_events_applied_total counter',
      ...reports.map((r) => `projection_events_applied_total${label(r)} ${r.eventsApplied}`),
      '# HELP projection_failed Whether the projection is failing (1) or healthy (0).',
      '# TYPE projection_failed gauge',
      ...reports.map((r) => `projection_failed${label(r)} ${r.lastError ? 1 : 0}`),
    ];
    return `${lines.join('\n')}\n${registry.render()}`;
  }

  /** Now minus the record time of the first event after the checkpoint (one indexed read). */
  private async lagSeconds(report: ProjectionReport): Promise<number> {
    if (report.lag === 0) return 0;
    const after = parseLogPosition(report.checkpoint);
    if (!after) return NaN;
    try {
      const page = await this.store.readAll({ after, maxCount: 1 });
      const first = page.events[0];
      if (!first) return 0;
      return Math.max(0, (Date.now() - Date.parse(first.recordedAt)) / 1000);
    } catch {
      return NaN;
    }
  }
}
