export interface TerminateSalesperson {
  readonly type: 'TerminateSalesperson';
  readonly salespersonId: string;
  readonly terminatedOn: string;
}
