/**
 * The demo company, as the list of HTTP commands that create it (pure and deterministic: no clock,
 * no I/O, one seeded PRNG). `seed-demo.ts` sends them; this file and its neighbours decide what they
 * are: `reference-data.ts` (people, plans, customers, distributors, credits), `orders.ts` (every
 * order's life), `channel.ts` (distributors' secondary sales), `commissions.ts` (what the ledger
 * posts), `ledger.ts` (quotas, adjustments, payouts) and `collections.ts`.
 *
 * Every command is computed from a local model of what it acts on (each order's running amounts,
 * each customer's credit history, each salesperson's plans and dates), so that the server accepts
 * all of them: payments ≤ receivable, invoiced ≤ net, business dates after the booking and not
 * after the last day of the story, no sale credited to a salesperson after they left, and so on.
 * Every id is derived from the seed's data (`O-000123`, `O-000123-PAY1`, ...), so sending the same
 * company twice appends nothing the second time.
 */
import { periodOf } from './calendar';
import {
  addCollectionCommands,
  assignPolicies,
  assignPolicyCommand,
  createPolicyCommands,
  DUE_SCAN,
} from './collections';
import { registerDistributorCommand, secondarySaleChains, secondarySales } from './channel';
import { CommissionModel, type Correction } from './commissions';
import { adjustmentCommands, type Dated, payoutCommands, quotaCommands } from './ledger';
import {
  type Chain,
  CLOSED_THROUGH,
  type CommandType,
  COMMAND_TYPES,
  CURRENCY,
  type DemoCustomer,
  type DemoPerson,
  type DemoPlan,
  FIRST_DAY,
  LAST_DAY,
  LedgerModel,
  type ModelEntry,
  type Phase,
  PLANS,
  type SeedCommand,
  TEAMS,
  usd,
} from './model';
import { type BookedOrder, buildOrders } from './orders';
import { Rng } from './prng';
import {
  assignPlans,
  buildCustomers,
  buildDistributors,
  buildPeople,
  chooseRoles,
  type DemoRoles,
  reassignCredits,
} from './reference-data';

export * from './model';

export interface DemoOptions {
  readonly seed: number;
  readonly orders: number;
}

export interface DemoCompany {
  readonly options: DemoOptions;
  readonly teams: readonly { readonly teamId: string; readonly name: string; readonly managerId: string }[];
  readonly plans: readonly DemoPlan[];
  readonly people: readonly DemoPerson[];
  readonly customers: readonly DemoCustomer[];
  /** The distributors (customers whose orders are sell-in), registered through POST /distributors. */
  readonly distributors: readonly DemoCustomer[];
  /** Who is on the tiered plan, the channel plan, and whose plan is corrected and recalculated. */
  readonly roles: DemoRoles;
  /** The plan assignment recorded late and recalculated (also in the phases). */
  readonly correction: Correction;
  readonly phases: readonly Phase[];
  /** Commands per type. */
  readonly counts: Readonly<Record<CommandType, number>>;
  readonly commandCount: number;
  /** The local model of every salesperson's commission ledger (what payouts were computed from). */
  readonly ledgers: ReadonlyMap<string, readonly ModelEntry[]>;
  /** Where a newcomer should look first: a busy salesperson and month. */
  readonly highlight: { readonly salespersonId: string; readonly period: string; readonly teamId: string };
  /** The first month a salesperson on the accelerator earned above their quota (null: none did). */
  readonly accelerated: { readonly salespersonId: string; readonly period: string } | null;
}

