export interface RegisterSalesperson {
  readonly type: 'RegisterSalesperson';
  readonly salespersonId: string;
  readonly name: string;
  readonly managerId: string | null;
  readonly teamId: string | null;
  readonly hiredOn: string;
}
