import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EventDto } from '../../../feed/src/event.response.dto';
import { Roles } from '../../../platform/src/auth/roles';
import { type Page, parsePage } from '../../../platform/src/http/pagination';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { GetStreamEventsQuery } from './get-stream-events.query-handler';

/** Stream ids: `<category>-<id>` such as `order-O1` or `quota-alice.2026`. */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,200}$/;

export class StreamEventPageDto {
  @ApiProperty({ type: [EventDto] }) items!: EventDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'null on the last page' })
  nextCursor!: string | null;
}

@ApiTags('audit')
@Controller('streams/:streamId/events')
export class GetStreamEventsHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('compliance')
  @ApiOperation({
    summary: 'The raw events of one stream, oldest first, with their metadata',
    description: 'Read from the event store itself (no projection). Paginated by stream revision.',
  })
  @ApiParam({ name: 'streamId', example: 'order-O1' })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1-1000, default 100' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  @ApiOkResponse({ type: StreamEventPageDto })
  list(
    @Param('streamId') streamId: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<EventDto>> {
    if (typeof streamId !== 'string' || !STREAM_ID_PATTERN.test(streamId)) {
      throw new ValidationFailedException([
        {
          field: 'streamId',
          message: 'streamId must be 1-201 characters of letters, digits, _ . : - and start with a letter or digit',
        },
      ]);
    }
    const page = parsePage(limit, cursor);
    if (page.after !== null && !/^\d{1,18}$/.test(page.after)) {
      throw new ValidationFailedException([
        { field: 'cursor', message: 'cursor must be a nextCursor from a previous page' },
      ]);
    }
    return this.queries.execute(new GetStreamEventsQuery(streamId, page));
  }
}
