import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStreamHttpController } from './event-stream/event-stream.http-controller';
import { EventStreamService } from './event-stream/event-stream.service';
import { ReadFeedHttpController } from './read-feed/read-feed.http-controller';
import { ReadFeedQueryHandler } from './read-feed/read-feed.query-handler';

/** The event feed for downstream services: `GET /api/v1/events` and its SSE form `/events/stream`. */
@Module({
  imports: [CqrsModule],
  controllers: [ReadFeedHttpController, EventStreamHttpController],
  providers: [ReadFeedQueryHandler, EventStreamService],
})
export class FeedModule {}
