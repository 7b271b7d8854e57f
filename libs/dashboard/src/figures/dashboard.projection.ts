/**
 * Dashboard facts as a pure function of events (domain.md §5): credited net bookings
 * ("achieved") and credited collections per salesperson and period, plus quotas and teams.
 * Credited amount = roundHalfUp(A × split / 10^4). Receivables and commission totals are read at
 * query time from the track-to-cash and ledger read models.
 *
 * Channel sales (docs/plans-and-channels.md): a secondary sale (sell-through) is achieved in the
 * period it was sold in; a primary sale to a distributor (sell-in) is never achieved. Its credits
 * remember that it is sell-in, so its cancellations and returns take nothing off achieved either:
 * its bookings net of them are SELL_IN facts instead. Its payments are collected as any order's.
 */
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type {
  OrderCancelled,
  PaymentReceived,
  ProductReturned,
  QuotaSet,
  SaleBooked,
  SalespersonRegistered,
  SecondarySaleReported,
} from '../../../sales/src/contracts/sales.events';
import { credited } from '../../../shared-kernel/src/money';
import { periodOf } from '../../../shared-kernel/src/time';

export interface DashboardCredit {
  readonly orderId: string;
  readonly salespersonId: string;
  readonly splitBps: number;
  readonly currency: string;
  readonly businessUnit: string | null;
  /** A primary sale to a distributor: its bookings, cancellations and returns are SELL_IN, not ACHIEVED. */
  readonly sellIn: boolean;
}

/**
 * ACHIEVED: credited net bookings (secondary sales included); COLLECTED: credited payments net of
 * refunds; SELL_IN: credited primary sales to distributors net of their cancellations and returns.
 */
export type DashboardFactKind = 'ACHIEVED' | 'COLLECTED' | 'SELL_IN';

export interface DashboardFact {
  readonly salespersonId: string;
  readonly period: string;
  readonly currency: string;
  readonly businessUnit: string | null;
  readonly kind: DashboardFactKind;
  /** Signed minor units. */
  readonly amount: bigint;
  readonly recordedAt: string;
}

export type DashboardChange =
  | { readonly kind: 'credit'; readonly credit: DashboardCredit }
  | { readonly kind: 'fact'; readonly fact: DashboardFact }
  | {
      readonly kind: 'quota';
      readonly salespersonId: string;
      readonly year: number;
      /** Null: the salesperson's quota without a business unit. Latest per (salesperson, year, unit) wins. */
      readonly businessUnit: string | null;
      readonly currency: string;
      readonly monthlyTargets: readonly number[];
      /** When the quota was recorded: the dashboard at a knownAt uses the quota known then. */
      readonly recordedAt: string;
    }
  | { readonly kind: 'salesperson'; readonly salespersonId: string; readonly teamId: string | null }
  /** A secondary sale's business unit: the ledger's entries on it (no order) are grouped by it. */
  | { readonly kind: 'secondary-sale'; readonly saleId: string; readonly businessUnit: string | null };

export interface DashboardView {
  credits(orderId: string): readonly DashboardCredit[];
}

export const DASHBOARD_EVENT_TYPES = [
  'SalespersonRegistered',
  'QuotaSet',
  'SaleBooked',
  'PaymentReceived',
  'OrderCancelled',
  'ProductReturned',
  'SecondarySaleReported',
] as const;

