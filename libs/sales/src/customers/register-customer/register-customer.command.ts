import type { Money } from '../../../../shared-kernel/src/money';
import type { SalesCredit } from '../../contracts/sales.events';

export interface RegisterCustomer {
  readonly type: 'RegisterCustomer';
  readonly customerId: string;
  readonly name: string;
  readonly paymentTermsDays: number;
  readonly creditLimit: Money | null;
  readonly salesCredits: readonly SalesCredit[];
  readonly at: string;
}
