import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { type EventDto, toEventDto } from '../../../feed/src/event.response.dto';
import { EVENT_STORE } from '../../../platform/src/cqrs/tokens';
import { type Page, type PageRequest, toPage } from '../../../platform/src/http/pagination';

export class GetStreamEventsQuery {
  constructor(
    readonly streamId: string,
    /** `after`: the stream revision the previous page ended with. */
    readonly page: PageRequest,
  ) {}
}

/** The raw events of one stream, oldest first, paginated by stream revision. Unknown stream: 404. */
@QueryHandler(GetStreamEventsQuery)
export class GetStreamEventsQueryHandler implements IQueryHandler<GetStreamEventsQuery, Page<EventDto>> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ streamId, page }: GetStreamEventsQuery): Promise<Page<EventDto>> {
    const fromRevision = page.after === null ? 0n : BigInt(page.after) + 1n;
    const events = await this.store.readStream(streamId, { fromRevision, maxCount: page.limit + 1 });
    if (events.length === 0) {
      // Past the end of a known stream is an empty page; a stream with no event does not exist.
      const exists = page.after !== null && (await this.store.readStream(streamId, { maxCount: 1 })).length > 0;
      if (!exists) throw new NotFoundError('Stream', streamId);
    }
    return toPage(events, page, (e) => e.streamRevision.toString(), toEventDto);
  }
}
