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
import type { ProjectionEngine } from '../../../projections/src/projection-engine';
import { PROJECTION_ENGINE } from '../cqrs/tokens';
import { ProjectionBehindException, ValidationFailedException } from './problem';

const PROJECTIONS_KEY = 'consistent-read:projections';
export const CONSISTENCY_TIMEOUT_MS = 5000;

/**
 * Read-your-writes: with `X-Consistent-Position: <position>` the query waits (at most 5 s) until
 * the named projections have applied that position, else answers 503 PROJECTION_BEHIND.
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
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
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
      const outcome = await this.engine.waitFor(names, BigInt(header.trim()), CONSISTENCY_TIMEOUT_MS);
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
