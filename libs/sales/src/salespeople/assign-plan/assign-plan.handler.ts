import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope, loadState, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { SALES_SCHEMA_VERSIONS, streams } from '../../contracts/sales.events';
import { evolvePlan, initialPlanState } from '../../plans/plan.state';
import type { AssignPlan } from './assign-plan.command';
import { assignPlanDecider } from './assign-plan.decide';

export class AssignPlanMessage extends CommandEnvelope<AssignPlan> {}

@CommandHandler(AssignPlanMessage)
export class AssignPlanHandler implements ICommandHandler<AssignPlanMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(message: AssignPlanMessage): Promise<CommandAcceptedDto> {
    const { salespersonId, planId, assignmentId } = message.command;
    const plan = await loadState(this.store, streams.plan(planId), initialPlanState, evolvePlan);
    return runCommand(
      this.store,
      streams.salesperson(salespersonId),
      assignPlanDecider(plan),
      message,
      'AssignPlan',
      assignmentId,
      SALES_SCHEMA_VERSIONS,
    );
  }
}
