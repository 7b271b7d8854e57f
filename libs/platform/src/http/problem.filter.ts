import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../../../eventsourcing/src/decider';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../../eventsourcing/src/errors';
import { problem, type Problem, ProjectionBehindException, ValidationFailedException } from './problem';

const DB_UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|connection timeout|Client has encountered a connection error|Cannot use a pool after calling end|Connection is not established/i;

/** Socket errors, and PostgreSQL's SQLSTATEs for a server that is going away or not there yet. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const isUnavailableCode = (code: unknown): boolean =>
  typeof code === 'string' &&
  (UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin_shutdown
    code === '57P02' || // crash_shutdown
    code === '57P03'); // cannot_connect_now

/**
 * A lost or refused database connection (pg errors, TypeORM's QueryFailedError around them, the
 * event store's own error): a dependency is down, not a bug. Answered 503 with Retry-After.
 */
export function isDependencyUnavailable(exception: unknown): boolean {
  if (exception instanceof EventStoreUnavailableError) return true;
  if (!(exception instanceof Error)) return false;
  const e = exception as Error & { code?: unknown; driverError?: { code?: unknown; message?: unknown } };
  if (isUnavailableCode(e.code) || isUnavailableCode(e.driverError?.code)) return true;
  // AggregateError (a connect that tried several addresses) carries the socket errors inside.
  if (exception instanceof AggregateError && exception.errors.some((inner) => isDependencyUnavailable(inner))) {
    return true;
  }
  return DB_UNAVAILABLE.test(exception.message);
}

/** Every error leaves as application/problem+json (RFC 9457); nothing else is ever sent. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toProblem(exception, response);
    if (body.status >= 500 && body.code === 'INTERNAL') {
      this.logger.error(`${request.method} ${request.url}: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    if (response.headersSent) return;
    response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(exception: unknown, response: Response): Problem {
    if (exception instanceof ValidationFailedException) {
      return problem(400, 'VALIDATION_FAILED', exception.message, exception.errors);
    }
    if (exception instanceof DomainError) {
      const status = exception.kind === 'not_found' ? 404 : exception.kind === 'conflict' ? 409 : 422;
      return { ...exception.details, ...problem(status, exception.code, exception.message) };
    }
    if (exception instanceof DuplicateEventIdError) {
      // The command's own id was already used, on another stream: the same id with another body.
      return problem(409, 'IDEMPOTENCY_CONFLICT', 'This command id was already used for another request');
    }
    if (exception instanceof WrongExpectedRevisionError) {
      return problem(409, 'CONCURRENCY_CONFLICT', 'The stream changed concurrently; try again');
    }
    if (exception instanceof ProjectionBehindException) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      return problem(503, 'PROJECTION_BEHIND', exception.message);
    }
    if (isDependencyUnavailable(exception)) {
      response.setHeader('Retry-After', '1');
      return problem(503, 'UNAVAILABLE', 'A dependency is unavailable; try again shortly');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 401
          ? 'UNAUTHENTICATED'
          : status === 403
            ? 'FORBIDDEN'
            : status === 404
              ? 'NOT_FOUND'
              : status === 413
                ? 'PAYLOAD_TOO_LARGE'
                : status === 415
                  ? 'UNSUPPORTED_MEDIA_TYPE'
                  : status === 429
                    ? 'RATE_LIMITED'
                    : status < 500
                      ? 'BAD_REQUEST'
                      : status === 503
                        ? 'UNAVAILABLE'
                        : 'INTERNAL';
      const detail = typeof exception.getResponse() === 'string' ? String(exception.getResponse()) : exception.message;
      if (status === 400) return problem(400, 'VALIDATION_FAILED', detail);
      if (status === 503) response.setHeader('Retry-After', '5');
      return problem(status, code, detail);
    }
    // Errors raised by the body parser (malformed JSON, too large, bad charset) carry a status.
    const parserStatus = (exception as { status?: unknown; statusCode?: unknown } | null)?.status;
    if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500) {
      const type = (exception as { type?: string }).type;
      if (parserStatus === 413) return problem(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
      if (type === 'entity.parse.failed')
        return problem(400, 'VALIDATION_FAILED', 'The request body is not valid JSON');
      return problem(
        parserStatus,
        parserStatus === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_FAILED',
        'The request body could not be read',
      );
    }
    return problem(500, 'INTERNAL', 'An unexpected error occurred');
  }
}
