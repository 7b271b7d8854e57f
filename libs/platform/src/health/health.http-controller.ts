import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import type { ProjectionEngine } from '../../../projections/src/projection-engine';
import { Public } from '../auth/roles';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE } from '../cqrs/tokens';

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    return 'up';
  } catch {
    return 'down';
  }
}

/** Liveness and readiness: 200 when the event store and the database answer, else 503. */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthHttpController {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
  ) {}

  @Get()
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ready',
        live: true,
        ready: true,
        eventStore: { kind: 'postgres', state: 'up' },
        database: { state: 'up' },
        projections: [{ name: 'commission-ledger', state: 'live', lag: 0, lastError: null }],
      },
    },
  })
  async health(@Res() response: Response): Promise<void> {
    const [database, eventStore] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      probe(() => this.store.headPosition()),
    ]);
    const projections =
      database === 'up'
        ? await this.engine.status().then(
            (reports) => reports.map((r) => ({ name: r.name, state: r.state, lag: r.lag, lastError: r.lastError })),
            () => [],
          )
        : [];
    const ready = database === 'up' && eventStore === 'up';
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      live: true,
      ready,
      eventStore: { kind: this.store.kind, state: eventStore },
      database: { state: database },
      projections,
    });
  }
}
