import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE } from '../../../../platform/src/cqrs/tokens';
import { CommandEnvelope, runCommand } from '../../../../platform/src/cqrs/run-command';
import type { CommandAcceptedDto } from '../../../../platform/src/http/command-response.dto';
import { ProjectionBehindException } from '../../../../platform/src/http/problem';
import type { ProjectionEngine } from '../../../../projections/src/projection-engine';
import { COMMISSIONS_SCHEMA_VERSIONS, PERIODS_STREAM } from '../../contracts/commissions.events';
import type { ClosePeriod } from './close-period.command';
import { closePeriodDecider } from './close-period.decide';
import { closeSnapshot } from './period-statements';

export class ClosePeriodMessage extends CommandEnvelope<ClosePeriod> {}

/**
 * Waits until the ledger has applied everything recorded so far, then reads every salesperson's
 * statement and the ledger's checkpoint from ONE snapshot (`closeSnapshot`, REPEATABLE READ) and
 * records them in PeriodClosed with `throughLogPosition`. An event the ledger applies after that
 * snapshot but before PeriodClosed is in the log is not in the recorded statements: when the
 * ledger reaches PeriodClosed it reposts that event's entries to the next period, so the ledger
 * (and any rebuild) agrees with the recorded statements exactly.
 */
@CommandHandler(ClosePeriodMessage)
export class ClosePeriodHandler implements ICommandHandler<ClosePeriodMessage, CommandAcceptedDto> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(PROJECTION_ENGINE) private readonly engine: ProjectionEngine,
  ) {}

  async execute(message: ClosePeriodMessage): Promise<CommandAcceptedDto> {
    const { period } = message.command;
    try {
      await this.engine.waitUntilCaughtUp(10_000, ['commission-ledger']);
    } catch {
      throw new ProjectionBehindException(2, 'The commission ledger is still catching up; try closing again shortly');
    }
    const snapshot = await closeSnapshot(this.db, period);
    const command: ClosePeriod = {
      ...message.command,
      statements: snapshot.statements,
      earlierPeriodsWithActivity: snapshot.earlierPeriodsWithActivity,
      throughPosition: snapshot.throughPosition,
      throughLogPosition: snapshot.throughLogPosition,
    };
    return runCommand(
      this.store,
      PERIODS_STREAM,
      closePeriodDecider,
      new ClosePeriodMessage(command, message.context, message.request),
      'ClosePeriod',
      period,
      COMMISSIONS_SCHEMA_VERSIONS,
    );
  }
}
