/**
 * Upcasters of the commissions events: how an older version of an event's data reads as the
 * current one (ADR 0001; README.md § Published event schemas). Pure and framework-free.
 */
import type { Upcaster } from '../../../eventsourcing/src/upcasting/upcaster';
import type { PeriodClosed, PeriodClosedV1Data } from './commissions.events';

/**
 * PeriodClosed v1 → v2: v2 always has `throughLogPosition` (string or null). v1 events recorded
 * before the field existed lack it and read as null, which the ledger treats as "no reposts";
 * a v1 event that has it keeps it.
 */
export const periodClosedV1ToV2: Upcaster = {
  type: 'PeriodClosed',
  fromVersion: 1,
  toVersion: 2,
  upcast(data: unknown): PeriodClosed['data'] {
    const v1 = data as PeriodClosedV1Data;
    return {
      period: v1.period,
      closedBy: v1.closedBy,
      throughPosition: v1.throughPosition,
      throughLogPosition: v1.throughLogPosition ?? null,
      statements: v1.statements,
    };
  },
};

export const COMMISSIONS_UPCASTERS: readonly Upcaster[] = [periodClosedV1ToV2];
