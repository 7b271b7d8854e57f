import { Module } from '@nestjs/common';
import { PostAdjustmentHandler } from './adjustments/post-adjustment/post-adjustment.handler';
import { PostAdjustmentHttpController } from './adjustments/post-adjustment/post-adjustment.http-controller';
import { ClosePeriodHandler } from './periods/close-period/close-period.handler';
import { ClosePeriodHttpController } from './periods/close-period/close-period.http-controller';
import { GetStatementHttpController } from './statements/get-statement.http-controller';
import { RecordPayoutHandler } from './payouts/record-payout/record-payout.handler';
import { RecordPayoutHttpController } from './payouts/record-payout/record-payout.http-controller';
import { CqrsModule } from '@nestjs/cqrs';
import { ListClawbacksHttpController } from './clawbacks/list-clawbacks.http-controller';
import { ListClawbacksQueryHandler } from './clawbacks/list-clawbacks.query-handler';
import { GetLedgerHttpController } from './commission-ledger/get-ledger.http-controller';
import { GetLedgerQueryHandler } from './commission-ledger/get-ledger.query-handler';
import { RecalculateCommissionsHandler } from './recalculations/recalculate-commissions/recalculate-commissions.handler';
import { RecalculateCommissionsHttpController } from './recalculations/recalculate-commissions/recalculate-commissions.http-controller';

/** Commission queries. Its projectors are registered in COMMISSIONS_PROJECTORS. */
@Module({
  imports: [CqrsModule],
  controllers: [
    GetLedgerHttpController,
    ListClawbacksHttpController,
    PostAdjustmentHttpController,
    RecordPayoutHttpController,
    ClosePeriodHttpController,
    GetStatementHttpController,
    RecalculateCommissionsHttpController,
  ],
  providers: [
    GetLedgerQueryHandler,
    ListClawbacksQueryHandler,
    PostAdjustmentHandler,
    RecordPayoutHandler,
    ClosePeriodHandler,
    RecalculateCommissionsHandler,
  ],
})
export class CommissionsModule {}
