import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetCollectionKpisHttpController } from './collection-kpis/get-collection-kpis.http-controller';
import { GetCollectionKpisQueryHandler } from './collection-kpis/get-collection-kpis.query-handler';
import { GetDashboardHttpController } from './figures/get-dashboard.http-controller';
import { GetDashboardQueryHandler } from './figures/get-dashboard.query-handler';
import { DashboardUpdatesHttpController } from './live-updates/dashboard-updates.http-controller';
import { DashboardUpdatesService } from './live-updates/dashboard-updates.service';

/**
 * Target vs achievement vs collected, per salesperson, team or business unit and period, and a
 * stream telling dashboards when something changed.
 */
@Module({
  imports: [CqrsModule],
  controllers: [GetDashboardHttpController, GetCollectionKpisHttpController, DashboardUpdatesHttpController],
  providers: [GetDashboardQueryHandler, GetCollectionKpisQueryHandler, DashboardUpdatesService],
})
export class DashboardModule {}
