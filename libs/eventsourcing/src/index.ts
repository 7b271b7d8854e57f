export * from './event';
export * from './event-store.port';
export * from './errors';
export * from './decider';
export * from './ids';
export * from './event-hash';
export * from './handle-command';
