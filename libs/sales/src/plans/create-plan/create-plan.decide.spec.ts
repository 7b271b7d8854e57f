import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { PlanCreated, PlanTier } from '../../contracts/sales.events';
import { tiersProblem } from '../plan-terms';
import type { CreatePlan } from './create-plan.command';
import { createPlanDecider } from './create-plan.decide';

const AT = '2026-01-01T09:00:00.000Z';
const base: CreatePlan = {
  type: 'CreatePlan',
  planId: 'P3',
  name: 'Tiered',
  currency: 'USD',
  basis: 'BOOKING',
  rateBps: 1000,
  clawback: { windowDays: 90, percentBps: 10000 },
  at: AT,
};
const created = (extra: Partial<PlanCreated['data']> = {}): PlanCreated => ({
  type: 'PlanCreated',
  occurredAt: AT,
  data: {
    planId: 'P3',
    name: 'Tiered',
    currency: 'USD',
    basis: 'BOOKING',
    rateBps: 1000,
    clawback: { windowDays: 90, percentBps: 10000 },
    ...extra,
  },
});
const TIERS: PlanTier[] = [
  { fromAttainmentBps: 0, rateBps: 1000 },
  { fromAttainmentBps: 10000, rateBps: 1500 },
  { fromAttainmentBps: 15000, rateBps: 2000 },
];

const spec = specFor(createPlanDecider);

describe('create plan', () => {
  it('given no plan, when created without the optional terms, then PlanCreated carries none of them', () => {
    spec.given([]).when(base).then([created()]);
    const [event] = createPlanDecider.decide(base, createPlanDecider.initialState());
    expect(Object.keys(event!.data)).toEqual(['planId', 'name', 'currency', 'basis', 'rateBps', 'clawback']);
  });

  it('given no plan, when created with every optional term, then PlanCreated carries each as given', () => {
    spec
      .given([])
      .when({
        ...base,
        tiers: TIERS,
        overrideRateBps: 200,
        holdbackBps: 2000,
        primaryDistributorSalesEarn: true,
        secondaryRateBps: 800,
      })
      .then([
        created({
          tiers: TIERS,
          overrideRateBps: 200,
          holdbackBps: 2000,
          primaryDistributorSalesEarn: true,
          secondaryRateBps: 800,
        }),
      ]);
  });

  it('carries a term given as 0 or false (given is not the same as absent)', () => {
    spec
      .given([])
      .when({ ...base, overrideRateBps: 0, primaryDistributorSalesEarn: false })
      .then([created({ overrideRateBps: 0, primaryDistributorSalesEarn: false })]);
  });

  it('given the plan exists, when created again, then ALREADY_EXISTS', () => {
    spec.given([created()]).when(base).thenRefuses('ALREADY_EXISTS');
  });

  it.each([
    ['no tier', []],
    ['21 tiers', Array.from({ length: 21 }, (_, i) => ({ fromAttainmentBps: i * 100, rateBps: 1000 }))],
    ['a first tier not from 0', [{ fromAttainmentBps: 100, rateBps: 1000 }]],
    ['a first tier at another rate than rateBps', [{ fromAttainmentBps: 0, rateBps: 900 }]],
    [
      'equal fromAttainmentBps',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 0, rateBps: 1500 },
      ],
    ],
    [
      'descending fromAttainmentBps',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 12000, rateBps: 1500 },
        { fromAttainmentBps: 11000, rateBps: 2000 },
      ],
    ],
    [
      'fromAttainmentBps over 1,000,000',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 1_000_001, rateBps: 1500 },
      ],
    ],
    [
      'a rate over 10000',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 10000, rateBps: 10001 },
      ],
    ],
    [
      'a fractional fromAttainmentBps',
      [
        { fromAttainmentBps: 0, rateBps: 1000 },
        { fromAttainmentBps: 100.5, rateBps: 1500 },
      ],
    ],
  ])('given no plan, when created with %s, then the tiers are refused', (_, tiers) => {
    expect(tiersProblem(tiers, 1000)).toMatch(/^tiers/);
    spec
      .given([])
      .when({ ...base, tiers })
      .thenRefuses('INVALID_TIERS');
  });

  it('accepts the limits: one tier, 20 tiers, a last band from 1,000,000 (100×)', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({
      fromAttainmentBps: i * 50_000,
      rateBps: i === 0 ? 1000 : 0,
    }));
    twenty[19] = { fromAttainmentBps: 1_000_000, rateBps: 10000 };
    for (const tiers of [[{ fromAttainmentBps: 0, rateBps: 1000 }], twenty]) {
      expect(tiersProblem(tiers, 1000)).toBeNull();
      spec
        .given([])
        .when({ ...base, tiers })
        .then([created({ tiers })]);
    }
  });
});
