import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ListClawbacksHttpController } from './clawbacks/list-clawbacks.http-controller';
import { ListClawbacksQueryHandler } from './clawbacks/list-clawbacks.query-handler';
import { GetLedgerHttpController } from './commission-ledger/get-ledger.http-controller';
import { GetLedgerQueryHandler } from './commission-ledger/get-ledger.query-handler';

/** Commission queries. Its projectors are registered in COMMISSIONS_PROJECTORS. */
@Module({
  imports: [CqrsModule],
  controllers: [GetLedgerHttpController, ListClawbacksHttpController],
  providers: [GetLedgerQueryHandler, ListClawbacksQueryHandler],
})
export class CommissionsModule {}
