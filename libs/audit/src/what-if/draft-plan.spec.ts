import type { StoredEvent } from '../../../eventsourcing/src/index';
import type { PlanCreated } from '../../../sales/src/contracts/sales.events';
import { draftPlanData, draftPlanProblem, draftPlans, type PlanOverride } from './draft-plan';

const FLAT: PlanCreated['data'] = {
  planId: 'P1',
  name: 'Field sales',
  currency: 'USD',
  basis: 'BOOKING',
  rateBps: 1000,
  clawback: { windowDays: 90, percentBps: 10000 },
};
const TIERED: PlanCreated['data'] = {
  ...FLAT,
  planId: 'PT',
  tiers: [
    { fromAttainmentBps: 0, rateBps: 1000 },
    { fromAttainmentBps: 10000, rateBps: 1500 },
  ],
  overrideRateBps: 200,
  holdbackBps: 2000,
  primaryDistributorSalesEarn: true,
  secondaryRateBps: 300,
};
const ACCELERATOR = [
  { fromAttainmentBps: 0, rateBps: 1000 },
  { fromAttainmentBps: 10000, rateBps: 2000 },
];

const stored = (type: string, data: unknown): StoredEvent =>
  ({ type, data, streamId: 'plan-x', globalPosition: 1n }) as unknown as StoredEvent;

describe('draftPlanData: the recorded PlanCreated with the draft terms', () => {
  it('given a flat plan, when the draft sets the five new terms, then the draft plan carries them all', () => {
    const draft = draftPlanData(FLAT, {
      planId: 'P1',
      tiers: ACCELERATOR,
      overrideRateBps: 200,
      holdbackBps: 2000,
      primaryDistributorSalesEarn: true,
      secondaryRateBps: 300,
    });
    expect(draft).toEqual({
      ...FLAT,
      tiers: ACCELERATOR,
      overrideRateBps: 200,
      holdbackBps: 2000,
      primaryDistributorSalesEarn: true,
      secondaryRateBps: 300,
    });
  });

  it('given a plan with every term, when the draft gives none of them, then they all stay as recorded', () => {
    expect(draftPlanData(TIERED, { planId: 'PT' })).toEqual(TIERED);
    expect(draftPlanData(TIERED, { planId: 'PT', basis: 'COLLECTION' })).toEqual({ ...TIERED, basis: 'COLLECTION' });
  });

  it('given a plan with every term, when the draft sets them to null, then the draft plan has none of the keys (as a plan created without them)', () => {
    const draft = draftPlanData(TIERED, {
      planId: 'PT',
      tiers: null,
      overrideRateBps: null,
      holdbackBps: null,
      primaryDistributorSalesEarn: null,
      secondaryRateBps: null,
    });
    expect(draft).toEqual({ ...FLAT, planId: 'PT' });
    expect(Object.keys(draft).sort()).toEqual(['basis', 'clawback', 'currency', 'name', 'planId', 'rateBps']);
  });

  it('changes one term and keeps the others: a draft holdback of 0 is kept, not dropped', () => {
    const draft = draftPlanData(TIERED, { planId: 'PT', holdbackBps: 0, secondaryRateBps: null });
    expect(draft.holdbackBps).toBe(0);
    expect('secondaryRateBps' in draft).toBe(false);
    expect(draft.tiers).toEqual(TIERED.tiers);
    expect(draft.overrideRateBps).toBe(200);
  });

  it('copies the draft tiers and leaves the recorded data alone', () => {
    const tiers = ACCELERATOR.map((t) => ({ ...t }));
    const draft = draftPlanData(TIERED, { planId: 'PT', tiers });
    tiers[1]!.rateBps = 9999;
    expect(draft.tiers).toEqual(ACCELERATOR);
    expect(TIERED.tiers![1]).toEqual({ fromAttainmentBps: 10000, rateBps: 1500 });
  });
});

describe('draftPlans: the event transform of the draft build', () => {
  it('rewrites only the PlanCreated of an overridden plan', () => {
    const transform = draftPlans([{ planId: 'P1', tiers: ACCELERATOR, overrideRateBps: 200 }]);
    const p1 = stored('PlanCreated', FLAT);
    const other = stored('PlanCreated', TIERED);
    const sale = stored('SaleBooked', { orderId: 'O1', planId: 'P1' });
    expect(transform(p1)).toEqual({ ...p1, data: { ...FLAT, tiers: ACCELERATOR, overrideRateBps: 200 } });
    expect(transform(other)).toBe(other);
    expect(transform(sale)).toBe(sale);
    expect(p1.data).toEqual(FLAT); // not mutated
  });
});

describe('draftPlanProblem: the rules of plan creation against the recorded plan', () => {
  const problem = (recorded: PlanCreated['data'], o: Omit<PlanOverride, 'planId'>) =>
    draftPlanProblem(recorded, { planId: recorded.planId, ...o });

  it('accepts tiers starting at the recorded rateBps, or at the draft rateBps', () => {
    expect(problem(FLAT, { tiers: ACCELERATOR })).toBeNull();
    expect(
      problem(FLAT, {
        rateBps: 800,
        tiers: [
          { fromAttainmentBps: 0, rateBps: 800 },
          { fromAttainmentBps: 10000, rateBps: 1500 },
        ],
      }),
    ).toBeNull();
  });

  it('refuses draft tiers that do not start at the recorded rateBps, naming tiers', () => {
    const refusal = problem(FLAT, { tiers: [{ fromAttainmentBps: 0, rateBps: 1200 }] });
    expect(refusal?.field).toBe('tiers');
    expect(refusal?.problem).toMatch(/must start with \{fromAttainmentBps: 0, rateBps: 1000\}/);
    expect(refusal?.problem).toMatch(/recorded with rateBps 1000/);
  });

  it('refuses a draft rateBps on a plan recorded with tiers, unless the draft gives tiers or null', () => {
    const refusal = problem(TIERED, { rateBps: 1200 });
    expect(refusal?.field).toBe('rateBps');
    expect(refusal?.problem).toMatch(/tiers: null/);
    expect(problem(TIERED, { rateBps: 1000 })).toBeNull(); // unchanged
    expect(problem(TIERED, { rateBps: 1200, tiers: null })).toBeNull();
    expect(problem(TIERED, { rateBps: 1200, tiers: [{ fromAttainmentBps: 0, rateBps: 1200 }] })).toBeNull();
  });

  it('checks the other tier rules too (a draft passed around the request validation)', () => {
    expect(problem(FLAT, { tiers: [] })?.field).toBe('tiers');
    expect(
      problem(FLAT, {
        tiers: [
          { fromAttainmentBps: 0, rateBps: 1000 },
          { fromAttainmentBps: 0, rateBps: 1500 },
        ],
      })?.problem,
    ).toMatch(/strictly ascending/);
  });

  it('has nothing to say about a plan without tiers, or the terms that are not tiers', () => {
    expect(problem(FLAT, { rateBps: 1200, overrideRateBps: 200, holdbackBps: 0, secondaryRateBps: null })).toBeNull();
  });
});
