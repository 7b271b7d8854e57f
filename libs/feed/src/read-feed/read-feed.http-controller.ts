import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../../platform/src/auth/roles';
import { parsePage } from '../../../platform/src/http/pagination';
import { FeedPageDto } from '../event.response.dto';
import { decodePositionCursor, parseCategories, parseEventTypes, singleParam } from '../feed-cursor';
import { ReadFeedQuery } from './read-feed.query-handler';

@ApiTags('events')
@Controller('events')
export class ReadFeedHttpController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Roles('service', 'compliance')
  @ApiOperation({
    summary: 'The global event feed, oldest first',
    description:
      'Every event in the store’s global order, with its metadata. Page with `after=<nextCursor>`: ' +
      '`nextCursor` is always present (also on the last page), so a client keeps it and polls from it. ' +
      'The cursor of an SSE event (`id:`) is accepted too.',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    description: 'A nextCursor (or an SSE event id): read strictly after it',
  })
  @ApiQuery({
    name: 'types',
    required: false,
    example: 'SaleBooked,PaymentReceived',
    description: 'Comma-separated event types; default: all',
  })
  @ApiQuery({
    name: 'categories',
    required: false,
    example: 'order,commission',
    description: 'Comma-separated stream categories (the part of the stream id before its first `-`); default: all',
  })
  @ApiQuery({ name: 'limit', required: false, example: 100, description: '1-1000, default 100' })
  @ApiOkResponse({ type: FeedPageDto })
  read(
    @Query('after') after?: unknown,
    @Query('types') types?: unknown,
    @Query('limit') limit?: unknown,
    @Query('categories') categories?: unknown,
  ): Promise<FeedPageDto> {
    const { limit: maxCount } = parsePage(singleParam(limit, 'limit'), undefined);
    return this.queries.execute(
      new ReadFeedQuery(
        decodePositionCursor(singleParam(after, 'after'), 'after'),
        maxCount,
        parseEventTypes(types),
        parseCategories(categories),
      ),
    );
  }
}
