export interface DisputeInvoice {
  readonly type: 'DisputeInvoice';
  readonly orderId: string;
  readonly disputeId: string;
  readonly invoiceId: string;
  readonly reason: string;
  readonly disputedAt: string;
}
