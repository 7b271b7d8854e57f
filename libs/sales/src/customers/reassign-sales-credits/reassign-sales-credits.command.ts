import type { SalesCredit } from '../../contracts/sales.events';

export interface ReassignSalesCredits {
  readonly type: 'ReassignSalesCredits';
  readonly customerId: string;
  readonly reassignmentId: string;
  readonly effectiveFrom: string;
  readonly salesCredits: readonly SalesCredit[];
}
