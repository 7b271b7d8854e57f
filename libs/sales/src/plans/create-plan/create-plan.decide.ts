import type { Decider } from '../../../../eventsourcing/src/decider';
import type { PlanCreated } from '../../contracts/sales.events';
import { refuse } from '../../sales.errors';
import { tiersProblem } from '../plan-terms';
import { evolvePlan, initialPlanState, type PlanState } from '../plan.state';
import type { CreatePlan } from './create-plan.command';

/**
 * Creates a plan. The optional terms are carried only when given, so a plan without them records
 * exactly what it did before issue 10. Tiers that break the rules are refused (the HTTP request
 * validation refuses them first, 400 VALIDATION_FAILED naming `tiers`; this is the same rule).
 */
export function decideCreatePlan(command: CreatePlan, state: PlanState): PlanCreated[] {
  if (state.exists) throw refuse.alreadyExists('Plan', command.planId);
  if (command.tiers !== undefined) {
    const problem = tiersProblem(command.tiers, command.rateBps);
    if (problem !== null) throw refuse.invalidTiers(problem);
  }
  return [
    {
      type: 'PlanCreated',
      occurredAt: command.at,
      data: {
        planId: command.planId,
        name: command.name,
        currency: command.currency,
        basis: command.basis,
        rateBps: command.rateBps,
        clawback: { windowDays: command.clawback.windowDays, percentBps: command.clawback.percentBps },
        ...(command.tiers !== undefined
          ? { tiers: command.tiers.map((t) => ({ fromAttainmentBps: t.fromAttainmentBps, rateBps: t.rateBps })) }
          : {}),
        ...(command.overrideRateBps !== undefined ? { overrideRateBps: command.overrideRateBps } : {}),
        ...(command.holdbackBps !== undefined ? { holdbackBps: command.holdbackBps } : {}),
        ...(command.primaryDistributorSalesEarn !== undefined
          ? { primaryDistributorSalesEarn: command.primaryDistributorSalesEarn }
          : {}),
        ...(command.secondaryRateBps !== undefined ? { secondaryRateBps: command.secondaryRateBps } : {}),
      },
    },
  ];
}

export const createPlanDecider: Decider<CreatePlan, PlanCreated, PlanState> = {
  initialState: initialPlanState,
  evolve: evolvePlan,
  decide: decideCreatePlan,
};
