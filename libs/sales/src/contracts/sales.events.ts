/**
 * Public event contracts of sales operations. Each `type` is an explicit string and part of the
 * published contract; a change of shape is a new `schemaVersion` with an upcaster, never a
 * silent edit. Amounts are integer minor units.
 */
import type { DomainEvent } from '../../../eventsourcing/src/decider';
import type { Money } from '../../../shared-kernel/src/money';
import { COLLECTION_EVENT_TYPES, COLLECTION_SCHEMA_VERSIONS, type CollectionEvent } from './collections.events';

export type Basis = 'BOOKING' | 'COLLECTION';

export interface SalesCredit {
  readonly salespersonId: string;
  readonly splitBps: number;
}

/** One band of a tiered plan: from this attainment on, the marginal rate is `rateBps`. */
export interface PlanTier {
  readonly fromAttainmentBps: number;
  readonly rateBps: number;
}

/**
 * A commission plan. The fields after `clawback` are optional additions (issue 10, same schema
 * version): absent on plans created before them and on plans that do not use them, and then read
 * as flat rate, no override, no holdback, primary sales to distributors earn nothing and secondary
 * sales earn `rateBps` (docs/plans-and-channels.md).
 */
export type PlanCreated = DomainEvent<
  'PlanCreated',
  {
    readonly planId: string;
    readonly name: string;
    readonly currency: string;
    readonly basis: Basis;
    readonly rateBps: number;
    readonly clawback: { readonly windowDays: number; readonly percentBps: number };
    /** Marginal tiers by attainment; the first starts at 0 with `rateBps`. */
    readonly tiers?: readonly PlanTier[];
    /** A manager on this plan earns this rate on what their direct reports are credited and earn on. */
    readonly overrideRateBps?: number;
    /** Share of every earned commission held back until its sale's clawback window has passed. */
    readonly holdbackBps?: number;
    /** Whether primary sales to distributors (sell-in) earn commission; default false. */
    readonly primaryDistributorSalesEarn?: boolean;
    /** The flat rate of secondary sales (sell-through); default: as primary sales. */
    readonly secondaryRateBps?: number;
  }
>;

export type SalespersonRegistered = DomainEvent<
  'SalespersonRegistered',
  {
    readonly salespersonId: string;
    readonly name: string;
    readonly managerId: string | null;
    readonly teamId: string | null;
    readonly hiredOn: string;
  }
>;

export type PlanAssigned = DomainEvent<
  'PlanAssigned',
  {
    readonly assignmentId: string;
    readonly salespersonId: string;
    readonly planId: string;
    readonly effectiveFrom: string;
  }
>;

export type CustomerRegistered = DomainEvent<
  'CustomerRegistered',
  {
    readonly customerId: string;
    readonly name: string;
    readonly paymentTermsDays: number;
    readonly creditLimit: Money | null;
    readonly salesCredits: readonly SalesCredit[];
    /** Present (true) when the customer is a distributor: its orders are primary (sell-in) sales. */
    readonly distributor?: boolean;
  }
>;

export interface OrderLine {
  readonly sku?: string;
  readonly description?: string;
  readonly quantity: number;
  readonly amount: Money;
}

export type SaleBooked = DomainEvent<
  'SaleBooked',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly amount: Money;
    readonly bookedAt: string;
    readonly salesCredits: readonly SalesCredit[];
    /** The customer's terms when the sale was booked; dueDate = booking date + terms. */
    readonly paymentTermsDays: number;
    readonly dueDate: string;
    readonly businessUnit: string | null;
    readonly lines: readonly OrderLine[];
    /** Present (true) when the customer is a distributor: a primary (sell-in) sale. */
    readonly toDistributor?: boolean;
  }
>;

/**
 * A distributor sold to an end customer (sell-through). Credits the salespersons mapped to the
 * distributor on `soldAt` (its sales credits then), stamped here like a sale's. Stream
 * secondary-sale-<saleId>.
 */
export type SecondarySaleReported = DomainEvent<
  'SecondarySaleReported',
  {
    readonly saleId: string;
    readonly distributorId: string;
    readonly amount: Money;
    readonly soldAt: string;
    readonly endCustomer: string | null;
    readonly businessUnit: string | null;
    readonly salesCredits: readonly SalesCredit[];
  }
>;

export type InvoiceIssued = DomainEvent<
  'InvoiceIssued',
  {
    readonly orderId: string;
    readonly invoiceId: string;
    readonly amount: Money;
    readonly issuedAt: string;
    readonly dueDate: string;
  }
>;

export type PaymentReceived = DomainEvent<
  'PaymentReceived',
  {
    readonly orderId: string;
    readonly paymentId: string;
    readonly amount: Money;
    readonly receivedAt: string;
  }
>;

/**
 * A reduction of the order's net amount. `unpaidPart` is what it took off the receivable;
 * `refundPart` is cash already collected that is given back (domain.md §3: unpaid first).
 */
export interface Reduction {
  readonly orderId: string;
  readonly amount: Money;
  readonly unpaidPart: number;
  readonly refundPart: number;
  readonly reason: string;
  /** The booking instant, so that the clawback window needs no other event. */
  readonly bookedAt: string;
}

export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  Reduction & { readonly cancellationId: string; readonly cancelledAt: string }
>;

