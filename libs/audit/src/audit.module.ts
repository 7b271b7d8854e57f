import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListExceptionsHttpController } from './exceptions/list-exceptions.http-controller';
import { ListExceptionsQueryHandler } from './exceptions/list-exceptions.query-handler';
import { GetLineageHttpController } from './lineage/get-lineage.http-controller';
import { GetLineageQueryHandler } from './lineage/get-lineage.query-handler';
import { SourceEventLocator } from './lineage/source-event.locator';
import { GetStreamEventsHttpController } from './stream-events/get-stream-events.http-controller';
import { GetStreamEventsQueryHandler } from './stream-events/get-stream-events.query-handler';
import { VerifyLogHttpController } from './verify-log/verify-log.http-controller';
import { VerifyLogQueryHandler } from './verify-log/verify-log.query-handler';
import { ReplayPeriodHttpController } from './replay/replay-period.http-controller';
import { ReplayPeriodQueryHandler } from './replay/replay-period.query-handler';
import { WhatIfHttpController } from './what-if/what-if.http-controller';
import { WhatIfQueryHandler } from './what-if/what-if.query-handler';

/**
 * Audit queries: the raw events of a stream, the lineage of a ledger entry (source event, plan,
 * assignment, formula recomputed), the exceptions list, and the verification of the event log's
 * hash chains (ADR 0006). Read-only; its one projector (`log-seals`) runs with the others.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    GetStreamEventsHttpController,
    GetLineageHttpController,
    ListExceptionsHttpController,
    VerifyLogHttpController,
    ReplayPeriodHttpController,
    WhatIfHttpController,
  ],
  providers: [
    GetStreamEventsQueryHandler,
    GetLineageQueryHandler,
    ListExceptionsQueryHandler,
    SourceEventLocator,
    VerifyLogQueryHandler,
    ReplayPeriodQueryHandler,
    WhatIfQueryHandler,
  ],
})
export class AuditModule {}
