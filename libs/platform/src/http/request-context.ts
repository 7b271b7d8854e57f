import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/** Who is asking, and the ids that tie the resulting events to this request. */
export interface RequestContext {
  readonly actor: string;
  readonly correlationId: string;
  readonly requestId: string;
}

const SAFE_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

export function requestContextOf(request: Request): RequestContext {
  const state = request as Request & { requestContext?: RequestContext; user?: { sub?: string } };
  if (state.requestContext) return state.requestContext;
  const header = request.header('x-correlation-id');
  const context: RequestContext = {
    actor: state.user?.sub ?? 'anonymous',
    correlationId: header && SAFE_ID.test(header) ? header : randomUUID(),
    requestId: randomUUID(),
  };
  state.requestContext = context;
  return context;
}

export const Ctx = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestContext =>
  requestContextOf(ctx.switchToHttp().getRequest<Request>()),
);
