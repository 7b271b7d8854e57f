import type { Decider } from '../../../../eventsourcing/src/decider';
import { type CollectionPolicyCreated, DEFAULT_COLLECTION_POLICY_ID } from '../../contracts/collections.events';
import { refuse } from '../../sales.errors';
import {
  type CollectionPolicyState,
  evolveCollectionPolicy,
  initialCollectionPolicyState,
} from '../collection-policy.state';
import { collectionRefusal } from '../collections.rules';
import type { CreateCollectionPolicy } from './create-collection-policy.command';

/**
 * A new policy: its id is new and not `default`; 1..20 steps with unique stepIds and offsetDays
 * strictly increasing (so the steps' order is their order in time).
 */
export function decideCreateCollectionPolicy(
  command: CreateCollectionPolicy,
  state: CollectionPolicyState,
): CollectionPolicyCreated[] {
  if (command.policyId === DEFAULT_COLLECTION_POLICY_ID) throw collectionRefusal.policyIdReserved(command.policyId);
  if (state.exists) throw refuse.alreadyExists('Collection policy', command.policyId);
  if (command.steps.length < 1 || command.steps.length > 20) throw collectionRefusal.stepCount(command.steps.length);
  const seen = new Set<string>();
  let previous: number | null = null;
  for (const step of command.steps) {
    if (seen.has(step.stepId)) throw collectionRefusal.duplicateStep(step.stepId);
    seen.add(step.stepId);
    if (previous !== null && step.offsetDays <= previous)
      throw collectionRefusal.offsetsNotIncreasing(step.stepId, step.offsetDays, previous);
    previous = step.offsetDays;
  }
  return [
    {
      type: 'CollectionPolicyCreated',
      occurredAt: command.at,
      data: {
        policyId: command.policyId,
        name: command.name,
        steps: command.steps.map((s) => ({
          stepId: s.stepId,
          offsetDays: s.offsetDays,
          action: s.action,
          responsible: s.responsible,
        })),
      },
    },
  ];
}

export const createCollectionPolicyDecider: Decider<
  CreateCollectionPolicy,
  CollectionPolicyCreated,
  CollectionPolicyState
> = {
  initialState: initialCollectionPolicyState,
  evolve: evolveCollectionPolicy,
  decide: decideCreateCollectionPolicy,
};
