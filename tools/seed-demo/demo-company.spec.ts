/**
 * The demo company without a server: deterministic, shaped as the issues ask, and every one of its
 * commands accepted by the real deciders of libs/sales and libs/commissions when replayed in the
 * order seed-demo sends them (any serialisation of its concurrent chains decides the same). The
 * events they decide, run through the real ledger projection, post what the seed's own commission
 * model (commissions.ts, what its payouts and the e2e's figures come from) says, to the cent.
 */
import { DomainError } from '../../libs/eventsourcing/src/decider';
import type { StoredEvent } from '../../libs/eventsourcing/src/event';
import {
  InMemoryLedgerView,
  type LedgerEntry,
  projectLedger,
} from '../../libs/commissions/src/commission-ledger/commission-ledger.projection';
import { decideRecalculateCommissions } from '../../libs/commissions/src/recalculations/recalculate-commissions/recalculate-commissions.decide';
import { decideReportSecondarySale } from '../../libs/sales/src/distributors/report-secondary-sale/report-secondary-sale.decide';
import {
  evolveSecondarySale,
  initialSecondarySaleState,
  type SecondarySaleState,
} from '../../libs/sales/src/distributors/secondary-sale.state';
import type { CommissionContext } from '../../libs/commissions/src/commission-account.state';
import { initialCommissionAccount } from '../../libs/commissions/src/commission-account.state';
import { decidePostAdjustment } from '../../libs/commissions/src/adjustments/post-adjustment/post-adjustment.decide';
import { decideRecordPayout } from '../../libs/commissions/src/payouts/record-payout/record-payout.decide';
import {
  type CustomerState,
  evolveCustomer,
  initialCustomerState,
} from '../../libs/sales/src/customers/customer.state';
import { decideReassignSalesCredits } from '../../libs/sales/src/customers/reassign-sales-credits/reassign-sales-credits.decide';
import { decideRegisterCustomer } from '../../libs/sales/src/customers/register-customer/register-customer.decide';
import { decideSetCreditLimit } from '../../libs/sales/src/customers/set-credit-limit/set-credit-limit.decide';
import { decideBookSale } from '../../libs/sales/src/orders/book-sale/book-sale.decide';
import { decideCancelOrder } from '../../libs/sales/src/orders/cancel-order/cancel-order.decide';
import { decideIssueInvoice } from '../../libs/sales/src/orders/issue-invoice/issue-invoice.decide';
import {
  evolveOrder,
  initialOrderState,
  type OrderEvent,
  type OrderState,
} from '../../libs/sales/src/orders/order.state';
import { decideReceivePayment } from '../../libs/sales/src/orders/receive-payment/receive-payment.decide';
import { decideReturnGoods } from '../../libs/sales/src/orders/return-goods/return-goods.decide';
import { decideWriteOff } from '../../libs/sales/src/orders/write-off/write-off.decide';
import { decideCreatePlan } from '../../libs/sales/src/plans/create-plan/create-plan.decide';
import { evolvePlan, initialPlanState, type PlanState } from '../../libs/sales/src/plans/plan.state';
import { decideAssignPlan } from '../../libs/sales/src/salespeople/assign-plan/assign-plan.decide';
import { decideRegisterSalesperson } from '../../libs/sales/src/salespeople/register-salesperson/register-salesperson.decide';
import {
  applicableAssignment,
  evolveSalesperson,
  initialSalespersonState,
  type SalespersonEvent,
  type SalespersonState,
} from '../../libs/sales/src/salespeople/salesperson.state';
import { decideSetQuota } from '../../libs/sales/src/salespeople/set-quota/set-quota.decide';
import { decideTerminateSalesperson } from '../../libs/sales/src/salespeople/terminate-salesperson/terminate-salesperson.decide';
import {
  decideClosePeriod,
  type PeriodsState,
} from '../../libs/commissions/src/periods/close-period/close-period.decide';
import { decideAssignCollectionPolicy } from '../../libs/sales/src/collections/assign-collection-policy/assign-collection-policy.decide';
import {
  type CollectionPolicyState,
  evolveCollectionPolicy,
  initialCollectionPolicyState,
} from '../../libs/sales/src/collections/collection-policy.state';
import {
  evolveReceivable,
  initialReceivableState,
  type ReceivableState,
  type ReceivableStreamEvent,
} from '../../libs/sales/src/collections/collection-receivable.state';
import { decideCreateCollectionPolicy } from '../../libs/sales/src/collections/create-collection-policy/create-collection-policy.decide';
import { decideDisputeInvoice } from '../../libs/sales/src/collections/dispute-invoice/dispute-invoice.decide';
import { decidePromisePayment } from '../../libs/sales/src/collections/promise-payment/promise-payment.decide';
import { decideRecordCollectionAction } from '../../libs/sales/src/collections/record-collection-action/record-collection-action.decide';
import { decideResolveInvoiceDispute } from '../../libs/sales/src/collections/resolve-invoice-dispute/resolve-invoice-dispute.decide';
import {
  buildDemoCompany,
  CHANNEL_PLAN_ID,
  creditsOn,
  type DemoCompany,
  FIELD_PLAN_IDS,
  FIRST_DAY,
  LAST_DAY,
  MANAGER_PLAN_ID,
  type SeedCommand,
  TIERED_PLAN_ID,
} from './demo-company';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOW = '2026-12-01T00:00:00.000Z';
const iso = (instant: string) => new Date(instant).toISOString();
const money = (m: Body | undefined) => (m ? { amount: m.amount as number, currency: m.currency as string } : null);

