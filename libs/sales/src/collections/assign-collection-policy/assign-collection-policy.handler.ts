import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { collectionStreams } from '../../contracts/collections.events';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { evolveCollectionPolicy, initialCollectionPolicyState } from '../collection-policy.state';
import type { AssignCollectionPolicy } from './assign-collection-policy.command';
import { assignCollectionPolicyDecider } from './assign-collection-policy.decide';

export class AssignCollectionPolicyMessage extends CommandEnvelope<AssignCollectionPolicy> {}

@CommandHandler(AssignCollectionPolicyMessage)
export class AssignCollectionPolicyHandler implements ICommandHandler<
  AssignCollectionPolicyMessage,
  CommandAcceptedDto
> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: AssignCollectionPolicyMessage): Promise<CommandAcceptedDto> {
    const { customerId, policyId, assignmentId } = message.command;
    const policy = await loadState(
      this.store,
      collectionStreams.policy(policyId),
      initialCollectionPolicyState,
      evolveCollectionPolicy,
    );
    return runCommand(
      this.store,
      streams.customer(customerId),
      assignCollectionPolicyDecider(policy),
      message,
      'AssignCollectionPolicy',
      assignmentId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
