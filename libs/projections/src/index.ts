export * from './projector';
export * from './checkpoint.entity';
export * from './projection-runner';
export * from './projection-engine';
export * from './shadow/shadow-schema';
export * from './shadow/shadow-build';
export * from './shadow/zero-downtime-rebuild';
export * from './shadow/compare-tables';
