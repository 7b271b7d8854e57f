/**
 * The demo company without a server: deterministic, shaped as the issue asks, and every one of its
 * commands accepted by the real deciders of libs/sales and libs/commissions when replayed in the
 * order seed-demo sends them (any serialisation of its concurrent chains decides the same).
 */
import { DomainError } from '../../libs/eventsourcing/src/decider';
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
import { buildDemoCompany, type DemoCompany, FIRST_DAY, LAST_DAY, type SeedCommand } from './demo-company';

type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOW = '2026-12-01T00:00:00.000Z';
const iso = (instant: string) => new Date(instant).toISOString();
const money = (m: Body | undefined) => (m ? { amount: m.amount as number, currency: m.currency as string } : null);

/** Replays every command through the deciders, as the handlers would; answers the refusals. */
function replay(company: DemoCompany): { command: SeedCommand; error: string }[] {
  const plans = new Map<string, PlanState>();
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
  const applyPerson = (id: string, events: readonly SalespersonEvent[]) =>
    people.set(id, events.reduce(evolveSalesperson, person(id)));
  const receivable = (id: string) => receivables.get(id) ?? initialReceivableState();
  const applyReceivable = (id: string, events: readonly ReceivableStreamEvent[]) =>
    receivables.set(id, events.reduce(evolveReceivable, receivable(id)));
  const applyOrder = (id: string, events: readonly OrderEvent[]) => {
    orders.set(id, events.reduce(evolveOrder, orders.get(id) ?? initialOrderState()));
    applyReceivable(id, events);
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
        const events = decideCreatePlan(
          {
            type: 'CreatePlan',
            planId: b.planId,
            name: b.name,
            currency: b.currency,
            basis: b.basis,
            rateBps: b.rateBps,
            clawback: b.clawback,
            at: NOW,
          },
          state,
        );
        plans.set(b.planId, events.reduce(evolvePlan, state));
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
        decideSetQuota(
          {
            type: 'SetQuota',
            salespersonId: id,
            year: Number(segments[4]),
            quotaId: b.quotaId,
            annualTarget: money(b.annualTarget)!,
            monthlyWeightsBps: b.monthlyWeightsBps,
          },
          { quotaIds: [] },
          person(id),
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
      case 'RegisterCustomer': {
        const state = customers.get(b.customerId) ?? initialCustomerState();
        const events = decideRegisterCustomer(
          {
            type: 'RegisterCustomer',
            customerId: b.customerId,
            name: b.name,
            paymentTermsDays: b.paymentTermsDays,
            creditLimit: money(b.creditLimit),
            salesCredits: b.salesCredits,
            at: NOW,
          },
          state,
          people,
        );
        customers.set(b.customerId, events.reduce(evolveCustomer, state));
        return;
      }
      case 'ReassignSalesCredits': {
        const state = customers.get(id) ?? initialCustomerState();
        const events = decideReassignSalesCredits(
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
        customers.set(id, events.reduce<CustomerState>(evolveCustomer, state));
        return;
      }
      case 'SetCreditLimit': {
        const state = customers.get(id) ?? initialCustomerState();
        const events = decideSetCreditLimit(
          { type: 'SetCreditLimit', customerId: id, creditLimitId: b.creditLimitId, creditLimit: money(b.creditLimit) },
          state,
          [],
          NOW,
        );
        customers.set(id, events.reduce<CustomerState>(evolveCustomer, state));
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
        );
        return;
      case 'RecordPayout':
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
        periods = { closed: [...periods.closed, closed!.data.period] };
        return;
      }
      case 'CreateCollectionPolicy': {
        const state = policies.get(b.policyId) ?? initialCollectionPolicyState();
        const events = decideCreateCollectionPolicy(
          { type: 'CreateCollectionPolicy', policyId: b.policyId, name: b.name, steps: b.steps, at: NOW },
          state,
        );
        policies.set(b.policyId, events.reduce(evolveCollectionPolicy, state));
        return;
      }
      case 'AssignCollectionPolicy':
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
  return refusals;
}

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

  it('has two plans of each basis with different rates and clawback policies', () => {
    for (const basis of ['BOOKING', 'COLLECTION'] as const) {
      const plans = company.plans.filter((p) => p.basis === basis);
      expect(plans).toHaveLength(2);
      expect(plans[0]!.rateBps).not.toBe(plans[1]!.rateBps);
      expect([plans[0]!.windowDays, plans[0]!.percentBps]).not.toEqual([plans[1]!.windowDays, plans[1]!.percentBps]);
    }
  });

  it('sets 2025 and 2026 quotas for every salesperson, with seasonal weights totalling exactly 10000', () => {
    const quotas = all.filter((c) => c.type === 'SetQuota');
    expect(quotas).toHaveLength(reps.length * 2);
    for (const q of quotas) {
      const weights = q.body.monthlyWeightsBps as number[];
      expect(weights).toHaveLength(12);
      expect(weights.reduce((a, b) => a + b, 0)).toBe(10_000);
    }
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
    const refusals = replay(company);
    expect(refusals.slice(0, 5)).toEqual([]);
  });

  it('is accepted at the small sizes CI uses too', () => {
    for (const orders of [0, 1, 150]) expect(replay(buildDemoCompany({ seed: 3, orders })).slice(0, 5)).toEqual([]);
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
    const refusals = replay({ ...small, phases });
    expect(refusals.map((r) => r.error.split(':')[0])).toEqual(['OVERPAYMENT']);
  });
});
