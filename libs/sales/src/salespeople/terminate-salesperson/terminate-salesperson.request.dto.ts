import { ApiProperty } from '@nestjs/swagger';
import { IsDateOnly } from '../../../../platform/src/http/validators';

export class TerminateSalespersonRequestDto {
  @ApiProperty({ example: '2026-06-30' })
  @IsDateOnly()
  terminatedOn!: string;
}
