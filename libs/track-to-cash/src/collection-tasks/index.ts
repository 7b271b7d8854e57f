import type { SchemaParts } from '../../../platform/src/database/data-source';
import { CollectionTasks1763900000230 } from './1763900000230-collection-tasks.migration';
import { CollectionTasksProjector } from './collection-tasks.projector';

export { CollectionTasksModule } from './collection-tasks.module';
export { CollectionDueScan } from './due-scan/collection-due-scan';
export { CollectionDueScheduler } from './due-scan/collection-due-scheduler';
export const COLLECTION_TASKS_SCHEMA: SchemaParts = { entities: [], migrations: [CollectionTasks1763900000230] };
export const collectionTasksProjectors = () => [new CollectionTasksProjector()];
