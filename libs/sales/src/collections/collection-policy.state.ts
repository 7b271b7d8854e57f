import type { CollectionPolicyCreated } from '../contracts/collections.events';

export type CollectionPolicyState =
  { readonly exists: false } | ({ readonly exists: true } & CollectionPolicyCreated['data']);

export const initialCollectionPolicyState = (): CollectionPolicyState => ({ exists: false });

export function evolveCollectionPolicy(
  state: CollectionPolicyState,
  event: CollectionPolicyCreated,
): CollectionPolicyState {
  switch (event.type) {
    case 'CollectionPolicyCreated':
      return { exists: true, ...event.data };
    default:
      return state;
  }
}
