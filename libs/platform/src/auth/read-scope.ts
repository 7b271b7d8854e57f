import { ForbiddenException } from '@nestjs/common';
import { canReadAllSalespeople } from './access';
import type { AuthUser } from './auth-user';

/**
 * Which salespeople's rows a list query may return to the caller: all of them, one (a rep), or
 * one team's (a manager). A list asked for someone outside the scope is 403.
 */
export type ReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'salesperson'; readonly salespersonId: string }
  | { readonly kind: 'team'; readonly teamId: string };

export function readScopeOf(user: AuthUser): ReadScope {
  if (canReadAllSalespeople(user)) return { kind: 'all' };
  if (user.roles.includes('manager') && user.teamId) return { kind: 'team', teamId: user.teamId };
  if (user.roles.includes('rep') && user.salespersonId)
    return { kind: 'salesperson', salespersonId: user.salespersonId };
  throw new ForbiddenException('Your token names no salesperson or team to read');
}

/**
 * A SQL condition on a salesperson-id column for the scope, with its parameters appended to
 * `params` (teams are read from ledger_salespeople).
 */
export function scopeCondition(scope: ReadScope, column: string, params: unknown[]): string {
  if (scope.kind === 'all') return 'TRUE';
  if (scope.kind === 'salesperson') {
    params.push(scope.salespersonId);
    return `${column} = $${params.length}`;
  }
  params.push(scope.teamId);
  return `${column} IN (SELECT salesperson_id FROM ledger_salespeople WHERE team_id = $${params.length})`;
}
