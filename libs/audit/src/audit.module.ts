import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListExceptionsHttpController } from './exceptions/list-exceptions.http-controller';
import { ListExceptionsQueryHandler } from './exceptions/list-exceptions.query-handler';
import { GetLineageHttpController } from './lineage/get-lineage.http-controller';
import { GetLineageQueryHandler } from './lineage/get-lineage.query-handler';
import { SourceEventLocator } from './lineage/source-event.locator';
import { GetStreamEventsHttpController } from './stream-events/get-stream-events.http-controller';
import { GetStreamEventsQueryHandler } from './stream-events/get-stream-events.query-handler';

/**
 * Audit queries: the raw events of a stream, the lineage of a ledger entry (source event, plan,
 * assignment, formula recomputed) and the exceptions list. Read-only; no projection of its own.
 */
@Module({
  imports: [CqrsModule],
  controllers: [GetStreamEventsHttpController, GetLineageHttpController, ListExceptionsHttpController],
  providers: [GetStreamEventsQueryHandler, GetLineageQueryHandler, ListExceptionsQueryHandler, SourceEventLocator],
})
export class AuditModule {}
