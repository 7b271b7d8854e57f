import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetDashboardHttpController } from './figures/get-dashboard.http-controller';
import { GetDashboardQueryHandler } from './figures/get-dashboard.query-handler';

/** Target vs achievement vs collected, per salesperson, team or business unit and period. */
@Module({
  imports: [CqrsModule],
  controllers: [GetDashboardHttpController],
  providers: [GetDashboardQueryHandler],
})
export class DashboardModule {}
