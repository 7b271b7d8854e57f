import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStreamHttpController } from './event-stream/event-stream.http-controller';
import { EventStreamService } from './event-stream/event-stream.service';
import { EventSchemasHttpController } from './event-schemas/event-schemas.http-controller';
import { ReadFeedHttpController } from './read-feed/read-feed.http-controller';
import { ReadFeedQueryHandler } from './read-feed/read-feed.query-handler';

/**
 * The event feed for downstream services: `GET /api/v1/events`, its SSE form `/events/stream`, and the
 * published schemas of the events, `GET /api/v1/event-schemas`.
 */
@Module({
  imports: [CqrsModule],
  controllers: [ReadFeedHttpController, EventStreamHttpController, EventSchemasHttpController],
  providers: [ReadFeedQueryHandler, EventStreamService],
})
export class FeedModule {}
