import type { Decider } from '../../../../eventsourcing/src/decider';
import type { PlanCreated } from '../../contracts/sales.events';
import { refuse } from '../../sales.errors';
import { evolvePlan, initialPlanState, type PlanState } from '../plan.state';
import type { CreatePlan } from './create-plan.command';

export function decideCreatePlan(command: CreatePlan, state: PlanState): PlanCreated[] {
  if (state.exists) throw refuse.alreadyExists('Plan', command.planId);
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
      },
    },
  ];
}

export const createPlanDecider: Decider<CreatePlan, PlanCreated, PlanState> = {
  initialState: initialPlanState,
  evolve: evolvePlan,
  decide: decideCreatePlan,
};
