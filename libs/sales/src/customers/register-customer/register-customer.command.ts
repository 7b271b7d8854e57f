import type { Money } from '../../../../shared-kernel/src/money';
import type { SalesCredit } from '../../contracts/sales.events';

export interface RegisterCustomer {
  readonly type: 'RegisterCustomer';
  readonly customerId: string;
  readonly name: string;
  readonly paymentTermsDays: number;
  readonly creditLimit: Money | null;
  readonly salesCredits: readonly SalesCredit[];
  /** True when registering a distributor (POST /api/v1/distributors); omitted for a customer. */
  readonly distributor?: boolean;
  readonly at: string;
}
