import type { Basis } from '../../contracts/sales.events';

export interface CreatePlan {
  readonly type: 'CreatePlan';
  readonly planId: string;
  readonly name: string;
  readonly currency: string;
  readonly basis: Basis;
  readonly rateBps: number;
  readonly clawback: { readonly windowDays: number; readonly percentBps: number };
  /** When the command was received: the business time of PlanCreated. */
  readonly at: string;
}
