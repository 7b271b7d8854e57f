import type { SchemaParts } from '../../platform/src/database/data-source';
import { TrackToCash1763900000200 } from './order-status/1763900000200-track-to-cash.migration';
import { TrackToCashOrderTotals1763900000201 } from './order-status/1763900000201-track-to-cash-order-totals.migration';
import { TrackToCashProjector } from './order-status/track-to-cash.projector';

export { TrackToCashModule } from './track-to-cash.module';
export const TRACK_TO_CASH_SCHEMA: SchemaParts = {
  entities: [],
  migrations: [TrackToCash1763900000200, TrackToCashOrderTotals1763900000201],
};
export const trackToCashProjectors = () => [new TrackToCashProjector()];
