/**
 * Invariants of domain.md §2-§4 as plain functions, shared by the property tests over random
 * histories (libs/commissions/src/commission-ledger/commission-ledger.invariants.spec.ts) and the
 * e2e tests that check a real log (test/e2e/concurrency.e2e-spec.ts): an independent model of
 * what each event earns and claws back, and what must hold of an order after each of its events.
 */
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import type {
  DebtWrittenOff,
  OrderCancelled,
  OrderEvent,
  PaymentReceived,
  PlanAssigned,
  PlanCreated,
  ProductReturned,
  SaleBooked,
} from '../../libs/sales/src/contracts/sales.events';
import { net, type OrderState, paidNet, receivable } from '../../libs/sales/src/orders/order.state';
import { BPS, commission, roundHalfUp } from '../../libs/shared-kernel/src/money';
import { daysBetween, utcDate } from '../../libs/shared-kernel/src/time';

/**
 * The invariants of an order's amounts (§3) that `after`, the order folded up to and including
 * `event`, breaks: none is the expected answer. receivable ≥ 0, 0 ≤ net ≤ booked, invoiced ≤ net
 * when invoicing, paidNet ≥ 0 (a reduction never refunds more cash than was collected, write-off
 * or not), and a reduction splits into unpaid and refunded parts ≥ 0 that sum to its amount.
 */
export function brokenOrderInvariants(after: OrderState, event: OrderEvent): string[] {
  if (!after.exists) return ['an order exists after its own event'];
  const a = after.amounts;
  const broken: string[] = [];
  if (!(receivable(a) >= 0)) broken.push('receivable ≥ 0');
  if (!(net(a) >= 0 && net(a) <= a.booked)) broken.push('0 ≤ net ≤ booked');
  if (event.type === 'InvoiceIssued' && !(a.invoiced <= net(a))) broken.push('invoiced ≤ net when invoicing');
  if (!(paidNet(a) >= 0)) broken.push('paidNet ≥ 0');
  if (event.type === 'OrderCancelled' || event.type === 'ProductReturned') {
    const d = (event as OrderCancelled | ProductReturned).data;
    if (!(d.unpaidPart + d.refundPart === d.amount.amount && d.unpaidPart >= 0 && d.refundPart >= 0)) {
      broken.push('unpaidPart + refundPart = amount, both ≥ 0');
    }
  }
  return broken;
}

/**
 * §2 and §4 written out plainly: the plan of each credit is the assignment with the latest
 * effectiveFrom ≤ the booking date among those recorded before the sale (ties: the later one);
 * BOOKING earns commission(A, s, r) at booking, COLLECTION commission(P, s, r) per payment; a
 * cancellation, return or write-off within the window claws back
 * roundHalfUp(commission(X, s, r) × percent / 10^4), X the amount (BOOKING) or the refunded part
 * (COLLECTION, write-offs none), never more than is left of what the credit earned.
 */
export function commissionModel(events: readonly StoredEvent[]): Map<string, Array<[string, string, bigint]>> {
  interface Credit {
    salespersonId: string;
    splitBps: number;
    plan: PlanCreated['data'] | null;
    bookedAt: string;
    earned: bigint;
    clawed: bigint;
  }
  const plans = new Map<string, PlanCreated['data']>();
  const assignments = new Map<string, PlanAssigned['data'][]>();
  const credits = new Map<string, Credit[]>();
  const out = new Map<string, Array<[string, string, bigint]>>();
  const post = (event: StoredEvent, salespersonId: string, type: string, amount: bigint) =>
    out.set(event.id, [...(out.get(event.id) ?? []), [salespersonId, type, amount]]);
  const c = (amount: number, credit: Credit) =>
    commission(BigInt(amount), BigInt(credit.splitBps), BigInt(credit.plan?.rateBps ?? 0));
  for (const event of events) {
    const d = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'PlanCreated':
        plans.set((d as PlanCreated['data']).planId, d as PlanCreated['data']);
        break;
      case 'PlanAssigned': {
        const a = d as PlanAssigned['data'];
        assignments.set(a.salespersonId, [...(assignments.get(a.salespersonId) ?? []), a]);
        break;
      }
      case 'SaleBooked': {
        const sale = d as SaleBooked['data'];
        const list: Credit[] = sale.salesCredits.map((given) => {
          let best: PlanAssigned['data'] | null = null;
          for (const a of assignments.get(given.salespersonId) ?? []) {
            if (a.effectiveFrom <= utcDate(sale.bookedAt) && (!best || a.effectiveFrom >= best.effectiveFrom)) best = a;
          }
          const plan = best ? (plans.get(best.planId) ?? null) : null;
          return { ...given, plan, bookedAt: sale.bookedAt, earned: 0n, clawed: 0n };
        });
        credits.set(sale.orderId, list);
        for (const credit of list) {
          if (credit.plan?.basis !== 'BOOKING') continue;
          credit.earned = c(sale.amount.amount, credit);
          if (credit.earned > 0n) post(event, credit.salespersonId, 'EARNED', credit.earned);
        }
        break;
      }
      case 'PaymentReceived': {
        const payment = d as PaymentReceived['data'];
        for (const credit of credits.get(payment.orderId) ?? []) {
          if (credit.plan?.basis !== 'COLLECTION') continue;
          const earned = c(payment.amount.amount, credit);
          credit.earned += earned;
          if (earned > 0n) post(event, credit.salespersonId, 'EARNED', earned);
        }
        break;
      }
      case 'OrderCancelled':
      case 'ProductReturned':
      case 'DebtWrittenOff': {
        const r = d as OrderCancelled['data'] | DebtWrittenOff['data'];
        for (const credit of credits.get(r.orderId) ?? []) {
          if (!credit.plan) continue;
          const refund = event.type === 'DebtWrittenOff' ? 0 : (r as OrderCancelled['data']).refundPart;
          const base = credit.plan.basis === 'BOOKING' ? r.amount.amount : refund;
          if (base <= 0 || daysBetween(credit.bookedAt, event.occurredAt) > credit.plan.clawback.windowDays) continue;
          const full = roundHalfUp(c(base, credit) * BigInt(credit.plan.clawback.percentBps), BPS);
          const left = credit.earned - credit.clawed;
          const clawed = full < left ? full : left;
          if (clawed <= 0n) continue;
          credit.clawed += clawed;
          post(event, credit.salespersonId, 'CLAWBACK', -clawed);
        }
        break;
      }
    }
  }
  return out;
}
