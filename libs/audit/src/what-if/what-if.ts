/**
 * What-if: the real history replayed with draft plan terms. Two builds of the commission ledger
 * from the same log, read to the same position, each in an isolated schema (nothing live is
 * written): `actual` sees the events as recorded, `draft` sees the PlanCreated events of the
 * overridden plans rewritten with the draft terms, as if the plans had had them from the start.
 * Assignments, sales credits and period closes stay as recorded. The answer is the earned and
 * clawed-back commission per salesperson and posted period on both sides, and the difference.
 */
import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../../eventsourcing/src/decider';
import {
  comparePositions,
  type EventStore,
  type LogPosition,
  type StoredEvent,
} from '../../../eventsourcing/src/index';
import type { Projector } from '../../../projections/src/projector';
import { ShadowBuild } from '../../../projections/src/shadow/shadow-build';
import { dropStaleShadowSchemas } from '../../../projections/src/shadow/shadow-schema';
import { type Basis, type PlanCreated, streams } from '../../../sales/src/contracts/sales.events';
import { toSafeNumber } from '../../../shared-kernel/src/money';
import { isolatedSchemaName, LEDGER } from '../replay/period-replay';

export const WHAT_IF_SCHEMA_PREFIX = 'whatif';

/** Draft terms of one plan: any term not given keeps its recorded value. */
export interface PlanOverride {
  readonly planId: string;
  readonly basis?: Basis;
  readonly rateBps?: number;
  readonly clawback?: { readonly windowDays?: number; readonly percentBps?: number };
}

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
}

/** The PlanCreated of an overridden plan with the draft terms; every other event unchanged. */
export function draftPlans(overrides: readonly PlanOverride[]): (event: StoredEvent) => StoredEvent {
  const byPlan = new Map(overrides.map((o) => [o.planId, o]));
  return (event) => {
    if (event.type !== 'PlanCreated') return event;
    const data = event.data as PlanCreated['data'];
    const o = byPlan.get(data.planId);
    if (!o) return event;
    const draft: PlanCreated['data'] = {
      ...data,
      basis: o.basis ?? data.basis,
      rateBps: o.rateBps ?? data.rateBps,
      clawback: {
        windowDays: o.clawback?.windowDays ?? data.clawback.windowDays,
        percentBps: o.clawback?.percentBps ?? data.clawback.percentBps,
      },
    };
    return { ...event, data: draft };
  };
}

/** Every overridden plan must have been created at or before `head`; else NOT_FOUND. */
async function assertPlansExist(store: EventStore, planIds: readonly string[], head: LogPosition): Promise<void> {
  for (const planId of planIds) {
    const events = await store.readStream(streams.plan(planId));
    const created = events.some((e) => e.type === 'PlanCreated' && comparePositions(e.logPosition, head) <= 0);
    if (!created) throw new NotFoundError('Plan', planId);
  }
}

/** Earned and clawed back per (salesperson, posted period, currency) of a build's ledger copy. */
async function ledgerSums(build: ShadowBuild, periods: readonly string[]): Promise<Map<string, Sums>> {
  const rows = await build.query(
    async (copy) =>
      (await copy.query(
        `SELECT e.salesperson_id AS salesperson_id, e.period AS period, e.currency AS currency,
                coalesce(sum(e.amount) FILTER (WHERE e.type = 'EARNED'), 0)::text AS earned,
                coalesce(-sum(e.amount) FILTER (WHERE e.type = 'CLAWBACK'), 0)::text AS clawed_back
           FROM ledger_entries e
          WHERE e.period = ANY($1::text[]) AND e.type IN ('EARNED', 'CLAWBACK')
          GROUP BY e.salesperson_id, e.period, e.currency`,
        [[...periods]],
      )) as Array<{ salesperson_id: string; period: string; currency: string; earned: string; clawed_back: string }>,
  );
  const sums = new Map<string, Sums>();
  for (const r of rows) {
    sums.set(key(r.salesperson_id, r.period, r.currency), {
      earned: BigInt(r.earned),
      clawedBack: BigInt(r.clawed_back),
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
  };
}

function minus(a: Sums, b: Sums): Sums {
  return { earned: a.earned - b.earned, clawedBack: a.clawedBack - b.clawedBack };
}

function plus(a: Sums, b: Sums): Sums {
  return { earned: a.earned + b.earned, clawedBack: a.clawedBack + b.clawedBack };
}

const ZERO: Sums = { earned: 0n, clawedBack: 0n };
const isZero = (s: Sums) => s.earned === 0n && s.clawedBack === 0n;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function whatIf(deps: WhatIfDeps, options: WhatIfOptions): Promise<WhatIfReport> {
  const ledger = deps.projectors.find((p) => p.name === LEDGER);
  if (!ledger) throw new Error('The commission ledger projector is missing');
  const periods = [...new Set(options.periods)].sort(compareText);
  const head = await deps.store.headPosition();
  await assertPlansExist(
    deps.store,
    options.planOverrides.map((o) => o.planId),
    head,
  );
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
