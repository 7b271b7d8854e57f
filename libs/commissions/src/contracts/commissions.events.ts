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

export type CommissionsEvent = AdjustmentPosted | PayoutRecorded;

export const COMMISSIONS_SCHEMA_VERSIONS: Readonly<Record<CommissionsEvent['type'], number>> = {
  AdjustmentPosted: 1,
  PayoutRecorded: 1,
};

/** Adjustments and payouts of one salesperson. */
export const commissionStream = (salespersonId: string) => `commission-${salespersonId}`;

/** The stream of period closes (PeriodClosed events), shared by all salespeople. */
export const PERIODS_STREAM = 'periods-ledger';
