import type { Money } from '../../../../shared-kernel/src/money';

export interface ReportSecondarySale {
  readonly type: 'ReportSecondarySale';
  readonly saleId: string;
  readonly distributorId: string;
  readonly amount: Money;
  /** When the distributor sold (business time), ISO-8601 UTC with milliseconds. */
  readonly soldAt: string;
  readonly endCustomer: string | null;
  readonly businessUnit: string | null;
}
