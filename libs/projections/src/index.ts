export * from './projector';
export * from './checkpoint.entity';
export * from './projection-runner';
export * from './projection-engine';
