import type { Money } from '../../../../shared-kernel/src/money';

export interface IssueInvoice {
  readonly type: 'IssueInvoice';
  readonly orderId: string;
  readonly invoiceId: string;
  readonly amount: Money;
  readonly issuedAt: string;
  readonly dueDate: string;
}