/** ClosePeriod for every month from `first` through `last`, in order. */
function closeChain(first: string, last: string): Chain {
  const chain: SeedCommand[] = [];
  for (let period = first; period <= last;) {
    chain.push({ type: 'ClosePeriod', method: 'POST', path: `/periods/${period}/close`, body: {} });
    const [y, m] = period.split('-').map(Number) as [number, number];
    period = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return chain;
}

export function buildDemoCompany(options: DemoOptions): DemoCompany {
  if (!Number.isInteger(options.orders) || options.orders < 0) throw new Error('orders must be an integer ≥ 0');
  const seed = options.seed >>> 0;
  const people = buildPeople(Rng.derive(seed, 'people'));
  const managers = people.filter((p) => p.managerId === null);
  const reps = people.filter((p) => p.managerId !== null);
  const peopleById = new Map(people.map((p) => [p.salespersonId, p]));

  // Two reps who joined in 2024 leave during the story, from different teams.
  const leaverRng = Rng.derive(seed, 'leavers');
  const veterans = leaverRng.shuffle(reps.filter((r) => r.hiredOn < '2025-01-01'));
  const leavers = [veterans[0] as DemoPerson, veterans.find((r) => r.teamId !== veterans[0]!.teamId) as DemoPerson];
  leavers[0]!.terminatedOn = '2026-03-31';
  leavers[1]!.terminatedOn = '2026-08-14';

  const customers = buildCustomers(Rng.derive(seed, 'customers'), reps);
  reassignCredits(Rng.derive(seed, 'reassignments'), reps, customers);
  const roles = chooseRoles(Rng.derive(seed, 'roles'), reps, customers);
  assignPlans(Rng.derive(seed, 'plans'), people, roles);
  const distributors = buildDistributors(roles);

  const orders = buildOrders(Rng.derive(seed, 'orders'), options.orders, [...customers, ...distributors]);
  const collectionPolicies = assignPolicies(Rng.derive(seed, 'collection-policies'), customers);
  addCollectionCommands(Rng.derive(seed, 'collections'), orders, collectionPolicies);
  const sellThrough = secondarySales(Rng.derive(seed, 'secondary-sales'), distributors);
  const quotas = quotaCommands(Rng.derive(seed, 'quotas'), reps, orders, sellThrough, {
    accelerated: roles.tiered,
    unitQuotaTeam: roles.unitQuotaTeam,
  });

  // What the ledger posts: the orders in the order the chains below send them, then the secondary sales.
  const ledger = new LedgerModel();
  const commissions = new CommissionModel(peopleById, quotas.annual, ledger);
  commissions.orders(orders);
  for (const sale of sellThrough) commissions.secondarySale(sale);
  // Sales ops moved one salesperson to another plan from July 2026 but recorded it in October:
  // the assignment is corrected, then finance recalculates their open periods from July.
  const correction: Correction = {
    salesperson: roles.corrected,
    assignment: {
      assignmentId: `A-${roles.corrected.salespersonId}-fix`,
      planId: 'PLAN-COLL-7-ACC',
      effectiveFrom: '2026-07-01',
    },
    fromPeriod: '2026-07',
    date: '2026-10-06',
  };
  commissions.recalculate(orders, correction);
  const adjustments = adjustmentCommands(Rng.derive(seed, 'adjustments'), reps, options.orders, ledger);
  const recalculation: Dated[] = [
    {
      date: correction.date,
      command: {
        type: 'AssignPlan',
        method: 'POST',
        path: `/salespeople/${correction.salesperson.salespersonId}/plan-assignments`,
        body: { ...correction.assignment },
      },
    },
    {
      date: correction.date,
      command: {
        type: 'RecalculateCommissions',
        method: 'POST',
        path: `/salespeople/${correction.salesperson.salespersonId}/recalculations`,
        body: {
          recalculationId: `RC-${correction.salesperson.salespersonId}-${correction.date.slice(0, 7)}`,
          reason: `Moved to PLAN-COLL-7-ACC from ${correction.assignment.effectiveFrom}, recorded late`,
          fromPeriod: correction.fromPeriod,
        },
      },
    },
  ];
  const payouts = payoutCommands(people, ledger);

  const plansStep: Chain[] = PLANS.map((p) => [
    {
      type: 'CreatePlan',
      method: 'POST',
      path: '/plans',
      body: {
        planId: p.planId,
        name: p.name,
        currency: CURRENCY,
        basis: p.basis,
        rateBps: p.rateBps,
        clawback: { windowDays: p.windowDays, percentBps: p.percentBps },
        ...(p.tiers !== undefined ? { tiers: p.tiers } : {}),
        ...(p.overrideRateBps !== undefined ? { overrideRateBps: p.overrideRateBps } : {}),
        ...(p.holdbackBps !== undefined ? { holdbackBps: p.holdbackBps } : {}),
        ...(p.primaryDistributorSalesEarn !== undefined
          ? { primaryDistributorSalesEarn: p.primaryDistributorSalesEarn }
          : {}),
        ...(p.secondaryRateBps !== undefined ? { secondaryRateBps: p.secondaryRateBps } : {}),
      },
    },
  ]);
  const register = (p: DemoPerson): Chain => [
    {
      type: 'RegisterSalesperson',
      method: 'POST',
      path: '/salespeople',
      body: {
        salespersonId: p.salespersonId,
        name: p.name,
        teamId: p.teamId,
        ...(p.managerId !== null ? { managerId: p.managerId } : {}),
        hiredOn: p.hiredOn,
      },
    },
  ];
  const assignments: Chain[] = people.map((r) =>
    r.assignments.map((a) => ({
      type: 'AssignPlan',
      method: 'POST',
      path: `/salespeople/${r.salespersonId}/plan-assignments`,
      body: { assignmentId: a.assignmentId, planId: a.planId, effectiveFrom: a.effectiveFrom },
    })),
  );
  const customerChains: Chain[] = customers.map((c) => [
    {
      type: 'RegisterCustomer',
      method: 'POST',
      path: '/customers',
      body: {
        customerId: c.customerId,
        name: c.name,
        paymentTermsDays: c.paymentTermsDays,
        ...(c.creditLimit !== null ? { creditLimit: usd(c.creditLimit) } : {}),
        salesCredits: c.history[0]!.credits,
      },
    },
    // Finance puts the customer on its own collection policy from the first day it buys.
    ...(collectionPolicies.has(c.customerId) ? [assignPolicyCommand(c, collectionPolicies.get(c.customerId)!)] : []),
  ]);
  const reassignments: Chain[] = customers
    .filter((c) => c.history.length > 1)
    .map((c) =>
      c.history
        .slice(1)
        .sort((x, y) => ((x.effectiveFrom ?? '') < (y.effectiveFrom ?? '') ? -1 : 1))
        .map((h) => ({
          type: 'ReassignSalesCredits',
          method: 'POST',
          path: `/customers/${c.customerId}/sales-credits`,
          body: { reassignmentId: h.reassignmentId, effectiveFrom: h.effectiveFrom, salesCredits: h.credits },
        })),
    );
  const terminations: Chain[] = leavers.map((r) => [
    {
      type: 'TerminateSalesperson',
      method: 'POST',
      path: `/salespeople/${r.salespersonId}/termination`,
      body: { terminatedOn: r.terminatedOn },
    },
  ]);
  // One chain per salesperson: adjustments, payouts and the recalculation share their commission
  // stream (the corrected assignment goes just before the recalculation).
  const ledgerChains: Chain[] = people
    .map((r) =>
      [...adjustments, ...recalculation, ...payouts]
        .filter(
          (d) => d.command.path.includes(`/${r.salespersonId}/`) || d.command.body.salespersonId === r.salespersonId,
        )
        .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))
        .map((d) => d.command),
    )
    .filter((chain) => chain.length > 0);

  // Finance raises the limit of the first customer that has one (its sales all hold a reservation:
  // nothing to adopt, one CreditLimitSet).
  const raised = customers.find((c) => c.creditLimit !== null);
  const creditLimitChains: Chain[] = raised
    ? [
        [
          {
            type: 'SetCreditLimit',
            method: 'POST',
            path: `/customers/${raised.customerId}/credit-limit`,
            body: {
              creditLimitId: `CL-${raised.customerId}-raise`,
              creditLimit: usd(Math.round((raised.creditLimit! * 3) / 2)),
            },
          },
        ],
      ]
    : [];

  const phases: Phase[] = [
    {
      name: 'reference data',
      steps: [
        [...plansStep, ...managers.map(register), ...createPolicyCommands().map((c) => [c])],
        reps.map(register),
        [
          ...assignments,
          ...quotas.commands.map((q) => [q]),
          ...customerChains,
          ...distributors.map((d) => [registerDistributorCommand(d)]),
        ],
        [...reassignments, ...terminations],
      ],
    },
    {
      name: 'orders',
      steps: [[...orderChains(orders, roles.tiered), ...secondarySaleChains(sellThrough)]],
    },
    { name: 'payouts and adjustments', steps: [ledgerChains, creditLimitChains] },
    // Finance closes the months in order once everything else is recorded (PeriodClosed, statements).
    { name: 'period close', steps: [[closeChain(periodOf(FIRST_DAY), CLOSED_THROUGH)]] },
    // Finance records the collection tasks that have fallen due by the story's end (CollectionTaskFellDue).
    { name: 'due scan', steps: [[[DUE_SCAN]]] },
  ];

  const counts = Object.fromEntries(COMMAND_TYPES.map((t) => [t, 0])) as Record<CommandType, number>;
  let commandCount = 0;
  for (const phase of phases) {
    for (const step of phase.steps) {
      for (const chain of step) {
        for (const command of chain) {
          counts[command.type]++;
          commandCount++;
        }
      }
    }
  }

  return {
    options: { seed, orders: options.orders },
    teams: TEAMS.map((t) => ({ ...t, managerId: managers.find((m) => m.teamId === t.teamId)!.salespersonId })),
    plans: PLANS,
    people,
    customers,
    distributors,
    roles,
    correction,
    phases,
    counts,
    commandCount,
    ledgers: ledger.entries,
    highlight: highlightOf(reps, ledger),
    accelerated: acceleratedOf(commissions.accelerated),
  };
}

