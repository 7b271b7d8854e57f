/**
 * What-if: the real history replayed with draft plan terms. Two builds of the commission ledger
 * from the same log, read to the same position, each in an isolated schema (nothing live is
 * written): `actual` sees the events as recorded, `draft` sees the PlanCreated events of the
 * overridden plans rewritten with the draft terms, as if the plans had had them from the start.
 * Assignments, sales credits, quotas and period closes stay as recorded. The answer is the earned,
 * clawed-back, held and released commission per salesperson and posted period on both sides, and
 * the difference. The draft terms are those of plan creation (draft-plan.ts): the tier, override,
 * holdback and channel terms of docs/plans-and-channels.md included.
 */
import type { DataSource } from 'typeorm';
import { DomainError, NotFoundError } from '../../../eventsourcing/src/decider';
import { comparePositions, type EventStore, type LogPosition } from '../../../eventsourcing/src/index';
import type { Projector } from '../../../projections/src/projector';
import { ShadowBuild } from '../../../projections/src/shadow/shadow-build';
import { dropStaleShadowSchemas } from '../../../projections/src/shadow/shadow-schema';
import { type PlanCreated, streams } from '../../../sales/src/contracts/sales.events';
import { toSafeNumber } from '../../../shared-kernel/src/money';
import { isolatedSchemaName, LEDGER } from '../replay/period-replay';
import { draftPlanProblem, draftPlans, type PlanOverride } from './draft-plan';

export { draftPlanData, draftPlanProblem, draftPlans, type PlanOverride } from './draft-plan';

export const WHAT_IF_SCHEMA_PREFIX = 'whatif';

export interface WhatIfOptions {
  /** Posted periods (YYYY-MM) to answer for. */
  readonly periods: readonly string[];
  readonly planOverrides: readonly PlanOverride[];
  readonly batchSize?: number;
}

export interface WhatIfDeps {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  readonly projectors: readonly Projector[];
}

/** Minor units; commission = earned − clawedBack. */
export interface CommissionFigures {
  readonly earned: number;
  readonly clawedBack: number;
  readonly commission: number;
  /** Holdbacks posted in the period, net of clawbacks taken from what was held (the ledger's `held`). */
  readonly held: number;
  /** Held amounts released in the period (the ledger's `released`). */
  readonly released: number;
}

export interface WhatIfItem {
  readonly salespersonId: string;
  readonly period: string;
  readonly currency: string;
  readonly actual: CommissionFigures;
  readonly whatIf: CommissionFigures;
  /** whatIf − actual. */
  readonly difference: CommissionFigures;
}

export interface WhatIfTotal {
  readonly period: string;
  readonly currency: string;
  readonly actual: CommissionFigures;
  readonly whatIf: CommissionFigures;
  readonly difference: CommissionFigures;
}

export interface WhatIfReport {
  readonly periods: readonly string[];
  readonly planOverrides: readonly PlanOverride[];
  /** Events read from the log by each build (both read the same ones). */
  readonly eventsRead: number;
  /** Global position of the last event both builds applied (null: empty log). */
  readonly throughPosition: string | null;
  readonly items: readonly WhatIfItem[];
  readonly totals: readonly WhatIfTotal[];
}

interface Sums {
  earned: bigint;
  clawedBack: bigint;
  held: bigint;
  released: bigint;
}

/**
 * Every overridden plan must have been created at or before `head` (else 404 NOT_FOUND), and its
 * draft must keep the rules of plan creation against the recorded plan (else 422 INVALID_TIERS,
 * naming the field of the override). The request validation already refused what it can judge
 * without the recorded plan (400 VALIDATION_FAILED).
 */
async function assertDraftsApply(
  store: EventStore,
  overrides: readonly PlanOverride[],
  head: LogPosition,
): Promise<void> {
  for (const [i, o] of overrides.entries()) {
    const events = await store.readStream(streams.plan(o.planId));
    const created = events.find((e) => e.type === 'PlanCreated' && comparePositions(e.logPosition, head) <= 0);
    if (!created) throw new NotFoundError('Plan', o.planId);
    const refusal = draftPlanProblem(created.data as PlanCreated['data'], o);
    if (refusal) {
      const field = `planOverrides.${i}.${refusal.field}`;
      throw new DomainError('INVALID_TIERS', `${field}: ${refusal.problem}`, 'rule', { planId: o.planId, field });
    }
  }
}

/**
 * Earned, clawed back, held and released per (salesperson, period, currency) of a build's ledger
 * copy, as the ledger query counts them: a hold is released in the period of its release date, or
 * in the period it was posted to if that is later.
 */
