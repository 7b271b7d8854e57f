import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE } from '../../../platform/src/cqrs/tokens';
import type { ProjectionEngine } from '../../../projections/src/projection-engine';
import { type PlanOverride, whatIf, type WhatIfReport } from './what-if';

export class WhatIfQuery {
  constructor(
    readonly periods: readonly string[],
    readonly planOverrides: readonly PlanOverride[],
  ) {}
}

/** Replays the log twice into isolated schemas (as recorded, and with draft plans); writes nothing live. */
@QueryHandler(WhatIfQuery)
export class WhatIfQueryHandler implements IQueryHandler<WhatIfQuery, WhatIfReport> {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
  ) {}

  execute(query: WhatIfQuery): Promise<WhatIfReport> {
    return whatIf(
      { dataSource: this.dataSource, store: this.store, projectors: this.engine.projectors },
      { periods: query.periods, planOverrides: query.planOverrides },
    );
  }
}
