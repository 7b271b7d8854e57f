import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { IsDateOnly, IsId } from '../../../../platform/src/http/validators';

export class RegisterSalespersonRequestDto {
  @ApiProperty({ example: 'alice' })
  @IsId()
  salespersonId!: string;

  @ApiProperty({ example: 'Alice Martin' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'carol' })
  @IsOptional()
  @IsId()
  managerId?: string;

  @ApiPropertyOptional({ example: 'team-east' })
  @IsOptional()
  @IsId()
  teamId?: string;

  @ApiProperty({ example: '2025-03-01' })
  @IsDateOnly()
  hiredOn!: string;
}