interface Decided {
  readonly type: string;
  readonly occurredAt: string;
  readonly data: unknown;
}

/**
 * Replays every command through the deciders, as the handlers would; answers the refusals and the
 * events decided, in order.
 */
function replay(company: DemoCompany): { refusals: { command: SeedCommand; error: string }[]; events: Decided[] } {
  const events: Decided[] = [];
  const record = <E extends Decided>(decided: readonly E[]): E[] => {
    events.push(...decided);
    return [...decided];
  };
  const plans = new Map<string, PlanState>();
  const secondarySales = new Map<string, SecondarySaleState>();
  const people = new Map<string, SalespersonState>();
  const customers = new Map<string, CustomerState>();
  const orders = new Map<string, OrderState>();
  /** Each order's stream as the collection commands fold it (order events and collection facts). */
  const receivables = new Map<string, ReceivableState>();
  const policies = new Map<string, CollectionPolicyState>();
  let periods: PeriodsState = { closed: [] };
  const activePeriods = new Set(
    company.phases.flatMap((p) =>
      p.steps.flat(2).flatMap((c) => (c.type === 'BookSale' ? [(c.body.bookedAt as string).slice(0, 7)] : [])),
    ),
  );
  const refusals: { command: SeedCommand; error: string }[] = [];
  const person = (id: string) => people.get(id) ?? initialSalespersonState();
  const applyPerson = (id: string, decided: readonly SalespersonEvent[]) =>
    people.set(id, record(decided).reduce(evolveSalesperson, person(id)));
  const receivable = (id: string) => receivables.get(id) ?? initialReceivableState();
  const applyReceivable = (id: string, decided: readonly ReceivableStreamEvent[], recorded = false) =>
    receivables.set(id, (recorded ? decided : record(decided)).reduce(evolveReceivable, receivable(id)));
  const applyOrder = (id: string, decided: readonly OrderEvent[]) => {
    orders.set(id, record(decided).reduce(evolveOrder, orders.get(id) ?? initialOrderState()));
    applyReceivable(id, decided, true);
  };
  const context = (salespersonId: string, onDate: string): CommissionContext => {
    const p = person(salespersonId);
    const assignment = p.exists ? applicableAssignment(p.assignments, onDate) : undefined;
    const plan = assignment ? plans.get(assignment.planId) : undefined;
    return {
      salespersonExists: p.exists,
      planCurrency: plan?.exists ? plan.currency : null,
      closedPeriods: new Set(),
    };
  };

  const run = (command: SeedCommand) => {
    const b = command.body as Body;
    const segments = command.path.split('/');
    const id = segments[2] as string;
    switch (command.type) {
      case 'CreatePlan': {
        const state = plans.get(b.planId) ?? initialPlanState();
        const decided = decideCreatePlan(
          {
            type: 'CreatePlan',
            planId: b.planId,
            name: b.name,
            currency: b.currency,
            basis: b.basis,
            rateBps: b.rateBps,
            clawback: b.clawback,
            tiers: b.tiers,
            overrideRateBps: b.overrideRateBps,
            holdbackBps: b.holdbackBps,
            primaryDistributorSalesEarn: b.primaryDistributorSalesEarn,
            secondaryRateBps: b.secondaryRateBps,
            at: NOW,
          },
          state,
        );
        plans.set(b.planId, record(decided).reduce(evolvePlan, state));
        return;
      }
      case 'RegisterSalesperson':
        if (b.managerId && !person(b.managerId).exists) throw new Error(`manager ${b.managerId} unknown`);
        return applyPerson(
          b.salespersonId,
          decideRegisterSalesperson(
            {
              type: 'RegisterSalesperson',
              salespersonId: b.salespersonId,
              name: b.name,
              managerId: b.managerId ?? null,
              teamId: b.teamId ?? null,
              hiredOn: b.hiredOn,
            },
            person(b.salespersonId),
          ),
        );
      case 'AssignPlan':
        return applyPerson(
          id,
          decideAssignPlan(
            {
              type: 'AssignPlan',
              salespersonId: id,
              assignmentId: b.assignmentId,
              planId: b.planId,
              effectiveFrom: b.effectiveFrom,
            },
            person(id),
            plans.get(b.planId) ?? initialPlanState(),
          ),
        );
      case 'SetQuota':
        record(
          decideSetQuota(
            {
              type: 'SetQuota',
              salespersonId: id,
              year: Number(segments[4]),
              quotaId: b.quotaId,
              annualTarget: money(b.annualTarget)!,
              monthlyWeightsBps: b.monthlyWeightsBps,
              businessUnit: b.businessUnit ?? null,
            },
            { quotaIds: [] },
            person(id),
          ),
        );
        return;
      case 'TerminateSalesperson':
        return applyPerson(
          id,
          decideTerminateSalesperson(
            { type: 'TerminateSalesperson', salespersonId: id, terminatedOn: b.terminatedOn },
            person(id),
          ),
        );
      case 'RegisterCustomer':
      case 'RegisterDistributor': {
        const distributor = command.type === 'RegisterDistributor';
        const customerId = distributor ? b.distributorId : b.customerId;
        const state = customers.get(customerId) ?? initialCustomerState();
        const decided = decideRegisterCustomer(
          {
            type: 'RegisterCustomer',
            customerId,
            name: b.name,
            paymentTermsDays: b.paymentTermsDays,
            creditLimit: money(b.creditLimit),
            salesCredits: b.salesCredits,
            ...(distributor ? { distributor: true } : {}),
            at: NOW,
          },
          state,
          people,
        );
        customers.set(customerId, record(decided).reduce(evolveCustomer, state));
        return;
      }
      case 'ReportSecondarySale': {
        const state = secondarySales.get(b.saleId) ?? initialSecondarySaleState();
        const decided = decideReportSecondarySale(
          {
            type: 'ReportSecondarySale',
            saleId: b.saleId,
            distributorId: id,
            amount: money(b.amount)!,
            soldAt: iso(b.soldAt),
            endCustomer: b.endCustomer ?? null,
            businessUnit: b.businessUnit ?? null,
          },
          state,
          { distributor: customers.get(id) ?? initialCustomerState(), salespeople: people, plans },
        );
        secondarySales.set(b.saleId, record(decided).reduce(evolveSecondarySale, state));
        return;
      }
      case 'RecalculateCommissions':
        record(
          decideRecalculateCommissions(
            {
              type: 'RecalculateCommissions',
              recalculationId: b.recalculationId,
              salespersonId: id,
              fromPeriod: b.fromPeriod ?? null,
              reason: b.reason,
              requestedBy: 'seed-demo',
              at: NOW,
            },
            initialCommissionAccount(),
            context(id, NOW.slice(0, 10)),
          ),
        );
        return;
      case 'ReassignSalesCredits': {
        const state = customers.get(id) ?? initialCustomerState();
        const decided = decideReassignSalesCredits(
          {
            type: 'ReassignSalesCredits',
            customerId: id,
            reassignmentId: b.reassignmentId,
            effectiveFrom: b.effectiveFrom,
            salesCredits: b.salesCredits,
          },
          state,
          people,
        );
        customers.set(id, record(decided).reduce<CustomerState>(evolveCustomer, state));
        return;
      }
      case 'SetCreditLimit': {
        const state = customers.get(id) ?? initialCustomerState();
        const decided = decideSetCreditLimit(
          { type: 'SetCreditLimit', customerId: id, creditLimitId: b.creditLimitId, creditLimit: money(b.creditLimit) },
          state,
          [],
          NOW,
        );
        customers.set(id, record(decided).reduce<CustomerState>(evolveCustomer, state));
        return;
      }
      case 'BookSale':
        return applyOrder(
          b.orderId,
          decideBookSale(
            {
              type: 'BookSale',
              orderId: b.orderId,
              customerId: b.customerId,
              amount: money(b.amount)!,
              bookedAt: iso(b.bookedAt),
              salesCredits: b.salesCredits ?? null,
              businessUnit: b.businessUnit ?? null,
              lines: b.lines ?? [],
            },
            orders.get(b.orderId) ?? initialOrderState(),
            {
              customer: customers.get(b.customerId) ?? initialCustomerState(),
              salespeople: people,
              plans,
            },
          ),
        );
      case 'IssueInvoice':
        return applyOrder(
          id,
          decideIssueInvoice(
            {
              type: 'IssueInvoice',
              orderId: id,
              invoiceId: b.invoiceId,
              amount: money(b.amount)!,
              issuedAt: iso(b.issuedAt),
              dueDate: b.dueDate,
            },
            orders.get(id) ?? initialOrderState(),
          ),
        );
      case 'ReceivePayment':
        return applyOrder(
          id,
          decideReceivePayment(
            {
              type: 'ReceivePayment',
              orderId: id,
              paymentId: b.paymentId,
              amount: money(b.amount)!,
              receivedAt: iso(b.receivedAt),
            },
            orders.get(id) ?? initialOrderState(),
          ),
        );
      case 'CancelOrder':
        return applyOrder(
          id,
          decideCancelOrder(
            {
              type: 'CancelOrder',
              orderId: id,
              cancellationId: b.cancellationId,
              cancelledAt: iso(b.cancelledAt),
              reason: b.reason,
              amount: money(b.amount),
            },
            orders.get(id) ?? initialOrderState(),
          ),
        );
      case 'ReturnGoods':
        return applyOrder(
          id,
          decideReturnGoods(
            {
              type: 'ReturnGoods',
              orderId: id,
              returnId: b.returnId,
              returnedAt: iso(b.returnedAt),
              reason: b.reason,
              amount: money(b.amount)!,
            },
            orders.get(id) ?? initialOrderState(),
          ),
        );
      case 'WriteOffDebt':
        return applyOrder(
          id,
          decideWriteOff(
            {
              type: 'WriteOffDebt',
              orderId: id,
              writeOffId: b.writeOffId,
              writtenOffAt: iso(b.writtenOffAt),
              reason: b.reason,
              amount: money(b.amount),
            },
            orders.get(id) ?? initialOrderState(),
          ),
        );
      case 'PostAdjustment':
        record(
          decidePostAdjustment(
            {
              type: 'PostAdjustment',
              adjustmentId: b.adjustmentId,
              salespersonId: id,
              period: b.period,
              amount: money(b.amount)!,
              reason: b.reason,
              approvedBy: 'seed-demo',
              at: NOW,
            },
            initialCommissionAccount(),
            context(id, `${b.period}-01`),
          ),
        );
        return;
      case 'RecordPayout':
        record(
          decideRecordPayout(
            {
              type: 'RecordPayout',
              payoutId: b.payoutId,
              salespersonId: b.salespersonId,
              amount: money(b.amount)!,
              paidAt: iso(b.paidAt),
            },
            initialCommissionAccount(),
            context(b.salespersonId, b.paidAt.slice(0, 10)),
          ),
        );
        return;
      case 'ClosePeriod': {
        const period = command.path.split('/')[2] as string;
        const [closed] = decideClosePeriod(
          {
            type: 'ClosePeriod',
            period,
            closedBy: 'seed-demo',
            at: NOW,
            statements: [],
            throughPosition: null,
            throughLogPosition: null,
            earlierPeriodsWithActivity: [...activePeriods].filter((p) => p < period),
          },
          periods,
        );
        record([closed!]);
        periods = { closed: [...periods.closed, closed!.data.period] };
        return;
      }
      case 'CreateCollectionPolicy': {
        const state = policies.get(b.policyId) ?? initialCollectionPolicyState();
        const decided = decideCreateCollectionPolicy(
          { type: 'CreateCollectionPolicy', policyId: b.policyId, name: b.name, steps: b.steps, at: NOW },
          state,
        );
        policies.set(b.policyId, record(decided).reduce(evolveCollectionPolicy, state));
        return;
      }
      case 'AssignCollectionPolicy':
        record(
          decideAssignCollectionPolicy(
            {
              type: 'AssignCollectionPolicy',
              customerId: id,
              assignmentId: b.assignmentId,
              policyId: b.policyId,
              effectiveFrom: b.effectiveFrom,
            },
            customers.get(id) ?? initialCustomerState(),
            policies.get(b.policyId) ?? initialCollectionPolicyState(),
          ),
        );
        return;
      case 'RecordCollectionAction':
        return applyReceivable(
          id,
          decideRecordCollectionAction(
            {
              type: 'RecordCollectionAction',
              orderId: id,
              actionId: b.actionId,
              invoiceId: b.invoiceId,
              stepId: b.stepId ?? null,
              action: b.action,
              takenAt: iso(b.takenAt),
              note: b.note ?? null,
            },
            receivable(id),
          ),
        );
      case 'PromisePayment':
        return applyReceivable(
          id,
          decidePromisePayment(
            {
              type: 'PromisePayment',
              orderId: id,
              promiseId: b.promiseId,
              invoiceId: b.invoiceId,
              amount: money(b.amount)!,
              promisedDate: b.promisedDate,
              recordedAt: iso(b.recordedAt),
            },
            receivable(id),
          ),
        );
      case 'DisputeInvoice':
        return applyReceivable(
          id,
          decideDisputeInvoice(
            {
              type: 'DisputeInvoice',
              orderId: id,
              disputeId: b.disputeId,
              invoiceId: b.invoiceId,
              reason: b.reason,
              disputedAt: iso(b.disputedAt),
            },
            receivable(id),
          ),
        );
      case 'ResolveInvoiceDispute':
        return applyReceivable(
          id,
          decideResolveInvoiceDispute(
            {
              type: 'ResolveInvoiceDispute',
              orderId: id,
              disputeId: segments[4] as string,
              resolvedAt: iso(b.resolvedAt),
              outcome: b.outcome ?? null,
            },
            receivable(id),
          ),
        );
      case 'RunDueScan':
        // The scan reads the collection-tasks read model (an e2e test runs it); its asOf is the story's end.
        if (b.asOf !== `${LAST_DAY}T23:59:59Z`) throw new Error(`due scan as of ${b.asOf}`);
        return;
    }
  };

  for (const phase of company.phases) {
    for (const step of phase.steps) {
      for (const chain of step) {
        for (const command of chain) {
          try {
            run(command);
          } catch (error) {
            refusals.push({
              command,
              error: error instanceof DomainError ? `${error.code}: ${error.message}` : String(error),
            });
            break; // the rest of the chain depends on it
          }
        }
      }
    }
  }
  return { refusals, events };
}

