import { ApiProperty } from '@nestjs/swagger';

/** The answer to every successful command (HTTP 201). */
export class CommandAcceptedDto {
  @ApiProperty({ example: 'O1', description: "The command's own id" })
  id!: string;

  @ApiProperty({ example: 'order-O1' })
  streamId!: string;

  @ApiProperty({ example: '42', description: 'Global position of its last event, as a string' })
  position!: string;
}
