import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { CommandEnvelope } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import type { RegisterCustomer } from '../../customers/register-customer/register-customer.command';
import { registerCustomer } from '../../customers/register-customer/register-customer.handler';

/** A RegisterCustomer with `distributor: true`, recorded as the command RegisterDistributor. */
export class RegisterDistributorMessage extends CommandEnvelope<RegisterCustomer & { readonly distributor: true }> {}

/** A distributor is a customer (stream customer-<id>), decided by the register-customer decider. */
@CommandHandler(RegisterDistributorMessage)
export class RegisterDistributorHandler implements ICommandHandler<RegisterDistributorMessage, CommandAcceptedDto> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute(message: RegisterDistributorMessage): Promise<CommandAcceptedDto> {
    return registerCustomer(this.store, message, 'RegisterDistributor');
  }
}
