export { FeedModule } from './feed.module';
export { EventDto, EventMetadataDto, toEventDto } from './event.response.dto';
export { decodePositionCursor, encodePositionCursor, parseEventTypes } from './feed-cursor';
