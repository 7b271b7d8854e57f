import { CommissionLedger1763900000100 } from './commission-ledger/1763900000100-commission-ledger.migration';
import { LedgerClosedPeriods1763900000102 } from './commission-ledger/1763900000102-ledger-closed-periods.migration';
import { LedgerOrderCredits1763900000101 } from './commission-ledger/1763900000101-ledger-order-credits.migration';
import { LedgerEntryReposts1763900000103 } from './commission-ledger/1763900000103-ledger-entry-reposts.migration';
import { LedgerPlansAndChannels1763900000104 } from './commission-ledger/1763900000104-ledger-plans-and-channels.migration';
import { LEDGER_ENTITIES } from './commission-ledger/commission-ledger.entity';
import { CommissionLedgerProjector } from './commission-ledger/commission-ledger.projector';

export { CommissionsModule } from './commissions.module';
export const COMMISSIONS_SCHEMA = {
  entities: [...LEDGER_ENTITIES],
  migrations: [
    CommissionLedger1763900000100,
    LedgerOrderCredits1763900000101,
    LedgerClosedPeriods1763900000102,
    LedgerEntryReposts1763900000103,
    LedgerPlansAndChannels1763900000104,
  ],
};
export const commissionsProjectors = () => [new CommissionLedgerProjector()];
