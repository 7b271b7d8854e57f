import type { Money } from '../../../../shared-kernel/src/money';

export interface SetQuota {
  readonly type: 'SetQuota';
  readonly quotaId: string;
  readonly salespersonId: string;
  readonly year: number;
  readonly annualTarget: Money;
  readonly monthlyWeightsBps: readonly number[];
  /** The business unit the quota is for; null or omitted: the salesperson's quota without a unit. */
  readonly businessUnit?: string | null;
}
