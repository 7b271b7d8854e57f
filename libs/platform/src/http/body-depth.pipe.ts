import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException } from './problem';

/** Deepest nesting a request body may have; ours need 4. */
export const MAX_BODY_DEPTH = 32;

/**
 * The nesting depth of a JSON value, computed without recursion (a hostile body cannot overflow
 * the stack). A `__proto__` key (which JSON.parse keeps as an own property and class-transformer
 * silently drops instead of reporting it as unknown) counts as infinitely deep.
 */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    if (!Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, '__proto__')) return Number.POSITIVE_INFINITY;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Refuses bodies nested deeper than MAX_BODY_DEPTH with 400 before any other pipe walks them. */
@Injectable()
export class BodyDepthPipe implements PipeTransform {
  transform(value: unknown, metadata: { type: string }): unknown {
    if (metadata.type !== 'body') return value;
    const depth = jsonDepth(value, MAX_BODY_DEPTH);
    if (depth === Number.POSITIVE_INFINITY) {
      throw new ValidationFailedException([{ field: '__proto__', message: 'unknown field, should not exist' }]);
    }
    if (depth > MAX_BODY_DEPTH) {
      throw new ValidationFailedException(
        [{ field: '(body)', message: `must not be nested deeper than ${MAX_BODY_DEPTH} levels` }],
        'The request body is nested too deeply',
      );
    }
    return value;
  }
}
