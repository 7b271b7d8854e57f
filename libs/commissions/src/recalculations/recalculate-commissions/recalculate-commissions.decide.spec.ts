import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { AdjustmentPosted } from '../../contracts/commissions.events';
import type { RecalculateCommissions } from './recalculate-commissions.command';
import { recalculateCommissionsDecider } from './recalculate-commissions.decide';

const AT = '2026-03-10T08:00:00.000Z';
const recalculate = (extra: Partial<RecalculateCommissions> = {}): RecalculateCommissions => ({
  type: 'RecalculateCommissions',
  recalculationId: 'RC1',
  salespersonId: 'alice',
  fromPeriod: '2026-01',
  reason: 'Assignment corrected',
  requestedBy: 'fin-joe',
  at: AT,
  ...extra,
});
const adjustment: AdjustmentPosted = {
  type: 'AdjustmentPosted',
  occurredAt: '2026-02-01T00:00:00.000Z',
  data: {
    adjustmentId: 'ADJ1',
    salespersonId: 'alice',
    period: '2026-01',
    amount: { amount: -100, currency: 'USD' },
    reason: 'x',
    approvedBy: 'fin-joe',
  },
};

describe('recalculate commissions', () => {
  const spec = specFor(recalculateCommissionsDecider({ salespersonExists: true }));

  it('given a salesperson (with an adjustment), when a recalculation is asked for, then CommissionsRecalculated with who asked', () => {
    spec
      .given([adjustment])
      .when(recalculate())
      .then([
        {
          type: 'CommissionsRecalculated',
          occurredAt: AT,
          data: {
            recalculationId: 'RC1',
            salespersonId: 'alice',
            fromPeriod: '2026-01',
            reason: 'Assignment corrected',
            requestedBy: 'fin-joe',
          },
        },
      ]);
  });

  it('without fromPeriod, the event says null (every open period)', () => {
    const [event] = recalculateCommissionsDecider({ salespersonExists: true }).decide(
      recalculate({ fromPeriod: null }),
      {
        adjustments: 0,
        payouts: 0,
      },
    );
    expect(event?.data).toMatchObject({ fromPeriod: null });
  });

  it('refuses an unknown salesperson as not found', () => {
    specFor(recalculateCommissionsDecider({ salespersonExists: false }))
      .given([])
      .when(recalculate())
      .thenRefuses('NOT_FOUND');
  });
});
