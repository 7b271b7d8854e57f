import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BrokenLinkDto {
  @ApiProperty({ example: '42', nullable: true, type: String, description: 'null for a missing event or a seal' })
  globalPosition!: string | null;
  @ApiProperty({ example: '0b6f3c1e-8c1a-5d2e-9f00-1a2b3c4d5e6f', nullable: true, type: String })
  eventId!: string | null;
  @ApiProperty({ example: 'order-O1', nullable: true, type: String }) streamId!: string | null;
  @ApiProperty({ example: '2', nullable: true, type: String, description: 'for a missing event: the missing revision' })
  streamRevision!: string | null;
  @ApiPropertyOptional({ example: 3, description: 'the seal, for a seal-level break' }) sealNo?: number;
  @ApiProperty({ example: 'the content does not match its hash: the event was edited' }) reason!: string;
  @ApiPropertyOptional({ example: '9f2c…' }) expected?: string;
  @ApiPropertyOptional({ example: '41d0…' }) actual?: string;
}

export class LastSealDto {
  @ApiProperty({ example: 12 }) sealNo!: number;
  @ApiProperty({ example: '5e0b8f3c9a1d4e7f2b6c8a0d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f' }) hash!: string;
  @ApiProperty({ example: '1043/57', description: 'log position (major/minor) of its last event' })
  lastPosition!: string;
}

export class VerifyLogResultDto {
  @ApiProperty({ example: true, description: 'false when a link is broken (still 200)' }) ok!: boolean;
  @ApiProperty({ example: 57 }) eventsChecked!: number;
  @ApiProperty({ example: 11 }) streamsChecked!: number;
  @ApiProperty({ example: 12 }) sealsChecked!: number;
  @ApiProperty({ example: 0, description: 'events after the last seal (not sealed yet)' }) unsealedEvents!: number;
  @ApiProperty({
    type: LastSealDto,
    nullable: true,
    description: 'note its hash outside the system and check it later with expectSeal',
  })
  lastSeal!: LastSealDto | null;
  @ApiProperty({ type: BrokenLinkDto, nullable: true, example: null }) firstBrokenLink!: BrokenLinkDto | null;
  @ApiProperty({ example: 0 }) brokenLinkCount!: number;
  @ApiProperty({ type: [BrokenLinkDto], example: [], description: 'at most 20' }) brokenLinks!: BrokenLinkDto[];
}
