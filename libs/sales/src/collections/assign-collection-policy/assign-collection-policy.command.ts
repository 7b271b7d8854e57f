export interface AssignCollectionPolicy {
  readonly type: 'AssignCollectionPolicy';
  readonly customerId: string;
  readonly assignmentId: string;
  readonly policyId: string;
  readonly effectiveFrom: string;
}
