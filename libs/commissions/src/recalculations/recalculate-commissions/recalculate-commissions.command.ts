export interface RecalculateCommissions {
  readonly type: 'RecalculateCommissions';
  readonly recalculationId: string;
  readonly salespersonId: string;
  /** YYYY-MM: recalculate orders booked in open periods from this one on; null: every open period. */
  readonly fromPeriod: string | null;
  readonly reason: string;
  /** The authenticated actor who asked for it. */
  readonly requestedBy: string;
  /** When it was asked for: its business time. */
  readonly at: string;
}
