/**
 * Public event contracts of collections (issue 9, items 1 and 2): collection policies, their
 * assignment to customers, and what is recorded against a receivable (an invoice of an order):
 * collection actions, promises to pay, disputes. Each `type` is an explicit string and part of
 * the published contract; a change of shape is a new `schemaVersion` with an upcaster.
 * Amounts are integer minor units. Rules: docs/collections-and-credit.md § Collection policies.
 *
 * Streams:
 * - `CollectionPolicyCreated`: `collection-policy-<policyId>` (a policy never changes; a new
 *   version is a new id);
 * - `CollectionPolicyAssigned`: `customer-<customerId>`;
 * - `CollectionActionTaken`, `PaymentPromised`, `InvoiceDisputed`, `InvoiceDisputeResolved`:
 *   `order-<orderId>` (beside the order's own events, so a decision sees the invoice, its
 *   payments and its disputes in one stream).
 */
import type { DomainEvent } from '../../../eventsourcing/src/decider';
import type { Money } from '../../../shared-kernel/src/money';

export const COLLECTION_ACTIONS = ['REMINDER', 'FORMAL_NOTICE', 'CALL', 'ESCALATION', 'LEGAL_HANDOFF'] as const;
export type CollectionAction = (typeof COLLECTION_ACTIONS)[number];

/** SALESPERSON: the order's credited salespeople; MANAGER: their managers; FINANCE: the finance team. */
export const COLLECTION_RESPONSIBLES = ['SALESPERSON', 'MANAGER', 'FINANCE'] as const;
export type CollectionResponsible = (typeof COLLECTION_RESPONSIBLES)[number];

export interface CollectionStep {
  readonly stepId: string;
  /** Days relative to the invoice's due date (negative: before it). Strictly increasing within a policy. */
  readonly offsetDays: number;
  readonly action: CollectionAction;
  readonly responsible: CollectionResponsible;
}

export type CollectionPolicyCreated = DomainEvent<
  'CollectionPolicyCreated',
  {
    readonly policyId: string;
    readonly name: string;
    /** 1..20 steps, unique stepIds, offsetDays strictly increasing. */
    readonly steps: readonly CollectionStep[];
  }
>;

/**
 * The customer's invoices issued on or after `effectiveFrom` follow this policy (the assignment
 * with the latest effectiveFrom ≤ the invoice's issue date; among equal dates the one recorded
 * last). `policyId` may be `default` (the built-in DEFAULT_COLLECTION_POLICY).
 */
export type CollectionPolicyAssigned = DomainEvent<
  'CollectionPolicyAssigned',
  {
    readonly customerId: string;
    readonly assignmentId: string;
    readonly policyId: string;
    readonly effectiveFrom: string;
  }
>;

/** Something done to collect an invoice; by whom is the event's `metadata.actor`. */
export type CollectionActionTaken = DomainEvent<
  'CollectionActionTaken',
  {
    readonly orderId: string;
    readonly invoiceId: string;
    readonly actionId: string;
    /** The policy step this action carries out (the step is then DONE); null: an action outside the schedule. */
    readonly stepId: string | null;
    readonly action: CollectionAction;
    /** Business time the action was taken (the event's occurredAt). */
    readonly takenAt: string;
    readonly note: string | null;
  }
>;

/** A promise by the customer to pay `amount` of the invoice by `promisedDate` (inclusive). */
export type PaymentPromised = DomainEvent<
  'PaymentPromised',
  {
    readonly orderId: string;
    readonly invoiceId: string;
    readonly promiseId: string;
    readonly amount: Money;
    readonly promisedDate: string;
    /** Business time the promise was taken (the event's occurredAt; not the store's record time). */
    readonly recordedAt: string;
  }
>;

/** The customer disputes the invoice: its collection schedule pauses until the dispute is resolved. */
export type InvoiceDisputed = DomainEvent<
  'InvoiceDisputed',
  {
    readonly orderId: string;
    readonly invoiceId: string;
    readonly disputeId: string;
    readonly reason: string;
    readonly disputedAt: string;
  }
>;

export type InvoiceDisputeResolved = DomainEvent<
  'InvoiceDisputeResolved',
  {
    readonly orderId: string;
    readonly invoiceId: string;
    readonly disputeId: string;
    readonly resolvedAt: string;
    readonly outcome: string | null;
  }
>;

/** The collection events on an order stream. */
export type CollectionOrderEvent = CollectionActionTaken | PaymentPromised | InvoiceDisputed | InvoiceDisputeResolved;

export type CollectionEvent = CollectionPolicyCreated | CollectionPolicyAssigned | CollectionOrderEvent;

export const COLLECTION_EVENT_TYPES = [
  'CollectionPolicyCreated',
  'CollectionPolicyAssigned',
  'CollectionActionTaken',
  'PaymentPromised',
  'InvoiceDisputed',
  'InvoiceDisputeResolved',
] as const satisfies readonly CollectionEvent['type'][];

export const COLLECTION_SCHEMA_VERSIONS: Readonly<Record<CollectionEvent['type'], number>> = {
  CollectionPolicyCreated: 1,
  CollectionPolicyAssigned: 1,
  CollectionActionTaken: 1,
  PaymentPromised: 1,
  InvoiceDisputed: 1,
  InvoiceDisputeResolved: 1,
};

export const collectionStreams = {
  policy: (policyId: string) => `collection-policy-${policyId}`,
};

/** The id of the built-in policy; no created policy may take it. */
export const DEFAULT_COLLECTION_POLICY_ID = 'default';

/**
 * The policy of every invoice whose customer has no assignment effective at its issue date
 * (a constant of the code, so replays are deterministic; changing it is a code change that
 * changes every such schedule, documented in docs/collections-and-credit.md).
 */
export const DEFAULT_COLLECTION_POLICY: CollectionPolicyCreated['data'] = {
  policyId: DEFAULT_COLLECTION_POLICY_ID,
  name: 'Default collection policy',
  steps: [
    { stepId: 'reminder-before', offsetDays: -3, action: 'REMINDER', responsible: 'SALESPERSON' },
    { stepId: 'reminder-after', offsetDays: 1, action: 'REMINDER', responsible: 'SALESPERSON' },
    { stepId: 'call', offsetDays: 15, action: 'CALL', responsible: 'MANAGER' },
    { stepId: 'formal-notice', offsetDays: 30, action: 'FORMAL_NOTICE', responsible: 'FINANCE' },
    { stepId: 'legal-handoff', offsetDays: 60, action: 'LEGAL_HANDOFF', responsible: 'FINANCE' },
  ],
};
