import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import type { CreatePlan } from './create-plan.command';
import { createPlanDecider } from './create-plan.decide';

export class CreatePlanMessage extends CommandEnvelope<CreatePlan> {}

@CommandHandler(CreatePlanMessage)
export class CreatePlanHandler implements ICommandHandler<CreatePlanMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: CreatePlanMessage): Promise<CommandAcceptedDto> {
    const { planId } = message.command;
    return runCommand(
      this.store,
      streams.plan(planId),
      createPlanDecider,
      message,
      'CreatePlan',
      planId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
