import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetLedgerHttpController } from './commission-ledger/get-ledger.http-controller';
import { GetLedgerQueryHandler } from './commission-ledger/get-ledger.query-handler';

/** Commission queries. Its projectors are registered in COMMISSIONS_PROJECTORS. */
@Module({
  imports: [CqrsModule],
  controllers: [GetLedgerHttpController],
  providers: [GetLedgerQueryHandler],
})
export class CommissionsModule {}
