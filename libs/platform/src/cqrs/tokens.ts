/** DI tokens shared by the apps and the business modules. */
export { EVENT_STORE } from './event-store.token';
/** The primary database: commands, projections, checkpoints, the PostgreSQL event log. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');
/**
 * Where read-model queries go: a DataSource on DATABASE_READ_URL (a read replica, which may lag the
 * primary), or the primary DataSource itself when that is unset. Only for queries that read read
 * models and may be a little stale (X-Consistent-Position waits on this connection's checkpoints).
 */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');
export const PROJECTION_ENGINE = Symbol('PROJECTION_ENGINE');
export const SETTINGS = Symbol('SETTINGS');