/**
 * Each order's commands in a chain of its own, except the orders crediting a salesperson on a
 * tiered plan: their rates depend on the attainment before each sale, so those orders go in one
 * chain per such salesperson, one after the other in booking order (as `CommissionModel` models
 * them), first so that these longer chains start at once.
 */
function orderChains(orders: readonly BookedOrder[], tiered: readonly DemoPerson[]): Chain[] {
  const merged = new Map<string, SeedCommand[]>(tiered.map((t) => [t.salespersonId, []]));
  const others: Chain[] = [];
  for (const order of orders) {
    const owners = order.credits.filter((c) => merged.has(c.salespersonId));
    if (owners.length > 1) throw new Error(`${order.orderId} credits two salespeople on tiered plans`);
    if (owners.length === 0) others.push(order.chain);
    else merged.get(owners[0]!.salespersonId)!.push(...order.chain);
  }
  return [...[...merged.values()].filter((c) => c.length > 0), ...others];
}

/** The first salesperson on a tiered plan to earn above the first tier, and the month. */
function acceleratedOf(accelerated: ReadonlyMap<string, string>): { salespersonId: string; period: string } | null {
  let first: { salespersonId: string; period: string; date: string } | null = null;
  for (const [salespersonId, date] of accelerated)
    if (!first || date < first.date) first = { salespersonId, period: periodOf(date), date };
  return first && { salespersonId: first.salespersonId, period: first.period };
}

/** The salesperson (still employed) with the most ledger entries in one month, and that month. */
function highlightOf(
  reps: readonly DemoPerson[],
  ledger: LedgerModel,
): { salespersonId: string; period: string; teamId: string } {
  let best = { salespersonId: reps[0]!.salespersonId, period: periodOf(LAST_DAY), teamId: reps[0]!.teamId, n: -1 };
  for (const rep of reps) {
    if (rep.terminatedOn !== null) continue;
    const perPeriod = new Map<string, number>();
    for (const e of ledger.entries.get(rep.salespersonId) ?? []) {
      if (e.type === 'EARNED' || e.type === 'CLAWBACK') perPeriod.set(e.period, (perPeriod.get(e.period) ?? 0) + 1);
    }
    for (const [period, n] of perPeriod) {
      // A month the story has finished (its payments and returns are in), not the last one.
      if (period >= periodOf(LAST_DAY)) continue;
      if (n > best.n || (n === best.n && period > best.period))
        best = { salespersonId: rep.salespersonId, period, teamId: rep.teamId, n };
    }
  }
  return { salespersonId: best.salespersonId, period: best.period, teamId: best.teamId };
}