export function projectDashboard(view: DashboardView, event: StoredEvent): DashboardChange[] {
  /** `kind` 'BOOKED': ACHIEVED, or SELL_IN for a credit of a primary sale to a distributor. */
  const facts = (
    orderId: string,
    at: string,
    amount: number,
    kind: 'BOOKED' | 'COLLECTED',
    sign: 1n | -1n,
  ): DashboardChange[] =>
    view.credits(orderId).map((c) => ({
      kind: 'fact',
      fact: {
        salespersonId: c.salespersonId,
        period: periodOf(at),
        currency: c.currency,
        businessUnit: c.businessUnit,
        kind: kind === 'COLLECTED' ? 'COLLECTED' : c.sellIn ? 'SELL_IN' : 'ACHIEVED',
        amount: sign * credited(BigInt(amount), BigInt(c.splitBps)),
        recordedAt: event.recordedAt,
      },
    }));
  switch (event.type) {
    case 'SalespersonRegistered': {
      const d = event.data as SalespersonRegistered['data'];
      return [{ kind: 'salesperson', salespersonId: d.salespersonId, teamId: d.teamId }];
    }
    case 'QuotaSet': {
      const d = event.data as QuotaSet['data'];
      return [
        {
          kind: 'quota',
          salespersonId: d.salespersonId,
          year: d.year,
          businessUnit: d.businessUnit ?? null,
          currency: d.annualTarget.currency,
          monthlyTargets: d.monthlyTargets,
          recordedAt: event.recordedAt,
        },
      ];
    }
    case 'SaleBooked': {
      const d = event.data as SaleBooked['data'];
      const sellIn = d.toDistributor === true;
      const credits: DashboardChange[] = d.salesCredits.map((c) => ({
        kind: 'credit',
        credit: {
          orderId: d.orderId,
          salespersonId: c.salespersonId,
          splitBps: c.splitBps,
          currency: d.amount.currency,
          businessUnit: d.businessUnit,
          sellIn,
        },
      }));
      const booked: DashboardChange[] = d.salesCredits.map((c) => ({
        kind: 'fact',
        fact: {
          salespersonId: c.salespersonId,
          period: periodOf(d.bookedAt),
          currency: d.amount.currency,
          businessUnit: d.businessUnit,
          kind: sellIn ? 'SELL_IN' : 'ACHIEVED',
          amount: credited(BigInt(d.amount.amount), BigInt(c.splitBps)),
          recordedAt: event.recordedAt,
        },
      }));
      return [...credits, ...booked];
    }
    case 'SecondarySaleReported': {
      // No credits kept: nothing (payment, cancellation, return) follows a secondary sale.
      const d = event.data as SecondarySaleReported['data'];
      const sale: DashboardChange = { kind: 'secondary-sale', saleId: d.saleId, businessUnit: d.businessUnit };
      const achieved = d.salesCredits.map((c): DashboardChange => ({
        kind: 'fact',
        fact: {
          salespersonId: c.salespersonId,
          period: periodOf(d.soldAt),
          currency: d.amount.currency,
          businessUnit: d.businessUnit,
          kind: 'ACHIEVED',
          amount: credited(BigInt(d.amount.amount), BigInt(c.splitBps)),
          recordedAt: event.recordedAt,
        },
      }));
      return [sale, ...achieved];
    }
    case 'PaymentReceived': {
      const d = event.data as PaymentReceived['data'];
      return facts(d.orderId, d.receivedAt, d.amount.amount, 'COLLECTED', 1n);
    }
    case 'OrderCancelled':
    case 'ProductReturned': {
      const d = event.data as OrderCancelled['data'] | ProductReturned['data'];
      const at = 'cancelledAt' in d ? d.cancelledAt : d.returnedAt;
      return [
        ...facts(d.orderId, at, d.amount.amount, 'BOOKED', -1n),
        ...(d.refundPart > 0 ? facts(d.orderId, at, d.refundPart, 'COLLECTED', -1n) : []),
      ];
    }
    default:
      return [];
  }
}

/** attainmentBps = floor(achieved × 10000 / target); null without a (positive) target. */
export function attainmentBps(achieved: bigint, target: bigint | null): number | null {
  if (target === null || target <= 0n) return null;
  const scaled = achieved * 10_000n;
  // floor, also for negative achievement
  const q = scaled / target;
  return Number(scaled < 0n && q * target !== scaled ? q - 1n : q);
}
