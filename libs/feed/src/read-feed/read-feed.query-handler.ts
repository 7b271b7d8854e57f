import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { type LogPosition, START, type StoredEvent, streamCategory } from '../../../eventsourcing/src/event';
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
    /** Only events of streams of these categories; undefined: all. */
    readonly categories: readonly string[] | undefined = undefined,
  ) {}
}

/** With a category filter, at most this many reads of the store per page (a sparse category
 * answers fewer items, with a nextCursor past everything it scanned). */
const MAX_READS_PER_PAGE = 20;

/**
 * A page of the global log in its global order, straight from the event store (no projection:
 * always current). `nextCursor` is the position of the last event considered, which with a
 * filter may be past the last event returned: everything up to it has been considered, so
 * resuming from it skips nothing (the same gap-free order the projectors read).
 */
@QueryHandler(ReadFeedQuery)
export class ReadFeedQueryHandler implements IQueryHandler<ReadFeedQuery, FeedPageDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ after, limit, eventTypes, categories }: ReadFeedQuery): Promise<FeedPageDto> {
    const wanted = categories ? new Set(categories) : null;
    const items: StoredEvent[] = [];
    let cursor: LogPosition = after ?? START;
    let isEnd = false;
    for (let reads = 0; items.length < limit && reads < MAX_READS_PER_PAGE; reads++) {
      const page = await this.store.readAll({
        after: cursor,
        maxCount: limit - items.length,
        ...(eventTypes ? { eventTypes } : {}),
      });
      for (const event of page.events) {
        if (!wanted || wanted.has(streamCategory(event.streamId))) items.push(event);
      }
      cursor = page.lastPosition;
      isEnd = page.isEnd;
      if (isEnd || !wanted) break;
    }
    return {
      items: items.map(toEventDto),
      nextCursor: encodePositionCursor(cursor),
      isEnd,
    };
  }
}
