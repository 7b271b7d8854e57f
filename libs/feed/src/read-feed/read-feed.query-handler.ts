import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { LogPosition } from '../../../eventsourcing/src/event';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../platform/src/cqrs/tokens';
import { type FeedPageDto, toEventDto } from '../event.response.dto';
import { encodePositionCursor } from '../feed-cursor';

export class ReadFeedQuery {
  constructor(
    /** Strictly after this position; undefined: from the start of the log. */
    readonly after: LogPosition | undefined,
    readonly limit: number,
    /** Only these event types; undefined: all. */
    readonly eventTypes: readonly string[] | undefined,
  ) {}
}

/**
 * A page of the global log in its global order, straight from the event store (no projection:
 * always current). `nextCursor` is the store's `lastPosition`, which with a `types` filter may be
 * past the last event returned: everything up to it has been considered.
 */
@QueryHandler(ReadFeedQuery)
export class ReadFeedQueryHandler implements IQueryHandler<ReadFeedQuery, FeedPageDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit, eventTypes }: ReadFeedQuery): Promise<FeedPageDto> {
    const result = await this.store.readAll({
      ...(after ? { after } : {}),
      maxCount: limit,
      ...(eventTypes ? { eventTypes } : {}),
    });
    return {
      items: result.events.map(toEventDto),
      nextCursor: encodePositionCursor(result.lastPosition),
      isEnd: result.isEnd,
    };
  }
}
