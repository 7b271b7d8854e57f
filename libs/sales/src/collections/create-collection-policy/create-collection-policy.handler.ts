import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { collectionStreams } from '../../contracts/collections.events';
import { SALES_SCHEMA_VERSIONS } from '../../contracts/sales.events';
import type { CreateCollectionPolicy } from './create-collection-policy.command';
import { createCollectionPolicyDecider } from './create-collection-policy.decide';

export class CreateCollectionPolicyMessage extends CommandEnvelope<CreateCollectionPolicy> {}

@CommandHandler(CreateCollectionPolicyMessage)
export class CreateCollectionPolicyHandler implements ICommandHandler<
  CreateCollectionPolicyMessage,
  CommandAcceptedDto
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: CreateCollectionPolicyMessage): Promise<CommandAcceptedDto> {
    return runCommand(
      this.store,
      collectionStreams.policy(message.command.policyId),
      createCollectionPolicyDecider,
      message,
      'CreateCollectionPolicy',
      message.command.policyId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
