/**
 * The commission ledger as a pure function of events in global order (domain.md §4).
 * No clock, no randomness, no I/O: `projectLedger(view, event)` returns the changes that event
 * causes, given what earlier events built (`LedgerView`). The projector loads the view from its
 * tables and writes the changes; tests run it on plain objects.
 */
import { deterministicUuid } from '../../../eventsourcing/src/ids';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import { commission } from '../../../shared-kernel/src/money';
import { periodOf, utcDate } from '../../../shared-kernel/src/time';
import type {
  Basis,
  PlanAssigned,
  PlanCreated,
  SaleBooked,
  SalespersonRegistered,
} from '../../../sales/src/contracts/sales.events';
import { applicableAssignment, type Assignment } from '../../../sales/src/salespeople/salesperson.state';

export interface PlanTerms {
  readonly planId: string;
  readonly name: string;
  readonly currency: string;
  readonly basis: Basis;
  readonly rateBps: number;
  readonly windowDays: number;
  readonly percentBps: number;
}

export type EntryType = 'EARNED' | 'CLAWBACK' | 'ADJUSTMENT' | 'PAYOUT';

export interface LedgerEntry {
  readonly entryId: string;
  readonly salespersonId: string;
  readonly type: EntryType;
  /** Signed minor units: EARNED and positive adjustments add, CLAWBACK and PAYOUT subtract. */
  readonly amount: bigint;
  readonly currency: string;
  readonly period: string;
  readonly originalPeriod: string | null;
  readonly orderId: string | null;
  readonly sourceEventId: string;
  readonly sourcePosition: bigint;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly explanation: {
    readonly trigger: string;
    readonly baseAmount: number;
    readonly splitBps: number;
    readonly rateBps: number;
    readonly percentBps: number | null;
    readonly planId: string;
    readonly assignmentId: string;
    readonly formula: string;
  };
}

export interface LedgerException {
  readonly exceptionId: string;
  readonly code: 'NO_PLAN';
  readonly orderId: string;
  readonly salespersonId: string;
  readonly detail: string;
  readonly sourcePosition: bigint;
}

export type LedgerChange =
  | { readonly kind: 'plan'; readonly plan: PlanTerms }
  | {
      readonly kind: 'salesperson';
      readonly salespersonId: string;
      readonly name: string;
      readonly teamId: string | null;
      readonly managerId: string | null;
    }
  | { readonly kind: 'assignment'; readonly salespersonId: string; readonly assignment: Assignment }
  | { readonly kind: 'entry'; readonly entry: LedgerEntry }
  | { readonly kind: 'exception'; readonly exception: LedgerException };

/** What earlier events built, as the projection needs to see it. */
export interface LedgerView {
  plan(planId: string): PlanTerms | undefined;
  /** Assignments of a salesperson in the order they were recorded. */
  assignments(salespersonId: string): readonly Assignment[];
}

/** The event types this projection reads. */
export const LEDGER_EVENT_TYPES = ['PlanCreated', 'SalespersonRegistered', 'PlanAssigned', 'SaleBooked'] as const;

export function ledgerEntryId(sourceEventId: string, salespersonId: string, type: EntryType): string {
  return deterministicUuid('ledger-entry', sourceEventId, salespersonId, type);
}

export function projectLedger(view: LedgerView, event: StoredEvent): LedgerChange[] {
  switch (event.type) {
    case 'PlanCreated': {
      const d = (event as StoredEvent<'PlanCreated', PlanCreated['data']>).data;
      return [
        {
          kind: 'plan',
          plan: {
            planId: d.planId,
            name: d.name,
            currency: d.currency,
            basis: d.basis,
            rateBps: d.rateBps,
            windowDays: d.clawback.windowDays,
            percentBps: d.clawback.percentBps,
          },
        },
      ];
    }
    case 'SalespersonRegistered': {
      const d = (event as StoredEvent<'SalespersonRegistered', SalespersonRegistered['data']>).data;
      return [
        { kind: 'salesperson', salespersonId: d.salespersonId, name: d.name, teamId: d.teamId, managerId: d.managerId },
      ];
    }
    case 'PlanAssigned': {
      const d = (event as StoredEvent<'PlanAssigned', PlanAssigned['data']>).data;
      return [
        {
          kind: 'assignment',
          salespersonId: d.salespersonId,
          assignment: { assignmentId: d.assignmentId, planId: d.planId, effectiveFrom: d.effectiveFrom },
        },
      ];
    }
    case 'SaleBooked':
      return onSaleBooked(view, event as StoredEvent<'SaleBooked', SaleBooked['data']>);
    default:
      return [];
  }
}

function onSaleBooked(view: LedgerView, event: StoredEvent<'SaleBooked', SaleBooked['data']>): LedgerChange[] {
  const sale = event.data;
  const bookingDate = utcDate(sale.bookedAt);
  const changes: LedgerChange[] = [];
  for (const credit of sale.salesCredits) {
    const assignment = applicableAssignment(view.assignments(credit.salespersonId), bookingDate);
    const plan = assignment ? view.plan(assignment.planId) : undefined;
    if (!assignment || !plan) {
      changes.push({
        kind: 'exception',
        exception: {
          exceptionId: deterministicUuid('ledger-exception', event.id, credit.salespersonId, 'NO_PLAN'),
          code: 'NO_PLAN',
          orderId: sale.orderId,
          salespersonId: credit.salespersonId,
          detail: `No plan applies to ${credit.salespersonId} on ${bookingDate}: the sale earns nothing for them`,
          sourcePosition: event.globalPosition,
        },
      });
      continue;
    }
    if (plan.basis !== 'BOOKING') continue; // COLLECTION basis earns on payments
    const amount = commission(BigInt(sale.amount.amount), BigInt(credit.splitBps), BigInt(plan.rateBps));
    changes.push({
      kind: 'entry',
      entry: {
        entryId: ledgerEntryId(event.id, credit.salespersonId, 'EARNED'),
        salespersonId: credit.salespersonId,
        type: 'EARNED',
        amount,
        currency: plan.currency,
        period: periodOf(sale.bookedAt),
        originalPeriod: null,
        orderId: sale.orderId,
        sourceEventId: event.id,
        sourcePosition: event.globalPosition,
        occurredAt: event.occurredAt,
        recordedAt: event.recordedAt,
        explanation: {
          trigger: 'SALE_BOOKED',
          baseAmount: sale.amount.amount,
          splitBps: credit.splitBps,
          rateBps: plan.rateBps,
          percentBps: null,
          planId: plan.planId,
          assignmentId: assignment.assignmentId,
          formula: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)',
        },
      },
    });
  }
  return changes;
}

/** An in-memory view, for tests and for applying a batch on top of what was loaded. */
export class InMemoryLedgerView implements LedgerView {
  readonly plans = new Map<string, PlanTerms>();
  readonly assignmentsBySalesperson = new Map<string, Assignment[]>();

  plan(planId: string): PlanTerms | undefined {
    return this.plans.get(planId);
  }

  assignments(salespersonId: string): readonly Assignment[] {
    return this.assignmentsBySalesperson.get(salespersonId) ?? [];
  }

  /** Makes a change visible to the events after it. */
  apply(change: LedgerChange): void {
    if (change.kind === 'plan') this.plans.set(change.plan.planId, change.plan);
    if (change.kind === 'assignment') {
      const list = this.assignmentsBySalesperson.get(change.salespersonId) ?? [];
      list.push(change.assignment);
      this.assignmentsBySalesperson.set(change.salespersonId, list);
    }
  }
}
