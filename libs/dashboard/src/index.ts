import type { SchemaParts } from '../../platform/src/database/data-source';
import { Dashboard1763900000300 } from './figures/1763900000300-dashboard.migration';
import { DashboardQuotaHistory1763900000301 } from './figures/1763900000301-dashboard-quota-history.migration';
import { DashboardFactTotals1763900000302 } from './figures/1763900000302-dashboard-fact-totals.migration';
import { DashboardChannels1763900000320 } from './figures/1763900000320-dashboard-channels.migration';
import { DashboardSecondarySales1763900000321 } from './figures/1763900000321-dashboard-secondary-sales.migration';
import { DashboardProjector } from './figures/dashboard.projector';

export { DashboardModule } from './dashboard.module';
export const DASHBOARD_SCHEMA: SchemaParts = {
  entities: [],
  migrations: [
    Dashboard1763900000300,
    DashboardQuotaHistory1763900000301,
    DashboardFactTotals1763900000302,
    DashboardChannels1763900000320,
    DashboardSecondarySales1763900000321,
  ],
};
export const dashboardProjectors = () => [new DashboardProjector()];
