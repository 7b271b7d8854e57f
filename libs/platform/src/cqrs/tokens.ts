/** DI tokens shared by the apps and the business modules. */
export { EVENT_STORE } from './event-store.token';
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const PROJECTION_ENGINE = Symbol('PROJECTION_ENGINE');
export const SETTINGS = Symbol('SETTINGS');
