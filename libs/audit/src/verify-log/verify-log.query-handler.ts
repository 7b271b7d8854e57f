import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../eventsourcing/src/event-store.port';
import { DATA_SOURCE, EVENT_STORE } from '../../../platform/src/cqrs/tokens';
import { createLogVerifier } from './log-sources';
import type { VerifyLogResult } from './log-verifier';

export class VerifyLogQuery {
  constructor(
    /** An anchor noted earlier: that seal must still have that hash. */
    readonly expectSeal: { readonly sealNo: number; readonly hash: string } | null = null,
  ) {}
}

/** Recomputes the hash chains of the whole event log (ADR 0006). */
@QueryHandler(VerifyLogQuery)
export class VerifyLogQueryHandler implements IQueryHandler<VerifyLogQuery, VerifyLogResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
  ) {}

  execute({ expectSeal }: VerifyLogQuery): Promise<VerifyLogResult> {
    return createLogVerifier(this.store, this.db).verify(expectSeal ? { expectSeal } : {});
  }
}
