import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import { streams } from '../../contracts/sales.events';
import type { SalespersonState } from '../salesperson.state';
import type { SetQuota } from './set-quota.command';
import { setQuotaDecider } from './set-quota.decide';

const alice: SalespersonState = {
  exists: true,
  salespersonId: 'alice',
  name: 'Alice',
  managerId: null,
  teamId: null,
  hiredOn: '2025-01-01',
  terminatedOn: null,
  assignments: [],
};
const EVEN = [834, 833, 833, 834, 833, 833, 834, 833, 833, 834, 833, 833];
const setQuota = (extra: Partial<SetQuota> = {}): SetQuota => ({
  type: 'SetQuota',
  quotaId: 'Q1',
  salespersonId: 'alice',
  year: 2026,
  annualTarget: { amount: 1_200_000, currency: 'USD' },
  monthlyWeightsBps: EVEN,
  ...extra,
});
const TARGETS = [100_080, 99_960, 99_960, 100_080, 99_960, 99_960, 100_080, 99_960, 99_960, 100_080, 99_960, 99_960];

describe('set quota', () => {
  const spec = specFor(setQuotaDecider(alice));

  it('given nothing, when a quota without a business unit is set, then QuotaSet has no businessUnit field', () => {
    spec
      .given([])
      .when(setQuota({ businessUnit: null }))
      .then([
        {
          type: 'QuotaSet',
          occurredAt: '2026-01-01T00:00:00.000Z',
          data: {
            quotaId: 'Q1',
            salespersonId: 'alice',
            year: 2026,
            annualTarget: { amount: 1_200_000, currency: 'USD' },
            monthlyWeightsBps: EVEN,
            monthlyTargets: TARGETS,
          },
        },
      ]);
  });

  it("given nothing, when a business unit's quota is set, then QuotaSet carries businessUnit", () => {
    spec
      .given([])
      .when(setQuota({ businessUnit: 'enterprise' }))
      .then([
        {
          type: 'QuotaSet',
          occurredAt: '2026-01-01T00:00:00.000Z',
          data: {
            quotaId: 'Q1',
            salespersonId: 'alice',
            year: 2026,
            annualTarget: { amount: 1_200_000, currency: 'USD' },
            monthlyWeightsBps: EVEN,
            monthlyTargets: TARGETS,
            businessUnit: 'enterprise',
          },
        },
      ]);
  });

  it('a business unit has its own stream', () => {
    expect(streams.quota('alice', 2026)).toBe('quota-alice.2026');
    expect(streams.quota('alice', 2026, null)).toBe('quota-alice.2026');
    expect(streams.quota('alice', 2026, 'enterprise')).toBe('quota-alice.2026.enterprise');
  });

  it('refuses weights not totalling 10000, and an unknown salesperson', () => {
    spec
      .given([])
      .when(setQuota({ businessUnit: 'enterprise', monthlyWeightsBps: [...EVEN.slice(1), 0] }))
      .thenRefuses('WEIGHTS_MUST_TOTAL_10000');
    specFor(setQuotaDecider({ exists: false }))
      .given([])
      .when(setQuota({ businessUnit: 'enterprise' }))
      .thenRefuses('NOT_FOUND');
  });
});
