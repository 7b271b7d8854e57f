import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import type { ProjectionEngine } from '../../../projections/src/projection-engine';
import { Public } from '../auth/roles';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE } from '../cqrs/tokens';
import type { HttpLifecycle } from './lifecycle';

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    return 'up';
  } catch {
    return 'down';
  }
}

/**
 * Liveness and readiness: 200 when the event store and the database answer, else 503. While the
 * process shuts down gracefully (SIGTERM) it answers 503 `status: draining`, `ready: false`,
 * `live: true`: take it out of the load balancer, do not restart it.
 */
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
  async health(@Req() request: Request, @Res() response: Response): Promise<void> {
    const lifecycle = (request.app.locals as { httpLifecycle?: HttpLifecycle }).httpLifecycle;
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
    const draining = lifecycle?.draining === true;
    const ready = !draining && database === 'up' && eventStore === 'up';
    response.status(ready ? 200 : 503).json({
      status: draining ? 'draining' : ready ? 'ready' : 'unavailable',
      live: true,
      ready,
      eventStore: { kind: this.store.kind, state: eventStore },
      database: { state: database },
      projections,
    });
  }
}