/** The decided events as the store would keep them, in the order decided. */
function stored(events: readonly Decided[]): StoredEvent[] {
  return events.map((e, i) => {
    const position = BigInt(i + 1);
    return {
      id: `event-${i + 1}`,
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      occurredAt: e.occurredAt,
      recordedAt: NOW,
      metadata: { actor: 'seed-demo', commandId: 'c', commandType: 'T', correlationId: 'x', causationId: 'y' },
      streamId: 's',
      streamRevision: 0n,
      globalPosition: position,
      logPosition: { major: position, minor: 0n },
    };
  });
}

/** `salesperson period type` → [amount, held], from the ledger projection or the seed's model. */
type Totals = Map<string, [number, number]>;

function add(totals: Totals, key: string, amount: number, held: number): void {
  const [a, h] = totals.get(key) ?? [0, 0];
  totals.set(key, [a + amount, h + held]);
}

function project(events: readonly Decided[]): { totals: Totals; entries: LedgerEntry[] } {
  const view = new InMemoryLedgerView();
  const totals: Totals = new Map();
  const entries: LedgerEntry[] = [];
  for (const event of stored(events)) {
    for (const change of projectLedger(view, event)) {
      view.apply(change);
      if (change.kind === 'entry') {
        const e = change.entry;
        entries.push(e);
        add(totals, `${e.salespersonId} ${e.period} ${e.type}`, Number(e.amount), Number(e.held));
      }
    }
  }
  return { totals, entries };
}

