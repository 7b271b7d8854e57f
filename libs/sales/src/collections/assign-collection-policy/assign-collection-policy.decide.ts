import type { Decider } from '../../../../eventsourcing/src/decider';
import { NotFoundError } from '../../../../eventsourcing/src/decider';
import { type CollectionPolicyAssigned, DEFAULT_COLLECTION_POLICY_ID } from '../../contracts/collections.events';
import {
  type CustomerEvent,
  type CustomerState,
  evolveCustomer,
  initialCustomerState,
} from '../../customers/customer.state';
import type { CollectionPolicyState } from '../collection-policy.state';
import type { AssignCollectionPolicy } from './assign-collection-policy.command';

/**
 * The customer exists, and the policy exists or is `default` (back to the built-in policy).
 * The assignment applies to the customer's invoices issued on or after effectiveFrom.
 */
export function decideAssignCollectionPolicy(
  command: AssignCollectionPolicy,
  customer: CustomerState,
  policy: CollectionPolicyState,
): CollectionPolicyAssigned[] {
  if (!customer.exists) throw new NotFoundError('Customer', command.customerId);
  if (command.policyId !== DEFAULT_COLLECTION_POLICY_ID && !policy.exists)
    throw new NotFoundError('Collection policy', command.policyId);
  return [
    {
      type: 'CollectionPolicyAssigned',
      occurredAt: `${command.effectiveFrom}T00:00:00.000Z`,
      data: {
        customerId: command.customerId,
        assignmentId: command.assignmentId,
        policyId: command.policyId,
        effectiveFrom: command.effectiveFrom,
      },
    },
  ];
}

/** The customer stream, folded by the customer's own evolve (collection assignments change nothing it keeps). */
export const assignCollectionPolicyDecider = (
  policy: CollectionPolicyState,
): Decider<AssignCollectionPolicy, CustomerEvent | CollectionPolicyAssigned, CustomerState> => ({
  initialState: initialCustomerState,
  evolve: (state, event) => (event.type === 'CollectionPolicyAssigned' ? state : evolveCustomer(state, event)),
  decide: (command, state) => decideAssignCollectionPolicy(command, state, policy),
});
