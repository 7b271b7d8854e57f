import type { Money } from '../../../../shared-kernel/src/money';

export interface PostAdjustment {
  readonly type: 'PostAdjustment';
  readonly adjustmentId: string;
  readonly salespersonId: string;
  readonly period: string;
  readonly amount: Money;
  readonly reason: string;
  readonly approvedBy: string;
  /** When it was posted: its business time. */
  readonly at: string;
}
