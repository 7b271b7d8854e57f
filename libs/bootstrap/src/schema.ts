import { COMMISSIONS_SCHEMA, commissionsProjectors } from '../../commissions/src/index';
import type { SchemaParts } from '../../platform/src/database/data-source';
import type { Projector } from '../../projections/src/projector';

/** Every read-model table and migration of the business modules. */
export const APP_SCHEMA: SchemaParts = {
  entities: [...COMMISSIONS_SCHEMA.entities],
  migrations: [...COMMISSIONS_SCHEMA.migrations],
};

/** Every projector, in a fresh instance. */
export function allProjectors(): Projector[] {
  return [...commissionsProjectors()];
}
