import type { Money } from '../../../../shared-kernel/src/money';

export interface RecordPayout {
  readonly type: 'RecordPayout';
  readonly payoutId: string;
  readonly salespersonId: string;
  readonly amount: Money;
  readonly paidAt: string;
}
