import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** The roles of api.md § Authentication and roles. */
export type Role = 'admin' | 'sales-ops' | 'finance' | 'manager' | 'rep' | 'compliance' | 'service';

export const ALL_ROLES: readonly Role[] = ['admin', 'sales-ops', 'finance', 'manager', 'rep', 'compliance', 'service'];

export const ROLES_KEY = 'auth:roles';
export const PUBLIC_KEY = 'auth:public';

/**
 * The roles that may call a route (or every route of a controller). `admin` is always allowed, so
 * `@Roles()` with no role means admin only. A route with neither `@Roles` nor `@Public` is refused
 * to everyone (403): every endpoint states its rule.
 */
export function Roles(...roles: Role[]): MethodDecorator & ClassDecorator {
  const allowed = ['admin', ...roles.filter((r) => r !== 'admin')];
  return applyDecorators(
    SetMetadata(ROLES_KEY, allowed),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: no bearer token, or an invalid or expired one' }),
    ApiForbiddenResponse({ description: `FORBIDDEN: roles allowed: ${allowed.join(', ')}` }),
  );
}

/** No token needed (health, metrics). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_KEY, true);
}
