import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { setUser } from './auth-user';
import { JwksUnavailableError, JwtError, JwtVerifier } from './jwt';
import { PUBLIC_KEY, ROLES_KEY } from './roles';

/** How bearer tokens are verified; provided by the composition root (startSystem). */
export interface AuthConfig {
  /** HS256 secret: AUTH_JWT_SECRET, or the local secret of an embedded start. */
  readonly hs256Secret: string | null;
  /** AUTH_JWKS_URL: RS256/ES256 keys of an identity provider. */
  readonly jwksUrl: string | null;
}

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

const verifiers = new WeakMap<AuthConfig, JwtVerifier>();

/**
 * The one verifier (and so the one JWKS cache) of an AuthConfig: shared by the guard and the rate
 * limiter, which keys clients by a valid token's `sub`.
 */
export function verifierFor(config: AuthConfig): JwtVerifier {
  let verifier = verifiers.get(config);
  if (verifier === undefined) {
    verifier = new JwtVerifier({ hs256Secret: config.hs256Secret, jwksUrl: config.jwksUrl });
    verifiers.set(config, verifier);
  }
  return verifier;
}

const BEARER = /^Bearer +([^\s]+) *$/i;

/**
 * The global guard (APP_GUARD): `@Public()` routes pass; every other route needs a valid bearer
 * token (401 UNAUTHENTICATED), puts the caller on `request.user` (so the actor reaches the events'
 * metadata), and must carry a `@Roles` rule the caller satisfies (403 FORBIDDEN). A route without
 * a rule is refused to everyone, admin included.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verifier: JwtVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_CONFIG) config: AuthConfig,
  ) {
    this.verifier = verifierFor(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const header = request.header('authorization');
    if (header === undefined || header.trim() === '') {
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A bearer token is required: Authorization: Bearer <JWT>');
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      response.setHeader('WWW-Authenticate', 'Bearer error="invalid_request"');
      throw new UnauthorizedException('The Authorization header must be: Bearer <JWT>');
    }
    let claims;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof JwtError) {
        response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new UnauthorizedException(error.message);
      }
      if (error instanceof JwksUnavailableError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
    setUser(request, {
      sub: claims.sub,
      roles: [...claims.roles],
      ...(claims.salespersonId !== undefined ? { salespersonId: claims.salespersonId } : {}),
      ...(claims.teamId !== undefined ? { teamId: claims.teamId } : {}),
    });

    const allowed = this.reflector.getAllAndOverride<readonly string[] | undefined>(ROLES_KEY, targets);
    if (!allowed) throw new ForbiddenException('This endpoint has no access rule, so it is refused to everyone');
    if (!claims.roles.some((role) => allowed.includes(role))) {
      throw new ForbiddenException(`This endpoint needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