export type ProductReturned = DomainEvent<
  'ProductReturned',
  Reduction & { readonly returnId: string; readonly returnedAt: string }
>;

export type DebtWrittenOff = DomainEvent<
  'DebtWrittenOff',
  {
    readonly orderId: string;
    readonly writeOffId: string;
    readonly amount: Money;
    readonly writtenOffAt: string;
    readonly reason: string;
    readonly bookedAt: string;
  }
>;

export type SalespersonTerminated = DomainEvent<
  'SalespersonTerminated',
  { readonly salespersonId: string; readonly terminatedOn: string }
>;

/** An annual quota split into 12 monthly targets by the largest-remainder method. */
export type QuotaSet = DomainEvent<
  'QuotaSet',
  {
    readonly quotaId: string;
    readonly salespersonId: string;
    readonly year: number;
    readonly annualTarget: Money;
    readonly monthlyWeightsBps: readonly number[];
    readonly monthlyTargets: readonly number[];
    /** Present when the quota is for one business unit; a salesperson's quota is the sum of theirs. */
    readonly businessUnit?: string;
  }
>;

/** New sales credits of a customer from a date; sales already booked keep theirs. */
export type SalesCreditsReassigned = DomainEvent<
  'SalesCreditsReassigned',
  {
    readonly customerId: string;
    readonly reassignmentId: string;
    readonly effectiveFrom: string;
    readonly salesCredits: readonly SalesCredit[];
  }
>;

/**
 * A customer's credit limit from now on (null: no limit). Only sales in the limit's currency are
 * counted against it (docs/collections-and-credit.md § Credit limits).
 */
export type CreditLimitSet = DomainEvent<
  'CreditLimitSet',
  {
    readonly customerId: string;
    readonly creditLimitId: string;
    readonly creditLimit: Money | null;
    readonly previousLimit: Money | null;
  }
>;

/** Who approved a sale past the credit limit, and why. */
export interface CreditOverride {
  readonly approvedBy: string;
  readonly reason: string;
}

/**
 * Part of a customer's credit held by one order, on the customer's stream (the consistency
 * boundary of the limit, ADR 0010). `BOOKING`: written just before the order's SaleBooked, with the
 * exposure and limit the decision saw and the override, if the sale needed one. `ADOPTED`: an
 * order booked while the customer had no limit, taken into account when a limit was set.
 */
export type CustomerCreditReserved = DomainEvent<
  'CustomerCreditReserved',
  {
    readonly customerId: string;
    readonly orderId: string;
    readonly amount: Money;
    readonly source: 'BOOKING' | 'ADOPTED';
    readonly limit: Money;
    /** The exposure before this sale (BOOKING); null for ADOPTED. */
    readonly exposure: number | null;
    readonly override: CreditOverride | null;
  }
>;

export type OrderEvent =
  SaleBooked | InvoiceIssued | PaymentReceived | OrderCancelled | ProductReturned | DebtWrittenOff;

export type SalesEvent =
  | PlanCreated
  | SalespersonRegistered
  | PlanAssigned
  | SalespersonTerminated
  | QuotaSet
  | CustomerRegistered
  | SalesCreditsReassigned
  | CreditLimitSet
  | CustomerCreditReserved
  | SecondarySaleReported
  | OrderEvent
  | CollectionEvent;

export const SALES_EVENT_TYPES = [
  'PlanCreated',
  'SalespersonRegistered',
  'PlanAssigned',
  'SalespersonTerminated',
  'QuotaSet',
  'CustomerRegistered',
  'SalesCreditsReassigned',
  'CreditLimitSet',
  'CustomerCreditReserved',
  'SaleBooked',
  'InvoiceIssued',
  'PaymentReceived',
  'OrderCancelled',
  'ProductReturned',
  'DebtWrittenOff',
  'SecondarySaleReported',
  ...COLLECTION_EVENT_TYPES,
] as const satisfies readonly SalesEvent['type'][];

/** Current schema version of every event type. */
export const SALES_SCHEMA_VERSIONS: Readonly<Record<SalesEvent['type'], number>> = {
  PlanCreated: 1,
  SalespersonRegistered: 1,
  PlanAssigned: 1,
  SalespersonTerminated: 1,
  QuotaSet: 1,
  CustomerRegistered: 1,
  SalesCreditsReassigned: 1,
  CreditLimitSet: 1,
  CustomerCreditReserved: 1,
  SaleBooked: 1,
  InvoiceIssued: 1,
  PaymentReceived: 1,
  OrderCancelled: 1,
  ProductReturned: 1,
  DebtWrittenOff: 1,
  SecondarySaleReported: 1,
  ...COLLECTION_SCHEMA_VERSIONS,
};

/** Stream ids: `<category>-<id>`. */
export const streams = {
  plan: (planId: string) => `plan-${planId}`,
  salesperson: (salespersonId: string) => `salesperson-${salespersonId}`,
  customer: (customerId: string) => `customer-${customerId}`,
  order: (orderId: string) => `order-${orderId}`,
  quota: (salespersonId: string, year: number, businessUnit?: string | null) =>
    businessUnit ? `quota-${salespersonId}.${year}.${businessUnit}` : `quota-${salespersonId}.${year}`,
  secondarySale: (saleId: string) => `secondary-sale-${saleId}`,
};
