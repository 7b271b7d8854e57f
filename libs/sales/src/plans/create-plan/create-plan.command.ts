import type { Basis, PlanTier } from '../../contracts/sales.events';

export interface CreatePlan {
  readonly type: 'CreatePlan';
  readonly planId: string;
  readonly name: string;
  readonly currency: string;
  readonly basis: Basis;
  readonly rateBps: number;
  readonly clawback: { readonly windowDays: number; readonly percentBps: number };
  /** The optional terms (docs/plans-and-channels.md): each is recorded only when given. */
  readonly tiers?: readonly PlanTier[];
  readonly overrideRateBps?: number;
  readonly holdbackBps?: number;
  readonly primaryDistributorSalesEarn?: boolean;
  readonly secondaryRateBps?: number;
  /** When the command was received: the business time of PlanCreated. */
  readonly at: string;
}
