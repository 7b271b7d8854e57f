import type { CollectionStep } from '../../contracts/collections.events';

export interface CreateCollectionPolicy {
  readonly type: 'CreateCollectionPolicy';
  readonly policyId: string;
  readonly name: string;
  readonly steps: readonly CollectionStep[];
  /** When the command was received: the business time of CollectionPolicyCreated. */
  readonly at: string;
}
