import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NotFoundError } from '../../eventsourcing/src/decider';
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

  /** Rebuild from zero: empties the projection's tables and replays the whole log into them. */
  @Post(':name/rebuild')
  @Roles() // admin only
  @HttpCode(202)
  @ApiAcceptedResponse({ schema: { example: { name: 'commission-ledger', status: 'rebuilding' } } })
  async rebuild(@Param('name') name: string): Promise<{ name: string; status: string }> {
    if (!this.engine.projector(name)) throw new NotFoundError('Projection', name);
    await this.engine.rebuild(name);
    return { name, status: 'rebuilding' };
  }
}
