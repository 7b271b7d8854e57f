export interface AssignPlan {
  readonly type: 'AssignPlan';
  readonly salespersonId: string;
  readonly assignmentId: string;
  readonly planId: string;
  readonly effectiveFrom: string;
}
