import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsId } from '../../../../platform/src/http/validators';
import { MAX_URL_LENGTH } from '../../delivery/receiver-url';

export class CreateSubscriptionRequestDto {
  @ApiProperty({ required: false, example: 'erp-sync', description: 'Your own id; default: a new UUID' })
  @IsOptional()
  @IsId()
  subscriptionId?: string;

  @ApiProperty({
    example: 'https://hooks.example.com/commissions',
    description: 'Where deliveries are POSTed: an absolute http(s) URL without credentials',
  })
  @IsString()
  @MaxLength(MAX_URL_LENGTH)
  url!: string;

  @ApiProperty({
    example: ['SaleBooked', 'PaymentReceived'],
    description: 'The event types to deliver; empty: every type',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, {
    each: true,
    message: 'each of eventTypes must be an event type (letters, digits, _ . : -)',
  })
  eventTypes!: string[];

  @ApiProperty({
    required: false,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Standard Webhooks secret: `whsec_` + base64 of 24-64 random bytes; default: one is made',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  secret?: string;

  @ApiProperty({
    required: false,
    example: '',
    description:
      'Deliver the events strictly after this feed cursor (a nextCursor of GET /api/v1/events); "": from the ' +
      'start of the log; absent: only events appended from now on',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  from?: string;
}
