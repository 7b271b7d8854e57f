import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CollectionTasksHttpController } from './collection-tasks.http-controller';
import { ListCollectionTasksHandler } from './collection-tasks.queries';

/** Collection tasks: each person's worklist at asOf, and the due scan (issue 9, items 2 and 5). */
@Module({
  imports: [CqrsModule],
  controllers: [CollectionTasksHttpController],
  providers: [ListCollectionTasksHandler],
})
export class CollectionTasksModule {}
