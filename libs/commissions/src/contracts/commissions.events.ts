/**
 * Public event contracts of commission administration: manual adjustments and payouts.
 * Explicit type strings; amounts in minor units.
 */
import type { DomainEvent } from '../../../eventsourcing/src/decider';
import type { Money } from '../../../shared-kernel/src/money';

/** A manual ledger correction, + or −, posted in the period it names. */
export type AdjustmentPosted = DomainEvent<
  'AdjustmentPosted',
  {
    readonly adjustmentId: string;
    readonly salespersonId: string;
    readonly period: string;
    /** Signed minor units. */
    readonly amount: Money;
    readonly reason: string;
    /** Who approved it: the authenticated actor who posted it. */
    readonly approvedBy: string;
  }
>;

/** Commission paid out; may exceed the balance (an advance recovered from later earnings). */
export type PayoutRecorded = DomainEvent<
  'PayoutRecorded',
  {
    readonly payoutId: string;
    readonly salespersonId: string;
    readonly amount: Money;
    readonly paidAt: string;
  }
>;

/** One salesperson's statement for a closed period. */
export interface PeriodStatement {
  readonly salespersonId: string;
  readonly currency: string | null;
  readonly opening: number;
  readonly earned: number;
  readonly clawedBack: number;
  readonly adjustments: number;
  readonly paidOut: number;
  readonly closing: number;
  readonly entryCount: number;
  /** SHA-256 of the canonical JSON of the period's entries (see docs/domain-decisions.md). */
  readonly digest: string;
}

/**
 * A period is closed: its statements never change; later facts post to the first open period.
 * Schema version 2 (schemas/PeriodClosed.v2.schema.json); version 1 events are upcast on read
 * (commissions.upcasters.ts), so readers only see this shape.
 */
export type PeriodClosed = DomainEvent<
  'PeriodClosed',
  {
    readonly period: string;
    readonly closedBy: string;
    /** The ledger's checkpoint (global position) the statements were computed at, for display. */
    readonly throughPosition: string | null;
    /**
     * The same checkpoint as a log position (`major/minor`, see LogPosition), read in the same
     * snapshot as the statements: they reflect exactly the events at or before it. The ledger
     * reposts to the next period every entry of this period (or earlier) whose source event comes
     * after it. Null on version 1 events recorded before it existed (those repost nothing).
     */
    readonly throughLogPosition: string | null;
    readonly statements: readonly PeriodStatement[];
  }
>;

/** The data of PeriodClosed version 1, as stored: `throughLogPosition` may be absent. */
export type PeriodClosedV1Data = Omit<PeriodClosed['data'], 'throughLogPosition'> & {
  readonly throughLogPosition?: string | null;
};

/**
 * An explicit request to recalculate a salesperson's open periods under the plan assignments
 * recorded now (domain.md §2: never a side effect). The ledger posts, per order credit booked in
 * an open period (from `fromPeriod` if given) whose applicable plan changed, the difference as an
 * ADJUSTMENT with this event as its source (docs/plans-and-channels.md § Retroactive recalculation).
 */
export type CommissionsRecalculated = DomainEvent<
  'CommissionsRecalculated',
  {
    readonly recalculationId: string;
    readonly salespersonId: string;
    readonly fromPeriod: string | null;
    readonly reason: string;
    /** The authenticated actor who asked for it. */
    readonly requestedBy: string;
  }
>;

export type CommissionsEvent = AdjustmentPosted | PayoutRecorded | PeriodClosed | CommissionsRecalculated;

/** Current schema version of every event type (older versions are upcast on read). */
export const COMMISSIONS_SCHEMA_VERSIONS: Readonly<Record<CommissionsEvent['type'], number>> = {
  AdjustmentPosted: 1,
  PayoutRecorded: 1,
  PeriodClosed: 2,
  CommissionsRecalculated: 1,
};

/** Adjustments and payouts of one salesperson. */
export const commissionStream = (salespersonId: string) => `commission-${salespersonId}`;

/** The stream of period closes (PeriodClosed events), shared by all salespeople. */
export const PERIODS_STREAM = 'periods-ledger';
