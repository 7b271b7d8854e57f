import { AUDIT_SCHEMA, auditProjectors } from '../../audit/src/index';
import { COMMISSIONS_SCHEMA, commissionsProjectors } from '../../commissions/src/index';
import { DASHBOARD_SCHEMA, dashboardProjectors } from '../../dashboard/src/index';
import type { SchemaParts } from '../../platform/src/database/data-source';
import type { Projector } from '../../projections/src/projector';
import { TRACK_TO_CASH_SCHEMA, trackToCashProjectors } from '../../track-to-cash/src/index';
import { COLLECTION_TASKS_SCHEMA, collectionTasksProjectors } from '../../track-to-cash/src/collection-tasks/index';
import { WEBHOOKS_SCHEMA } from '../../webhooks/src/index';

/** Every read-model table and migration of the business modules. */
export const APP_SCHEMA: SchemaParts = {
  entities: [...COMMISSIONS_SCHEMA.entities, ...TRACK_TO_CASH_SCHEMA.entities, ...DASHBOARD_SCHEMA.entities],
  migrations: [
    ...COMMISSIONS_SCHEMA.migrations,
    ...TRACK_TO_CASH_SCHEMA.migrations,
    ...COLLECTION_TASKS_SCHEMA.migrations,
    ...DASHBOARD_SCHEMA.migrations,
    ...AUDIT_SCHEMA.migrations,
    ...WEBHOOKS_SCHEMA.migrations,
  ],
};

/** Every projector, in a fresh instance. */
export function allProjectors(): Projector[] {
  return [
    ...commissionsProjectors(),
    ...trackToCashProjectors(),
    ...collectionTasksProjectors(),
    ...dashboardProjectors(),
    ...auditProjectors(),
  ];
}
