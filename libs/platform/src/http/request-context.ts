import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { correlationIdOf } from '../logging/http-observability';

/** Who is asking, and the ids that tie the resulting events to this request. */
export interface RequestContext {
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId: string;
}

/**
 * The request's context, made once after authentication. The correlation id is the one the HTTP
 * observer gave the request (the client's sane `X-Correlation-Id`, else a new UUID): the same id
 * is in the answer's header, in every log line of the request and in the events' metadata.
 */
export function requestContextOf(request: Request): RequestContext {
  const state = request as Request & { requestContext?: RequestContext; user?: { sub?: string } };
  if (state.requestContext) return state.requestContext;
  const context: RequestContext = {
    actor: state.user?.sub ?? 'anonymous',
    correlationId: correlationIdOf(request),
    requestId: randomUUID(),
  };
  state.requestContext = context;
  return context;
}

export const Ctx = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestContext =>
  requestContextOf(ctx.switchToHttp().getRequest<Request>()),
);
