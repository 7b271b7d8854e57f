import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, NotFoundError } from '../../eventsourcing/src/decider';
import { Roles } from '../../platform/src/auth/roles';
import { PROJECTION_ENGINE } from '../../platform/src/cqrs/tokens';
import type { ProjectionEngine, ProjectionReport } from './projection-engine';

@ApiTags('operations')
@Controller('projections')
export class ProjectionsHttpController {
  constructor(@Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine) {}

  @Get()
  @Roles('compliance', 'service')
  @ApiOkResponse({
    schema: {
      example: {
        items: [
          {
            name: 'commission-ledger',
            state: 'live',
            owner: true,
            checkpoint: '1043/57',
            position: '57',
            headPosition: '57',
            lag: 0,
            eventsApplied: 57,
            lastError: null,
            updatedAt: '2026-01-10T09:12:44.120Z',
          },
        ],
      },
    },
  })
  async list(): Promise<{ items: ProjectionReport[] }> {
    return { items: await this.engine.status() };
  }

  /**
   * Rebuild without downtime: new tables are built from the whole log beside the live ones while
   * queries keep answering from the live tables, then swapped in atomically. Answers at once;
   * GET /api/v1/projections shows the rebuild's progress (`rebuild`).
   */
  @Post(':name/rebuild')
  @Roles() // admin only
  @HttpCode(202)
  @ApiAcceptedResponse({ schema: { example: { name: 'commission-ledger', status: 'rebuilding' } } })
  async rebuild(@Param('name') name: string): Promise<{ name: string; status: string }> {
    const projector = this.engine.projector(name);
    if (!projector) throw new NotFoundError('Projection', name);
    if (projector.rebuildable === false) {
      throw new DomainError('NOT_REBUILDABLE', `${name} is never rebuilt: its rows are evidence`);
    }
    const started = await this.engine.startRebuild(name);
    if (!started) throw new DomainError('REBUILD_IN_PROGRESS', `A rebuild of ${name} is already running`, 'conflict');
    return { name, status: 'rebuilding' };
  }
}