async function ledgerSums(build: ShadowBuild, periods: readonly string[]): Promise<Map<string, Sums>> {
  const rows = await build.query(
    async (copy) =>
      (await copy.query(
        `WITH e AS (
           SELECT salesperson_id, currency, type, amount, held, period,
                  greatest(period, coalesce(to_char(release_on, 'YYYY-MM'), period)) AS released_in
             FROM ledger_entries
            WHERE type IN ('EARNED', 'CLAWBACK')
         ), p AS (SELECT unnest($1::text[]) AS period)
         SELECT e.salesperson_id AS salesperson_id, p.period AS period, e.currency AS currency,
                coalesce(sum(e.amount) FILTER (WHERE e.period = p.period AND e.type = 'EARNED'), 0)::text AS earned,
                coalesce(-sum(e.amount) FILTER (WHERE e.period = p.period AND e.type = 'CLAWBACK'), 0)::text
                  AS clawed_back,
                coalesce(sum(e.held) FILTER (WHERE e.period = p.period), 0)::text AS held,
                coalesce(sum(e.held) FILTER (WHERE e.released_in = p.period), 0)::text AS released
           FROM e JOIN p ON e.period = p.period OR (e.released_in = p.period AND e.held <> 0)
          GROUP BY e.salesperson_id, p.period, e.currency`,
        [[...periods]],
      )) as Array<{
        salesperson_id: string;
        period: string;
        currency: string;
        earned: string;
        clawed_back: string;
        held: string;
        released: string;
      }>,
  );
  const sums = new Map<string, Sums>();
  for (const r of rows) {
    sums.set(key(r.salesperson_id, r.period, r.currency), {
      earned: BigInt(r.earned),
      clawedBack: BigInt(r.clawed_back),
      held: BigInt(r.held),
      released: BigInt(r.released),
    });
  }
  return sums;
}

function key(salespersonId: string, period: string, currency: string): string {
  return JSON.stringify([salespersonId, period, currency]);
}

function figures(s: Sums): CommissionFigures {
  return {
    earned: toSafeNumber(s.earned),
    clawedBack: toSafeNumber(s.clawedBack),
    commission: toSafeNumber(s.earned - s.clawedBack),
    held: toSafeNumber(s.held),
    released: toSafeNumber(s.released),
  };
}

function minus(a: Sums, b: Sums): Sums {
  return {
    earned: a.earned - b.earned,
    clawedBack: a.clawedBack - b.clawedBack,
    held: a.held - b.held,
    released: a.released - b.released,
  };
}

function plus(a: Sums, b: Sums): Sums {
  return {
    earned: a.earned + b.earned,
    clawedBack: a.clawedBack + b.clawedBack,
    held: a.held + b.held,
    released: a.released + b.released,
  };
}

const ZERO: Sums = { earned: 0n, clawedBack: 0n, held: 0n, released: 0n };
const isZero = (s: Sums) => s.earned === 0n && s.clawedBack === 0n && s.held === 0n && s.released === 0n;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function whatIf(deps: WhatIfDeps, options: WhatIfOptions): Promise<WhatIfReport> {
  const ledger = deps.projectors.find((p) => p.name === LEDGER);
  if (!ledger) throw new Error('The commission ledger projector is missing');
  const periods = [...new Set(options.periods)].sort(compareText);
  const head = await deps.store.headPosition();
  await assertDraftsApply(deps.store, options.planOverrides, head);
  await dropStaleShadowSchemas(deps.dataSource, [WHAT_IF_SCHEMA_PREFIX], 24 * 3600_000);

  const builds: ShadowBuild[] = [];
  try {
    const actual = await ShadowBuild.create(deps.dataSource, deps.store, {
      schema: isolatedSchemaName(WHAT_IF_SCHEMA_PREFIX),
      projectors: [ledger],
      batchSize: options.batchSize,
    });
    builds.push(actual);
    const draft = await ShadowBuild.create(deps.dataSource, deps.store, {
      schema: isolatedSchemaName(WHAT_IF_SCHEMA_PREFIX),
      projectors: [ledger],
      transform: draftPlans(options.planOverrides),
      batchSize: options.batchSize,
    });
    builds.push(draft);
    await Promise.all([actual.advance({ until: head }), draft.advance({ until: head })]);
    const [before, after] = await Promise.all([ledgerSums(actual, periods), ledgerSums(draft, periods)]);

    const items: WhatIfItem[] = [];
    const totals = new Map<string, { period: string; currency: string; actual: Sums; whatIf: Sums }>();
    const keys = [...new Set([...before.keys(), ...after.keys()])].map(
      (k) => JSON.parse(k) as [string, string, string],
    );
    keys.sort(([sa, pa, ca], [sb, pb, cb]) => compareText(pa, pb) || compareText(sa, sb) || compareText(ca, cb));
    for (const [salespersonId, period, currency] of keys) {
      const a = before.get(key(salespersonId, period, currency)) ?? ZERO;
      const w = after.get(key(salespersonId, period, currency)) ?? ZERO;
      if (isZero(a) && isZero(w)) continue;
      items.push({
        salespersonId,
        period,
        currency,
        actual: figures(a),
        whatIf: figures(w),
        difference: figures(minus(w, a)),
      });
      const totalKey = JSON.stringify([period, currency]);
      const total = totals.get(totalKey) ?? { period, currency, actual: ZERO, whatIf: ZERO };
      totals.set(totalKey, { ...total, actual: plus(total.actual, a), whatIf: plus(total.whatIf, w) });
    }
    return {
      periods,
      planOverrides: options.planOverrides,
      eventsRead: actual.eventsRead,
      throughPosition: actual.lastGlobalPosition(LEDGER)?.toString() ?? null,
      items,
      totals: [...totals.values()]
        .sort((x, y) => compareText(x.period, y.period) || compareText(x.currency, y.currency))
        .map((t) => ({
          period: t.period,
          currency: t.currency,
          actual: figures(t.actual),
          whatIf: figures(t.whatIf),
          difference: figures(minus(t.whatIf, t.actual)),
        })),
    };
  } finally {
    for (const build of builds) await build.drop().catch(() => undefined);
  }
}
