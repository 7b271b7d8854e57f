import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { type ReadScope, scopeCondition } from '../../../platform/src/auth/read-scope';
import { READ_DATA_SOURCE } from '../../../platform/src/cqrs/tokens';
import { toSafeNumber } from '../../../shared-kernel/src/money';
import { ledgerPeriodAsKnownAt } from '../../../commissions/src/commission-ledger/ledger-entry.row';
import { creditedSql, openReceivablesSql } from '../../../track-to-cash/src/order-status/order-status.read-model';
import { utcDate } from '../../../shared-kernel/src/time';
import { attainmentBps } from './dashboard.projection';
import type { DashboardDto, DashboardRowDto } from './dashboard.response.dto';

export type DashboardGroupBy = 'salesperson' | 'team' | 'businessUnit';

export class GetDashboardQuery {
  constructor(
    readonly period: string,
    readonly groupBy: DashboardGroupBy,
    readonly asOf: Date,
    readonly knownAt: Date | null,
    readonly scope: ReadScope,
  ) {}
}

/** The last instant of a period `YYYY-MM` (UTC). */
export function endOfPeriod(period: string): Date {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1) - 1);
}

interface Acc {
  key: string;
  currency: string;
  target: bigint | null;
  achieved: bigint;
  sellIn: bigint;
  collected: bigint;
  outstanding: bigint;
  overdue: bigint;
  earned: bigint;
  clawedBack: bigint;
}

/**
 * Target vs achieved vs collected per salesperson, team or business unit for one period
 * (domain.md §5). Receivables are evaluated at the end of the period, or at asOf if earlier.
 */
@QueryHandler(GetDashboardQuery)
export class GetDashboardQueryHandler implements IQueryHandler<GetDashboardQuery, DashboardDto> {
  constructor(@Inject(READ_DATA_SOURCE) private readonly db: DataSource) {}

