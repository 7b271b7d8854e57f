import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../../../platform/src/auth/roles';
import { decodePositionCursor, parseCategories, parseEventTypes, singleParam } from '../feed-cursor';
import { EventStreamService, HEARTBEAT_MS } from './event-stream.service';

const EXAMPLE =
  'retry: 2000\n: connected\n\n' +
  'id: YzE6MTA0My83\nevent: SaleBooked\n' +
  'data: {"eventId":"9b2f7d4e-1c3a-5e6f-8a9b-0c1d2e3f4a5b","type":"SaleBooked","schemaVersion":1,' +
  '"streamId":"order-O1","streamRevision":"0","globalPosition":"7","occurredAt":"2026-01-10T00:00:00.000Z",' +
  '"recordedAt":"2026-01-10T09:12:44.120Z","data":{"orderId":"O1","customerId":"C1"},' +
  '"metadata":{"actor":"ops-jane","commandId":"O1","commandType":"BookSale","correlationId":"4d0c…","causationId":"0e6b…"}}\n\n' +
  ': heartbeat\n\n';

@ApiTags('events')
@Controller('events')
export class EventStreamHttpController {
  constructor(private readonly streams: EventStreamService) {}

  @Get('stream')
  @Roles('service', 'compliance')
  @ApiOperation({
    summary: 'The global event feed as Server-Sent Events',
    description:
      'Catches up from `Last-Event-ID` (or `after`; the header wins, as browsers resend it on reconnect) and ' +
      'stays live. Each message: `id:` the event’s cursor (the same cursors as `GET /api/v1/events`), ' +
      '`event:` its type, `data:` the event as JSON. A `: heartbeat` comment comes every ' +
      `${HEARTBEAT_MS / 1000} s. Reconnect with the last id received and nothing is lost or repeated.`,
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The `id:` of the last event received' })
  @ApiQuery({ name: 'after', required: false, description: 'A cursor to start after (when no Last-Event-ID)' })
  @ApiQuery({ name: 'categories', required: false, example: 'order', description: 'Stream categories; default: all' })
  @ApiQuery({ name: 'types', required: false, example: 'SaleBooked,PaymentReceived' })
  @ApiOkResponse({
    description: 'text/event-stream, open until the client disconnects',
    content: { 'text/event-stream': { schema: { type: 'string' }, example: EXAMPLE } },
  })
  stream(
    @Req() req: Request,
    @Res() res: Response,
    @Query('after') after?: unknown,
    @Query('types') types?: unknown,
    @Query('categories') categories?: unknown,
  ): void {
    const lastEventId = req.header('last-event-id');
    const from =
      lastEventId !== undefined && lastEventId.trim() !== ''
        ? decodePositionCursor(lastEventId.trim(), 'Last-Event-ID')
        : decodePositionCursor(singleParam(after, 'after'), 'after');
    this.streams.serve(req, res, {
      from,
      eventTypes: parseEventTypes(types),
      categories: parseCategories(categories),
    });
  }
}
