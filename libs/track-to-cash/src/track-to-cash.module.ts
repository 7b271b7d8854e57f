import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TrackToCashHttpController } from './order-status/track-to-cash.http-controller';
import {
  GetAgingHandler,
  GetOrderTrackToCashHandler,
  ListTrackToCashHandler,
} from './order-status/track-to-cash.queries';

/** Track-to-cash: order status, milestones and aging at any asOf. */
@Module({
  imports: [CqrsModule],
  controllers: [TrackToCashHttpController],
  providers: [GetOrderTrackToCashHandler, ListTrackToCashHandler, GetAgingHandler],
})
export class TrackToCashModule {}
