/**
 * Draft plan terms of a what-if, pure: how a draft rewrites a recorded PlanCreated, and whether
 * the plan it gives keeps the rules of plan creation (libs/sales/src/plans/plan-terms.ts).
 */
import type { StoredEvent } from '../../../eventsourcing/src/index';
import type { Basis, PlanCreated, PlanTier } from '../../../sales/src/contracts/sales.events';
import { tiersProblem } from '../../../sales/src/plans/plan-terms';

/**
 * Draft terms of one plan. A term not given (undefined) keeps its recorded value. The optional
 * terms of issue 10 may also be `null`: the draft plan does not have that term (tiers: null is a
 * flat plan at `rateBps`; overrideRateBps, holdbackBps, secondaryRateBps: null are none;
 * primaryDistributorSalesEarn: null is the default, false). `basis`, `rateBps` and `clawback`
 * every plan has: the HTTP layer reads null there as not given.
 */
export interface PlanOverride {
  readonly planId: string;
  readonly basis?: Basis;
  readonly rateBps?: number;
  readonly clawback?: { readonly windowDays?: number; readonly percentBps?: number };
  readonly tiers?: readonly PlanTier[] | null;
  readonly overrideRateBps?: number | null;
  readonly holdbackBps?: number | null;
  readonly primaryDistributorSalesEarn?: boolean | null;
  readonly secondaryRateBps?: number | null;
}

/** The optional terms of PlanCreated (issue 10): present in the data only when the plan has them. */
export const OPTIONAL_TERMS = [
  'tiers',
  'overrideRateBps',
  'holdbackBps',
  'primaryDistributorSalesEarn',
  'secondaryRateBps',
] as const satisfies ReadonlyArray<keyof PlanOverride & keyof PlanCreated['data']>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The recorded plan with the draft terms: required terms replaced when given, optional terms
 * replaced when given, dropped when null (as PlanCreated carries an optional term only when the
 * plan has it), kept when not given.
 */
export function draftPlanData(recorded: PlanCreated['data'], o: PlanOverride): PlanCreated['data'] {
  const draft: Mutable<PlanCreated['data']> = {
    ...recorded,
    basis: o.basis ?? recorded.basis,
    rateBps: o.rateBps ?? recorded.rateBps,
    clawback: {
      windowDays: o.clawback?.windowDays ?? recorded.clawback.windowDays,
      percentBps: o.clawback?.percentBps ?? recorded.clawback.percentBps,
    },
  };
  for (const term of OPTIONAL_TERMS) {
    const value = o[term];
    if (value === undefined) continue;
    if (value === null) delete draft[term];
    else (draft as Record<string, unknown>)[term] = term === 'tiers' ? (value as PlanTier[]).map(copyTier) : value;
  }
  return draft;
}

const copyTier = (t: PlanTier): PlanTier => ({ fromAttainmentBps: t.fromAttainmentBps, rateBps: t.rateBps });

/** Why the draft plan breaks the rules of plan creation, and which field of the override to blame; null if it keeps them. */
export function draftPlanProblem(
  recorded: PlanCreated['data'],
  o: PlanOverride,
): { readonly field: 'tiers' | 'rateBps'; readonly problem: string } | null {
  const draft = draftPlanData(recorded, o);
  if (draft.tiers === undefined) return null;
  const problem = tiersProblem(draft.tiers, draft.rateBps);
  if (problem === null) return null;
  if (o.tiers != null) {
    return {
      field: 'tiers',
      problem:
        o.rateBps === undefined
          ? `${problem}; plan ${recorded.planId} is recorded with rateBps ${recorded.rateBps} and the draft does not change it`
          : problem,
    };
  }
  // The recorded tiers, under a draft rateBps they no longer start at.
  return {
    field: 'rateBps',
    problem:
      `plan ${recorded.planId} is recorded with tiers starting at {fromAttainmentBps: 0, rateBps: ` +
      `${recorded.tiers?.[0]?.rateBps}}; with a draft rateBps of ${draft.rateBps}, give draft tiers starting at ` +
      `{fromAttainmentBps: 0, rateBps: ${draft.rateBps}}, or tiers: null for a flat plan`,
  };
}

/** The PlanCreated of an overridden plan with the draft terms; every other event unchanged. */
export function draftPlans(overrides: readonly PlanOverride[]): (event: StoredEvent) => StoredEvent {
  const byPlan = new Map(overrides.map((o) => [o.planId, o]));
  return (event) => {
    if (event.type !== 'PlanCreated') return event;
    const data = event.data as PlanCreated['data'];
    const o = byPlan.get(data.planId);
    if (!o) return event;
    return { ...event, data: draftPlanData(data, o) };
  };
}
