import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpLifecycle } from '../health/lifecycle';
import { httpRequestDuration, httpRequestsTotal } from '../metrics/app-metrics';
import { newCorrelationId, parseCorrelationId, runWithLogContext } from './correlation';

type ObservedRequest = Request & { correlationId?: string; user?: { sub?: string } };

/** The request's correlation id (set by the observer; a bare request parses its header). */
export function correlationIdOf(request: Request): string {
  const observed = request as ObservedRequest;
  observed.correlationId ??= parseCorrelationId(request.headers['x-correlation-id']) ?? newCorrelationId();
  return observed.correlationId;
}

/**
 * The route template of an answered request (`/api/v1/orders/:id`), never the raw URL (bounded
 * label values): `static` for the dashboard's files, `unmatched` for anything no route took.
 */
export function routeOf(req: Request, status: number): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl ?? ''}${route.path}`;
  return status === 404 || status === 405 ? 'unmatched' : 'static';
}

/** The lifecycle of an app made by createHttpApp (in-flight requests, draining). */
export function httpLifecycleOf(app: { getHttpAdapter(): { getInstance(): unknown } }): HttpLifecycle {
  const locals = (app.getHttpAdapter().getInstance() as { locals: { httpLifecycle?: HttpLifecycle } }).locals;
  return (locals.httpLifecycle ??= new HttpLifecycle());
}

/**
 * First middleware of the app: gives the request its correlation id (a sane `X-Correlation-Id`,
 * else a new UUID), echoes it in the answer's `X-Correlation-Id`, counts the request in flight,
 * and when the answer is over writes one access log line (method, route, status, duration, the
 * client's `sub`, correlation id: never headers or bodies) and the HTTP metrics.
 */
export function observeHttp(app: NestExpressApplication): HttpLifecycle {
  const lifecycle = httpLifecycleOf(app);
  const log = new Logger('Http');
  const observe: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const correlationId = correlationIdOf(req);
    res.setHeader('X-Correlation-Id', correlationId);
    lifecycle.begin(req, res);
    res.once('close', () => {
      lifecycle.end(res);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      const route = routeOf(req, status);
      httpRequestsTotal.inc({ method: req.method, route, status: String(status) });
      httpRequestDuration.observe({ method: req.method, route }, seconds);
      log.log({
        msg: 'request',
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
        sub: (req as ObservedRequest).user?.sub ?? null,
        correlationId,
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    runWithLogContext({ correlationId }, next);
  };
  app.use(observe);
  return lifecycle;
}

/**
 * After the body parser (whose stream callbacks leave the request's async context): the log
 * context again, for everything the routes log.
 */
export function restoreLogContext(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) =>
    runWithLogContext({ correlationId: correlationIdOf(req) }, next);
}
