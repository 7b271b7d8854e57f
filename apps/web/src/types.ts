/**
 * The answers of the read-model API this dashboard reads (api.md § Queries), as the server's
 * response DTOs describe them (/docs-json). Amounts are integer minor units.
 */

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export type DashboardGroupBy = 'salesperson' | 'team' | 'businessUnit';

export interface DashboardRow {
  readonly key: string;
  readonly currency: string;
  readonly target: number | null;
  readonly achieved: number;
  readonly attainmentBps: number | null;
  readonly collected: number;
  readonly outstanding: number;
  readonly overdue: number;
  readonly commissionEarned: number;
  readonly clawedBack: number;
  /** Primary sales to distributors, not in achieved (issue 10); absent from servers before it. */
  readonly sellIn?: number;
}

export interface Dashboard extends Page<DashboardRow> {
  readonly period: string;
  readonly groupBy: DashboardGroupBy;
  readonly receivablesAt: string;
}

export type AgingGroupBy = 'salesperson' | 'customer' | 'team';

export interface AgingRow {
  readonly key: string;
  readonly currency: string;
  readonly current: number;
  readonly d1_30: number;
  readonly d31_60: number;
  readonly d61_90: number;
  readonly d90plus: number;
  readonly total: number;
}

export interface Aging extends Page<AgingRow> {
  readonly asOf: string;
  readonly groupBy: AgingGroupBy;
}

export const ORDER_STATUSES = [
  'OVERDUE',
  'BOOKED',
  'INVOICED',
  'PARTIALLY_PAID',
  'PAID',
  'CANCELLED',
  'WRITTEN_OFF',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Milestone {
  readonly type: string;
  readonly at: string;
  readonly amount: number;
}

export interface TrackToCash {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  readonly booked: number;
  readonly cancelled: number;
  readonly returned: number;
  readonly net: number;
  readonly invoiced: number;
  readonly paidNet: number;
  readonly refunded: number;
  readonly writtenOff: number;
  readonly receivable: number;
  readonly dueDate: string;
  readonly daysOverdue: number;
  readonly daysToCash: number | null;
  readonly agingBucket: string;
  readonly milestones: Milestone[];
}

export interface LedgerExplanation {
  readonly trigger?: string | null;
  readonly baseAmount?: number | null;
  readonly splitBps?: number | null;
  readonly rateBps?: number | null;
  readonly percentBps?: number | null;
  readonly planId?: string | null;
  readonly assignmentId?: string | null;
  readonly formula?: string | null;
  readonly reason?: string | null;
  readonly [input: string]: unknown;
}

export type LedgerEntryType = 'EARNED' | 'CLAWBACK' | 'ADJUSTMENT' | 'PAYOUT';

export interface LedgerEntry {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly type: LedgerEntryType;
  readonly amount: number;
  readonly currency: string;
  readonly period: string;
  readonly originalPeriod: string | null;
  readonly orderId: string | null;
  readonly sourceEventId: string;
  readonly sourcePosition: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly explanation: LedgerExplanation;
  readonly repostedFrom: string | null;
  readonly repostedAt: string | null;
}

export interface Ledger {
  readonly salespersonId: string;
  readonly period: string;
  readonly currency: string | null;
  readonly opening: number;
  readonly earned: number;
  readonly clawedBack: number;
  readonly adjustments: number;
  readonly paidOut: number;
  readonly closing: number;
  /** Holdbacks (docs/plans-and-channels.md); absent from servers before them. */
  readonly held?: number;
  readonly released?: number;
  readonly heldBalance?: number;
  readonly payable?: number;
  readonly entries: LedgerEntry[];
}

export interface Clawback {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly orderId: string;
  readonly trigger: 'CANCELLATION' | 'RETURN' | 'WRITE_OFF';
  readonly amount: number;
  readonly originalCommission: number;
  readonly percentBps: number;
  readonly baseAmount: number;
  readonly currency: string;
  readonly occurredAt: string;
  readonly period: string;
}

export interface FeedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly streamId: string;
  readonly streamRevision: string | number;
  readonly globalPosition: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

export interface Lineage {
  readonly entry: LedgerEntry;
  readonly sourceEvent: FeedEvent | null;
  readonly plan: {
    readonly planId: string;
    readonly name: string;
    readonly currency: string;
    readonly basis: 'BOOKING' | 'COLLECTION';
    readonly rateBps: number;
    readonly clawback: { readonly windowDays: number; readonly percentBps: number };
  } | null;
  readonly assignment: {
    readonly assignmentId: string;
    readonly salespersonId: string;
    readonly planId: string;
    readonly effectiveFrom: string;
  } | null;
  readonly formula: {
    readonly expression: string;
    readonly inputs: Record<string, unknown>;
    readonly result: number;
    readonly recomputed: number | null;
    readonly capped: boolean;
    readonly matches: boolean;
  };
}

/** application/problem+json (RFC 9457), as every error of the API. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: { field: string; message: string }[];
}

export type CollectionKpiGroupBy = 'salesperson' | 'team' | 'customer';

/** GET /api/v1/dashboard/collection-kpis: amounts in minor units, ratios in bps, days as integers. */
export interface CollectionKpiFigures {
  readonly currency: string;
  readonly due: number;
  readonly collectedToDate: number;
  readonly collectedOnTime: number;
  readonly collectionRateBps: number | null;
  readonly onTimeRateBps: number | null;
  readonly outstanding: number;
  readonly sales: number;
  readonly dsoDays: number | null;
  readonly paid: number;
  readonly paidAmountDays: string;
  readonly averageDaysToPay: number | null;
}

export interface CollectionKpiRow extends CollectionKpiFigures {
  readonly key: string;
}

export interface CollectionKpis extends Page<CollectionKpiRow> {
  readonly period: string;
  readonly groupBy: CollectionKpiGroupBy;
  readonly asOf: string;
  readonly receivablesAt: string;
  readonly daysInPeriod: number;
  readonly totals: CollectionKpiFigures[];
}
