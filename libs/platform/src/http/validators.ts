import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
  ValidateNested,
} from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { isValidDate } from '../../../shared-kernel/src/time';

/** Ids chosen by clients: letters, digits and `_ . : -`, up to 100 characters. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
export const ID_MESSAGE = 'must be 1-100 characters of letters, digits, _ . : - and start with a letter or digit';

export function IsId(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    IsString(options)(target, key);
    Matches(ID_PATTERN, { ...options, message: `$property ${ID_MESSAGE}` })(target, key);
  };
}

/** `YYYY-MM-DD`, a real calendar date. */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isDateOnly',
      target: target.constructor,
      propertyName: key as string,
      options: { message: '$property must be a date YYYY-MM-DD', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && isValidDate(v) },
    });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with a zone (`Z` or an offset), between years 1970 and 9999. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: key as string,
      options: { message: '$property must be an ISO-8601 instant such as 2026-01-10T09:30:00Z', ...options },
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string' || !INSTANT.test(v)) return false;
          const t = Date.parse(v);
          return !Number.isNaN(t) && t >= 0 && t < Date.parse('9999-12-31T00:00:00Z') && isValidDate(v.slice(0, 10));
        },
      },
    });
}

/** Basis points: an integer 0..10000. */
export function IsBps(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    IsInt(options)(target, key);
    Min(0, options)(target, key);
    Max(10_000, options)(target, key);
  };
}

export function IsSafeAmount(min: number, options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    IsInt(options)(target, key);
    Min(min, options)(target, key);
    Max(Number.MAX_SAFE_INTEGER, options)(target, key);
  };
}

export class MoneyDto {
  @ApiProperty({ example: 10000000, description: 'Minor units (cents), an integer' })
  @IsSafeAmount(1)
  amount!: number;

  @ApiProperty({ example: 'USD', description: 'ISO-4217 code' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO-4217 code such as USD' })
  currency!: string;
}

export class SalesCreditDto {
  @ApiProperty({ example: 'alice' })
  @IsId()
  salespersonId!: string;

  @ApiProperty({ example: 6000, description: 'Share in basis points; all credits total 10000' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  splitBps!: number;
}

/** A list of sales credits (1-20 entries); their sum is a business rule (422), checked by the decider. */
export function IsSalesCredits(): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMinSize(1)(target, key);
    ArrayMaxSize(20)(target, key);
    ValidateNested({ each: true })(target, key);
    Type(() => SalesCreditDto)(target, key);
  };
}

/** Marks a nested DTO for class-transformer. */
export const Nested = (type: () => new () => unknown) => Type(type);

export function sumIs(expected: number) {
  return (args: ValidationArguments) => `${args.property} must total ${expected}`;
}
