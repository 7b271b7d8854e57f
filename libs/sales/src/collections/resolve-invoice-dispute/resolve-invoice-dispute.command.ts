export interface ResolveInvoiceDispute {
  readonly type: 'ResolveInvoiceDispute';
  readonly orderId: string;
  readonly disputeId: string;
  readonly resolvedAt: string;
  readonly outcome: string | null;
}