function modelTotals(company: DemoCompany): Totals {
  const totals: Totals = new Map();
  for (const [salespersonId, entries] of company.ledgers)
    for (const e of entries) add(totals, `${salespersonId} ${e.period} ${e.type}`, e.amount, e.held);
  return totals;
}

const sorted = (totals: Totals) => [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const commands = (company: DemoCompany) =>
  company.phases.flatMap((p) => p.steps.flatMap((step) => step.flatMap((chain) => [...chain])));

describe('the demo company', () => {
  const company = buildDemoCompany({ seed: 42, orders: 20_000 });
  const all = commands(company);
  const reps = company.people.filter((p) => p.managerId !== null);

  it('is the same for the same seed and differs for another', () => {
    const again = buildDemoCompany({ seed: 42, orders: 20_000 });
    expect(JSON.stringify(again.phases)).toBe(JSON.stringify(company.phases));
    expect(JSON.stringify(buildDemoCompany({ seed: 7, orders: 20_000 }).phases)).not.toBe(
      JSON.stringify(company.phases),
    );
  });

  it('has three teams with a manager each, about 30 salespeople hired in 2024/2025 and two leavers', () => {
    expect(company.teams).toHaveLength(3);
    for (const team of company.teams) {
      const members = reps.filter((r) => r.teamId === team.teamId);
      expect(members.length).toBeGreaterThanOrEqual(8);
      expect(members.every((r) => r.managerId === team.managerId)).toBe(true);
    }
    expect(reps.length).toBeGreaterThanOrEqual(25);
    expect(reps.every((r) => /^202[45]-/.test(r.hiredOn))).toBe(true);
    expect(reps.filter((r) => r.terminatedOn !== null)).toHaveLength(2);
    expect(reps.some((r) => r.assignments.length > 1)).toBe(true); // plan changes mid-period
  });

  it('has two field plans of each basis with different rates and clawback policies', () => {
    for (const basis of ['BOOKING', 'COLLECTION'] as const) {
      const plans = company.plans.filter((p) => p.basis === basis && FIELD_PLAN_IDS.includes(p.planId));
      expect(plans).toHaveLength(2);
      expect(plans[0]!.rateBps).not.toBe(plans[1]!.rateBps);
      expect([plans[0]!.windowDays, plans[0]!.percentBps]).not.toEqual([plans[1]!.windowDays, plans[1]!.percentBps]);
    }
  });

  it('has richer plans, each sent with its terms: an accelerator with a holdback, a channel plan, a manager override', () => {
    const created = new Map(all.filter((c) => c.type === 'CreatePlan').map((c) => [c.body.planId as string, c.body]));
    expect(created.get(TIERED_PLAN_ID)).toMatchObject({
      tiers: [
        { fromAttainmentBps: 0, rateBps: 600 },
        { fromAttainmentBps: 10_000, rateBps: 900 },
        { fromAttainmentBps: 12_000, rateBps: 1_200 },
      ],
      holdbackBps: 1_000,
    });
    expect(created.get(CHANNEL_PLAN_ID)).toMatchObject({ primaryDistributorSalesEarn: false, secondaryRateBps: 300 });
    expect(created.get(MANAGER_PLAN_ID)).toMatchObject({ overrideRateBps: 150, holdbackBps: 2_000 });
    expect(created.get('PLAN-BOOK-8')).not.toHaveProperty('tiers'); // a field plan is sent as before
    // Who is on them: two reps of different teams on the accelerator from their hiring, a channel
    // rep, and every manager on the override plan (south's from 2026 on).
    expect(new Set(company.roles.tiered.map((r) => r.teamId)).size).toBe(2);
    for (const r of company.roles.tiered) expect(r.assignments.map((a) => a.planId)).toEqual([TIERED_PLAN_ID]);
    expect(company.roles.channel.assignments.map((a) => a.planId)).toEqual([CHANNEL_PLAN_ID]);
    const managers = company.people.filter((p) => p.managerId === null);
    expect(managers.map((m) => m.assignments.map((a) => [a.planId, a.effectiveFrom]))).toEqual(
      managers.map((m) => [[MANAGER_PLAN_ID, m.teamId === 'south' ? '2026-01-01' : m.hiredOn]]),
    );
    const onRicherPlans = reps.filter((r) =>
      r.assignments.some((a) => !FIELD_PLAN_IDS.includes(a.planId) && a.planId !== CHANNEL_PLAN_ID),
    );
    expect(onRicherPlans.sort()).toEqual([...company.roles.tiered].sort());
  });

  it('sends every order crediting a rep on the accelerator in one chain, in booking order, first', () => {
    const chains = company.phases[1]!.steps[0]!;
    const buyers = new Map([...company.customers, ...company.distributors].map((c) => [c.customerId, c]));
    const creditedOn = (booking: SeedCommand) =>
      creditsOn(buyers.get(booking.body.customerId as string)!, (booking.body.bookedAt as string).slice(0, 10)).map(
        (c) => c.salespersonId,
      );
    company.roles.tiered.forEach((rep, i) => {
      const chain = chains[i]!;
      const bookings = chain.filter((c) => c.type === 'BookSale');
      const theirs = all.filter((c) => c.type === 'BookSale' && creditedOn(c).includes(rep.salespersonId));
      expect(bookings.length).toBeGreaterThan(0);
      expect(bookings).toEqual(theirs);
      const dates = bookings.map((b) => b.body.bookedAt as string);
      expect(dates).toEqual([...dates].sort());
      // Shorter than one sender's share of all the commands (8 in flight), so the seed takes no longer.
      expect(chain.length).toBeLessThan(company.commandCount / 8);
    });
  });

  it('sets 2025 and 2026 quotas for every salesperson, per business unit in one team, with seasonal weights totalling exactly 10000', () => {
    const quotas = all.filter((c) => c.type === 'SetQuota');
    for (const rep of reps) {
      for (const year of [2025, 2026]) {
        const theirs = quotas.filter((q) => q.path === `/salespeople/${rep.salespersonId}/quotas/${year}`);
        const units = theirs.map((q) => q.body.businessUnit ?? null);
        if (rep.teamId === company.roles.unitQuotaTeam) {
          expect(units.length).toBeGreaterThan(0);
          expect(units.every((u) => u === 'enterprise' || u === 'smb' || u === 'public')).toBe(true);
          expect(new Set(units).size).toBe(units.length);
        } else {
          expect(units).toEqual([null]);
        }
      }
    }
    expect(quotas.filter((q) => q.body.businessUnit !== undefined).length).toBeGreaterThan(10);
    for (const q of quotas) {
      const weights = q.body.monthlyWeightsBps as number[];
      expect(weights).toHaveLength(12);
      expect(weights.reduce((a, b) => a + b, 0)).toBe(10_000);
    }
  });

  it('registers two distributors with sales credits, books sell-in orders to them, and records their secondary sales after', () => {
    const registered = all.filter((c) => c.type === 'RegisterDistributor');
    expect(registered.map((c) => c.body.distributorId)).toEqual(['D-0001', 'D-0002']);
    expect(registered.map((c) => (c.body.salesCredits as { splitBps: number }[]).map((x) => x.splitBps))).toEqual([
      [10_000],
      [6_000, 4_000],
    ]);
    const sellIn = all.filter((c) => c.type === 'BookSale' && (c.body.customerId as string).startsWith('D-'));
    expect(sellIn.length).toBeGreaterThan(0);
    for (const d of company.distributors)
      expect(sellIn.every((c) => c.body.customerId !== d.customerId || (c.body.bookedAt as string) >= d.since)).toBe(
        true,
      );
    // Secondary sales come in the orders phase, after the distributors' registration (reference data).
    const reported = company.phases[1]!.steps.flat(2).filter((c) => c.type === 'ReportSecondarySale');
    expect(reported).toHaveLength(company.counts.ReportSecondarySale);
    expect(reported.length).toBeGreaterThan(20);
    const units = reported.map((c) => c.body.businessUnit);
    expect(units.filter((u) => u === 'smb').length).toBeGreaterThan(0);
    expect(units.filter((u) => u === undefined).length).toBeGreaterThan(0);
    for (const d of company.distributors) {
      const theirs = reported.filter((c) => c.path === `/distributors/${d.customerId}/secondary-sales`);
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.every((c) => (c.body.soldAt as string).slice(0, 10) >= d.since)).toBe(true);
    }
  });

  it("corrects one salesperson's plan assignment after the fact, then recalculates their open periods from then", () => {
    const { salesperson, assignment, fromPeriod } = company.correction;
    const chain = company.phases[2]!.steps[0]!.find((ch) => ch.some((c) => c.type === 'RecalculateCommissions'))!;
    const fix = chain.findIndex((c) => c.type === 'AssignPlan');
    const recalculation = chain.findIndex((c) => c.type === 'RecalculateCommissions');
    expect(fix).toBeGreaterThanOrEqual(0);
    expect(recalculation).toBe(fix + 1);
    expect(chain[fix]!.body).toEqual(assignment);
    expect(chain[recalculation]).toMatchObject({
      path: `/salespeople/${salesperson.salespersonId}/recalculations`,
      body: { fromPeriod },
    });
    expect(company.counts.RecalculateCommissions).toBe(1);
    // The assignment it corrects is earlier than the orders that were booked under the old one.
    expect(salesperson.assignments.every((a) => a.effectiveFrom < assignment.effectiveFrom)).toBe(true);
    expect(salesperson.assignments.some((a) => a.planId !== assignment.planId)).toBe(true);
  });

  it('has 300 customers credited 100 %, 60/40 and three ways, and a few reassignments', () => {
    expect(company.customers).toHaveLength(300);
    const shapes = new Set(company.customers.map((c) => c.history[0]!.credits.map((x) => x.splitBps).join('/')));
    expect([...shapes].sort()).toEqual(['10000', '5000/3000/2000', '6000/4000']);
    expect(company.counts.ReassignSalesCredits).toBeGreaterThan(0);
  });

  it('books the orders asked for over 18 months, in every business unit, with their whole lives', () => {
    expect(company.counts.BookSale).toBe(20_000);
    const sales = all.filter((c) => c.type === 'BookSale');
    const months = new Set(sales.map((s) => (s.body.bookedAt as string).slice(0, 7)));
    expect(months.size).toBe(18);
    expect(new Set(sales.map((s) => s.body.businessUnit))).toEqual(new Set(['enterprise', 'smb', 'public']));
    for (const type of [
      'IssueInvoice',
      'ReceivePayment',
      'CancelOrder',
      'ReturnGoods',
      'WriteOffDebt',
      'PostAdjustment',
      'RecordPayout',
    ] as const) {
      expect(company.counts[type]).toBeGreaterThan(0);
    }
    const partial = all.filter((c) => c.type === 'CancelOrder' && c.body.amount !== undefined);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(company.counts.CancelOrder);
  });

  it('works a share of the late invoices: policies, actions, promises kept and broken, disputes mostly resolved, the due scan', () => {
    expect(company.counts.CreateCollectionPolicy).toBe(2);
    expect(company.counts.AssignCollectionPolicy).toBeGreaterThan(0);
    expect(company.counts.AssignCollectionPolicy).toBeLessThan(company.customers.length);
    expect(company.counts.RecordCollectionAction).toBeGreaterThan(0);
    expect(company.counts.DisputeInvoice).toBeGreaterThan(0);
    expect(company.counts.ResolveInvoiceDispute).toBeGreaterThan(company.counts.DisputeInvoice / 2);
    expect(company.counts.ResolveInvoiceDispute).toBeLessThan(company.counts.DisputeInvoice);
    expect(company.counts.RunDueScan).toBe(1);
    expect(all[all.length - 1]).toEqual({
      type: 'RunDueScan',
      method: 'POST',
      path: '/collection-tasks/fall-due-scan',
      body: { asOf: `${LAST_DAY}T23:59:59Z` },
    });
    // A promise is kept when payments from its recording through its promised date cover it.
    const paymentsOf = new Map<string, SeedCommand[]>();
    for (const c of all.filter((x) => x.type === 'ReceivePayment'))
      paymentsOf.set(c.path, [...(paymentsOf.get(c.path) ?? []), c]);
    const outcomes = { kept: 0, broken: 0 };
    for (const promise of all.filter((c) => c.type === 'PromisePayment')) {
      const b = promise.body as Body;
      const paid = (paymentsOf.get(promise.path.replace('/payment-promises', '/payments')) ?? [])
        .filter(
          (c) =>
            (c.body.receivedAt as string) > b.recordedAt &&
            (c.body.receivedAt as string).slice(0, 10) <= b.promisedDate,
        )
        .reduce((sum, c) => sum + (c.body.amount as { amount: number }).amount, 0);
      outcomes[paid >= b.amount.amount ? 'kept' : 'broken']++;
    }
    expect(outcomes.kept).toBeGreaterThan(0);
    expect(outcomes.broken).toBeGreaterThan(0);
  });

  it('dates nothing before the story starts or after it ends', () => {
    const keys = [
      'bookedAt',
      'issuedAt',
      'receivedAt',
      'cancelledAt',
      'returnedAt',
      'writtenOffAt',
      'paidAt',
      'takenAt',
      'recordedAt',
      'promisedDate',
      'disputedAt',
      'resolvedAt',
      'soldAt',
    ];
    const outside = all.filter((c) =>
      keys.some((key) => {
        const date = (c.body[key] as string | undefined)?.slice(0, 10);
        return date !== undefined && (date < FIRST_DAY || date > LAST_DAY);
      }),
    );
    expect(outside).toEqual([]);
  });

  it('sends nothing for a leaver after they left', () => {
    for (const leaver of reps.filter((r) => r.terminatedOn !== null)) {
      const theirs = all.filter(
        (c) => c.body.salespersonId === leaver.salespersonId || c.path.includes(`/${leaver.salespersonId}/`),
      );
      for (const c of theirs) {
        if (c.type === 'RecordPayout')
          expect((c.body.paidAt as string).slice(0, 10) <= leaver.terminatedOn!).toBe(true);
        if (c.type === 'PostAdjustment')
          expect((c.body.period as string) < leaver.terminatedOn!.slice(0, 7)).toBe(true);
      }
    }
  });

  it('gives every command its own id, so that sending it twice appends nothing', () => {
    const idOf: Record<SeedCommand['type'], (c: SeedCommand) => unknown> = {
      CreatePlan: (c) => c.body.planId,
      RegisterSalesperson: (c) => c.body.salespersonId,
      AssignPlan: (c) => c.body.assignmentId,
      SetQuota: (c) => c.body.quotaId,
      RegisterCustomer: (c) => c.body.customerId,
      RegisterDistributor: (c) => c.body.distributorId,
      ReportSecondarySale: (c) => c.body.saleId,
      RecalculateCommissions: (c) => c.body.recalculationId,
      ReassignSalesCredits: (c) => c.body.reassignmentId,
      SetCreditLimit: (c) => c.body.creditLimitId,
      TerminateSalesperson: (c) => c.path,
      BookSale: (c) => c.body.orderId,
      IssueInvoice: (c) => c.body.invoiceId,
      ReceivePayment: (c) => c.body.paymentId,
      CancelOrder: (c) => c.body.cancellationId,
      ReturnGoods: (c) => c.body.returnId,
      WriteOffDebt: (c) => c.body.writeOffId,
      PostAdjustment: (c) => c.body.adjustmentId,
      RecordPayout: (c) => c.body.payoutId,
      ClosePeriod: (c) => c.path,
      CreateCollectionPolicy: (c) => c.body.policyId,
      AssignCollectionPolicy: (c) => c.body.assignmentId,
      RecordCollectionAction: (c) => c.body.actionId,
      PromisePayment: (c) => c.body.promiseId,
      DisputeInvoice: (c) => c.body.disputeId,
      ResolveInvoiceDispute: (c) => c.path,
      RunDueScan: (c) => c.path,
    };
    const ids = all.map((c) => `${c.type}:${String(idOf[c.type](c))}`);
    expect(ids.every((id) => !id.endsWith(':undefined'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is accepted command by command by the deciders the server runs', () => {
    const { refusals } = replay(company);
    expect(refusals.slice(0, 5)).toEqual([]);
  });

  it('is accepted at the small sizes CI uses too', () => {
    for (const orders of [0, 1, 150])
      expect(replay(buildDemoCompany({ seed: 3, orders })).refusals.slice(0, 5)).toEqual([]);
  });

  it('models the commission ledger to the cent: the ledger projection posts what the seed computed (amounts and holds per salesperson, period and type)', () => {
    for (const [seed, orders] of [
      [42, 20_000],
      [42, 150],
      [3, 2_000],
    ] as const) {
      const demo = seed === 42 && orders === 20_000 ? company : buildDemoCompany({ seed, orders });
      const { refusals, events } = replay(demo);
      expect(refusals).toEqual([]);
      const projected = project(events);
      expect({ seed, orders, totals: sorted(modelTotals(demo)) }).toEqual({
        seed,
        orders,
        totals: sorted(projected.totals),
      });
      // Each rule of issue 10 is at work in what was compared.
      const { entries } = projected;
      const managers = demo.teams.map((t) => t.managerId);
      expect(managers.every((m) => entries.some((e) => e.salespersonId === m && e.explanation.override))).toBe(true);
      expect(entries.some((e) => e.held > 0n)).toBe(true);
      expect(entries.some((e) => e.explanation.trigger === 'SECONDARY_SALE' && e.explanation.rateBps === 300)).toBe(
        true,
      );
      // Above 100 % of the quota, the accelerator's higher bands.
      const accelerated = entries.filter((e) => e.explanation.tierParts?.some((t) => t.fromAttainmentBps >= 10_000));
      expect(accelerated.length).toBeGreaterThan(0);
      const recalculated = entries.filter((e) => e.explanation.trigger === 'RECALCULATION');
      expect(recalculated.every((e) => e.salespersonId === demo.correction.salesperson.salespersonId)).toBe(true);
      if (orders >= 2_000) expect(recalculated.length).toBeGreaterThan(0);
    }
  });

  it('would be refused if one payment were a cent more than the receivable (the replay is no formality)', () => {
    const small = buildDemoCompany({ seed: 42, orders: 50 });
    const orders = small.phases[1]!.steps[0]!;
    const index = orders.findIndex((chain) => chain.some((c) => c.type === 'ReceivePayment'));
    const chain = orders[index]!;
    const last = chain.findLastIndex((c) => c.type === 'ReceivePayment');
    const payment = chain[last]!;
    const amount = payment.body.amount as { amount: number; currency: string };
    const tampered: SeedCommand = {
      ...payment,
      body: { ...payment.body, amount: { ...amount, amount: amount.amount + 1 } },
    };
    const phases = small.phases.map((phase, p) =>
      p !== 1
        ? phase
        : {
            ...phase,
            steps: [orders.map((c, i) => (i !== index ? c : c.map((x, k) => (k === last ? tampered : x))))],
          },
    );
    const { refusals } = replay({ ...small, phases });
    expect(refusals.map((r) => r.error.split(':')[0])).toEqual(['OVERPAYMENT']);
  });
});