  async execute(q: GetDashboardQuery): Promise<DashboardDto> {
    const knownAt = q.knownAt?.toISOString() ?? null;
    const end = endOfPeriod(q.period);
    const at = q.asOf < end ? q.asOf : end;
    const teams = new Map(
      (
        (await this.db.query('SELECT salesperson_id, team_id FROM dash_salespeople')) as Array<{
          salesperson_id: string;
          team_id: string | null;
        }>
      ).map((r) => [r.salesperson_id, r.team_id]),
    );
    const visible = (sp: string) =>
      q.scope.kind === 'all' ||
      (q.scope.kind === 'salesperson' && q.scope.salespersonId === sp) ||
      (q.scope.kind === 'team' && teams.get(sp) === q.scope.teamId);
    const keyOf = (sp: string, businessUnit: string | null) =>
      q.groupBy === 'salesperson'
        ? sp
        : q.groupBy === 'team'
          ? (teams.get(sp) ?? '(no team)')
          : (businessUnit ?? '(none)');
    const rows = new Map<string, Acc>();
    const row = (key: string, currency: string): Acc => {
      const id = `${key}\u0000${currency}`;
      let acc = rows.get(id);
      if (!acc) {
        acc = {
          key,
          currency,
          target: null,
          achieved: 0n,
          sellIn: 0n,
          collected: 0n,
          outstanding: 0n,
          overdue: 0n,
          earned: 0n,
          clawedBack: 0n,
        };
        rows.set(id, acc);
      }
      return acc;
    };

    const params: unknown[] = [q.period, knownAt];
    // Everything known: the period's running sums; at a knownAt: its facts recorded by then.
    const facts = (await this.db.query(
      knownAt === null
        ? `SELECT salesperson_id, currency, business_unit, kind, amount::text AS amount FROM dash_fact_totals
            WHERE period = $1 AND $2::timestamptz IS NULL AND ${scopeCondition(q.scope, 'salesperson_id', params)}`
        : `SELECT salesperson_id, currency, business_unit, kind, sum(amount)::text AS amount FROM dash_facts
            WHERE period = $1 AND recorded_at <= $2::timestamptz
              AND ${scopeCondition(q.scope, 'salesperson_id', params)}
            GROUP BY salesperson_id, currency, business_unit, kind`,
      params,
    )) as Array<{
      salesperson_id: string;
      currency: string;
      business_unit: string | null;
      kind: string;
      amount: string;
    }>;
    for (const f of facts) {
      const acc = row(keyOf(f.salesperson_id, f.business_unit), f.currency);
      if (f.kind === 'ACHIEVED') acc.achieved += BigInt(f.amount);
      else if (f.kind === 'SELL_IN') acc.sellIn += BigInt(f.amount);
      else acc.collected += BigInt(f.amount);
    }

    // Targets: the month's part of every quota of the year, one per salesperson and business unit
    // (null: the quota without one). A salesperson's or team's target sums them all; a business
    // unit's sums the quotas set for it, and '(none)' those set without a unit. At a knownAt: the
    // latest quota of each key recorded by then.
    const [year, month] = q.period.split('-').map(Number) as [number, number];
    const quotas = (await this.db.query(
      knownAt === null
        ? `SELECT salesperson_id, business_unit, currency, monthly_targets FROM dash_quotas WHERE year = $1`
        : `SELECT DISTINCT ON (salesperson_id, business_unit) salesperson_id, business_unit, currency, monthly_targets
             FROM dash_quota_history WHERE year = $1 AND recorded_at <= $2::timestamptz
            ORDER BY salesperson_id, business_unit, recorded_at DESC`,
      knownAt === null ? [year] : [year, knownAt],
    )) as Array<{ salesperson_id: string; business_unit: string | null; currency: string; monthly_targets: number[] }>;
    for (const quota of quotas) {
      if (!visible(quota.salesperson_id)) continue;
      const acc = row(keyOf(quota.salesperson_id, quota.business_unit), quota.currency);
      acc.target = (acc.target ?? 0n) + BigInt(quota.monthly_targets[month - 1] ?? 0);
    }

    // Commissions by the business unit of what earned them: the order's (a manager's override on a
    // report's order included, though the manager is not credited on it), or the secondary sale's.
    const ledgerParams: unknown[] = [q.period, knownAt];
    const ledger = (await this.db.query(
      `SELECT e.salesperson_id, e.currency, coalesce(c.business_unit, s.business_unit) AS business_unit,
              coalesce(sum(e.amount) FILTER (WHERE e.type = 'EARNED'), 0)::text AS earned,
              coalesce(-sum(e.amount) FILTER (WHERE e.type = 'CLAWBACK'), 0)::text AS clawed_back
         FROM ledger_entries e
         LEFT JOIN LATERAL (SELECT oc.business_unit FROM dash_order_credits oc WHERE oc.order_id = e.order_id
                             LIMIT 1) c ON TRUE
         LEFT JOIN dash_secondary_sales s ON s.sale_id = e.explanation->>'secondarySaleId'
        WHERE (e.period = $1 OR e.reposted_from = $1)
          AND ${ledgerPeriodAsKnownAt('$2::timestamptz', 'e')} = $1
          AND ($2::timestamptz IS NULL OR e.recorded_at <= $2::timestamptz)
          AND e.type IN ('EARNED', 'CLAWBACK') AND ${scopeCondition(q.scope, 'e.salesperson_id', ledgerParams)}
        GROUP BY e.salesperson_id, e.currency, coalesce(c.business_unit, s.business_unit)`,
      ledgerParams,
    )) as Array<{
      salesperson_id: string;
      currency: string;
      business_unit: string | null;
      earned: string;
      clawed_back: string;
    }>;
    for (const l of ledger) {
      const acc = row(keyOf(l.salesperson_id, l.business_unit), l.currency);
      acc.earned += BigInt(l.earned);
      acc.clawedBack += BigInt(l.clawed_back);
    }

    // Credited receivables at `at`, summed per salesperson and business unit by PostgreSQL (each
    // share rounded as credited()): one row per order's running totals where they are exact then.
    const receivableParams: unknown[] = [at.toISOString(), utcDate(at.toISOString())];
    if (knownAt !== null) receivableParams.push(knownAt);
    const receivables = (await this.db.query(
      `SELECT c.salesperson_id, r.currency, r.business_unit,
              sum(${creditedSql('r.receivable', 'c.split_bps')})::text AS outstanding,
              coalesce(sum(${creditedSql('r.receivable', 'c.split_bps')})
                         FILTER (WHERE r.net <> 0 AND $2::date > r.due_date), 0)::text AS overdue
         FROM (${openReceivablesSql('$1::timestamptz', knownAt === null ? null : '$3::timestamptz')}) r
         CROSS JOIN LATERAL unnest(r.credit_salespeople, r.credit_splits) AS c(salesperson_id, split_bps)
        GROUP BY c.salesperson_id, r.currency, r.business_unit`,
      receivableParams,
    )) as Array<{
      salesperson_id: string;
      currency: string;
      business_unit: string | null;
      outstanding: string;
      overdue: string;
    }>;
    for (const r of receivables) {
      if (!visible(r.salesperson_id)) continue;
      const acc = row(keyOf(r.salesperson_id, r.business_unit), r.currency);
      acc.outstanding += BigInt(r.outstanding);
      acc.overdue += BigInt(r.overdue);
    }

    const items: DashboardRowDto[] = [...rows.values()]
      .sort((a, b) => (a.key === b.key ? a.currency.localeCompare(b.currency) : a.key.localeCompare(b.key)))
      .map((a) => ({
        key: a.key,
        currency: a.currency,
        target: a.target === null ? null : toSafeNumber(a.target),
        achieved: toSafeNumber(a.achieved),
        attainmentBps: attainmentBps(a.achieved, a.target),
        sellIn: toSafeNumber(a.sellIn),
        collected: toSafeNumber(a.collected),
        outstanding: toSafeNumber(a.outstanding),
        overdue: toSafeNumber(a.overdue),
        commissionEarned: toSafeNumber(a.earned),
        clawedBack: toSafeNumber(a.clawedBack),
      }));
    return { period: q.period, groupBy: q.groupBy, receivablesAt: at.toISOString(), items, nextCursor: null };
  }
}
