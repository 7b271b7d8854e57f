import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { comparePositions, type EventStore, parseLogPosition } from '../../../eventsourcing/src/index';
import type { WaitOutcome } from '../../../projections/src/projection-engine';
import { EVENT_STORE, READ_DATA_SOURCE } from '../cqrs/tokens';
import { ProjectionBehindException, ValidationFailedException } from './problem';

const PROJECTIONS_KEY = 'consistent-read:projections';
export const CONSISTENCY_TIMEOUT_MS = 5000;

/**
 * Read-your-writes: with `X-Consistent-Position: <position>` the query waits (at most 5 s) until
 * the named projections have applied that position, else answers 503 PROJECTION_BEHIND. The wait
 * reads the checkpoints through READ_DATA_SOURCE, the connection the queries use: on a read replica
 * (DATABASE_READ_URL) it lasts until the replica has replayed the checkpoint, not just the primary.
 */
export function ConsistentRead(...projections: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(PROJECTIONS_KEY, projections),
    UseInterceptors(ConsistentReadInterceptor),
    ApiHeader({
      name: 'X-Consistent-Position',
      required: false,
      description: 'A position returned by a command: answer only after it is reflected (waits at most 5 s)',
    }),
  );
}

@Injectable()
export class ConsistentReadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DATA_SOURCE) private readonly readDb: DataSource,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const names = this.reflector.getAllAndOverride<string[] | undefined>(PROJECTIONS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const header = context.switchToHttp().getRequest<Request>().header('x-consistent-position');
    if (names && names.length > 0 && header !== undefined) {
      if (!/^\d{1,19}$/.test(header.trim())) {
        throw new ValidationFailedException([
          { field: 'X-Consistent-Position', message: 'must be a position returned by a command' },
        ]);
      }
      const outcome = await waitForCheckpoints(
        this.readDb,
        this.store,
        names,
        BigInt(header.trim()),
        CONSISTENCY_TIMEOUT_MS,
      );
      if (outcome === 'unknown_position') {
        throw new ValidationFailedException([
          { field: 'X-Consistent-Position', message: 'no event has this position' },
        ]);
      }
      if (outcome === 'timeout') {
        throw new ProjectionBehindException(
          1,
          `Projections ${names.join(', ')} have not reached position ${header.trim()} yet`,
        );
      }
    }
    return next.handle();
  }
}

/**
 * Waits until every named projection's checkpoint, as `db` sees it, is at or past the event at
 * `globalPosition`. A checkpoint commits in the same transaction as its read-model rows, so once a
 * connection sees the checkpoint it sees those rows too (a streaming replica replays whole
 * transactions in commit order). Polls with a backoff from 5 to 50 ms.
 */
export async function waitForCheckpoints(
  db: DataSource,
  store: EventStore,
  names: readonly string[],
  globalPosition: bigint,
  timeoutMs: number,
): Promise<WaitOutcome> {
  const target = await store.logPositionOf(globalPosition);
  if (!target) return 'unknown_position';
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const rows = (await db.query('SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[])', [
      names,
    ])) as Array<{ name: string; position: string }>;
    const reached = names.every((n) => {
      const row = rows.find((r) => r.name === n);
      const at = row ? parseLogPosition(row.position) : null;
      return at !== null && comparePositions(at, target) >= 0;
    });
    if (reached) return 'reached';
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(1, deadline - Date.now()))));
    delay = Math.min(delay * 2, 50);
  }
}
