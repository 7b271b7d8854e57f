import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationFailedException } from './problem';
import { ID_MESSAGE, ID_PATTERN } from './validators';

/** Path ids follow the same rule as ids in bodies; anything else is 400, not 404 or 500. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
      throw new ValidationFailedException([{ field: 'id', message: `id ${ID_MESSAGE}` }]);
    }
    return value;
  }
}
