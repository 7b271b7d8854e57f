import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';

/** The authenticated caller, as the AuthGuard puts it on `request.user`. */
export interface AuthUser {
  readonly sub: string;
  /** As the token says; unknown roles are kept but grant nothing. */
  readonly roles: readonly string[];
  readonly salespersonId?: string;
  readonly teamId?: string;
}

type WithUser = Request & { user?: AuthUser };

export function setUser(request: Request, user: AuthUser): void {
  (request as WithUser).user = user;
}

/** The caller of a guarded route; a route reached without the guard has none (401). */
export function userOf(request: Request): AuthUser {
  const user = (request as WithUser).user;
  if (!user) throw new UnauthorizedException('Authentication required');
  return user;
}

/** `@CurrentUser() user: AuthUser` in a controller method. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser =>
  userOf(ctx.switchToHttp().getRequest<Request>()),
);
