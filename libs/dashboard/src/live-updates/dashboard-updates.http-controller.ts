import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../../platform/src/auth/roles';
import { DashboardUpdatesService, UPDATES_HEARTBEAT_MS } from './dashboard-updates.service';

@ApiTags('dashboard')
@Controller('dashboard/updates')
export class DashboardUpdatesHttpController {
  constructor(private readonly updates: DashboardUpdatesService) {}

  @Get()
  @Roles('manager', 'rep', 'compliance', 'finance', 'sales-ops', 'service')
  @ApiOperation({
    summary: 'Server-Sent Events telling a dashboard that something changed',
    description:
      'Each `event: position` frame carries the newest global position recorded (`data: {"position": "…"}`), ' +
      'never an event’s content; frames are coalesced (at most 10 per second). Refetch the read models you show ' +
      'with `X-Consistent-Position: <position>` to see the change once the projections have applied it. ' +
      `A \`: heartbeat\` comment comes every ${UPDATES_HEARTBEAT_MS / 1000} s. Every signed-in role may open it.`,
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'text/event-stream, open until the client disconnects',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example: 'retry: 1000\n: connected\n\nid: 1043\nevent: position\ndata: {"position":"1043"}\n\n',
      },
    },
  })
  async stream(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.updates.serve(req, res);
  }
}
