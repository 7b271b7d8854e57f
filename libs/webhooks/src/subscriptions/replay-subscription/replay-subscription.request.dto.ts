import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ReplaySubscriptionRequestDto {
  @ApiProperty({
    required: false,
    example: 'YzE6MTA0My83',
    description:
      'Deliver again strictly after this feed cursor (a nextCursor of GET /api/v1/events, or a subscription’s ' +
      'position); "" or absent: from the start of the log',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  from?: string;
}
