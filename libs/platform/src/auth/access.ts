import { ForbiddenException } from '@nestjs/common';
import type { AuthUser } from './auth-user';
import type { Role } from './roles';

/** Roles that read every salesperson's data. */
const READ_ALL: readonly Role[] = ['admin', 'compliance', 'finance', 'sales-ops'];

/**
 * Whether the caller may read one salesperson's data (ledger, clawbacks, orders):
 * admin, compliance, finance and sales-ops read everyone; a `manager` reads the salespeople of
 * their team (`teamId` claim); a `rep` reads only themselves (`salespersonId` claim); `service`
 * reads none. A user with several roles gets the union.
 *
 * @param teamOfSalesperson the salesperson's team, null when they have none or are unknown
 */
export function canReadSalesperson(user: AuthUser, salespersonId: string, teamOfSalesperson: string | null): boolean {
  const has = (role: Role) => user.roles.includes(role);
  if (READ_ALL.some(has)) return true;
  if (has('manager') && user.teamId !== undefined && teamOfSalesperson !== null && user.teamId === teamOfSalesperson) {
    return true;
  }
  if (has('rep') && user.salespersonId !== undefined && user.salespersonId === salespersonId) return true;
  return false;
}

/** Whether the caller may read every salesperson (an unknown one is then 404 rather than 403). */
export function canReadAllSalespeople(user: AuthUser): boolean {
  return READ_ALL.some((role) => user.roles.includes(role));
}

/** 403 FORBIDDEN unless canReadSalesperson. */
export function assertCanReadSalesperson(
  user: AuthUser,
  salespersonId: string,
  teamOfSalesperson: string | null,
): void {
  if (!canReadSalesperson(user, salespersonId, teamOfSalesperson)) {
    throw new ForbiddenException(`You may not read the data of salesperson ${salespersonId}`);
  }
}
