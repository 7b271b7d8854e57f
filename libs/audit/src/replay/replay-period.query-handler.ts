import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE } from '../../../platform/src/cqrs/tokens';
import { ProjectionBehindException, ValidationFailedException } from '../../../platform/src/http/problem';
import type { ProjectionEngine } from '../../../projections/src/projection-engine';
import { LiveProjectionBehindError, type PeriodReplayReport, ReplayInputError, replayPeriods } from './period-replay';

export class ReplayPeriodQuery {
  constructor(
    readonly period: string,
    readonly projections: readonly string[] | undefined,
  ) {}
}

/** Rebuilds into an isolated schema and compares with the live read models; writes nothing live. */
@QueryHandler(ReplayPeriodQuery)
export class ReplayPeriodQueryHandler implements IQueryHandler<ReplayPeriodQuery, PeriodReplayReport> {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
  ) {}

  async execute(query: ReplayPeriodQuery): Promise<PeriodReplayReport> {
    try {
      const [report] = await replayPeriods(
        { dataSource: this.dataSource, store: this.store, projectors: this.engine.projectors },
        { periods: [query.period], projections: query.projections },
      );
      if (!report) throw new Error('The replay answered nothing');
      return report;
    } catch (error) {
      if (error instanceof ReplayInputError) {
        throw new ValidationFailedException([{ field: error.field, message: error.message }]);
      }
      if (error instanceof LiveProjectionBehindError) throw new ProjectionBehindException(5, error.message);
      throw error;
    }
  }
}
