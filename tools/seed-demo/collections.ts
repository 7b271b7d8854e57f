/**
 * Collections (docs/collections-and-credit.md § Collection policies): finance's own policies for
 * some customers, and for a share of the late invoices the actions it took at the steps that fell
 * due, the promises customers made (kept: paid in full by the promised date; or broken), and a few
 * disputes, most of them resolved. Every fact is computed from the order's own commands (its
 * single invoice and its payments) so that the server accepts it: dated after the invoice was
 * issued and before it was settled, a promise never above what is open, nothing after the story.
 * At the end finance runs the due scan as of the story's end (CollectionTaskFellDue).
 */
import { DEFAULT_COLLECTION_POLICY } from '../../libs/sales/src/contracts/collections.events';
import { addDays, daysBetween, instant } from './calendar';
import { type DemoCustomer, LAST_DAY, type SeedCommand, usd } from './model';
import type { BookedOrder } from './orders';
import type { Rng } from './prng';

export interface DemoCollectionStep {
  readonly stepId: string;
  readonly offsetDays: number;
  readonly action: 'REMINDER' | 'FORMAL_NOTICE' | 'CALL' | 'ESCALATION' | 'LEGAL_HANDOFF';
  readonly responsible: 'SALESPERSON' | 'MANAGER' | 'FINANCE';
}

export interface DemoCollectionPolicy {
  readonly policyId: string;
  readonly name: string;
  readonly steps: readonly DemoCollectionStep[];
}

/** The policies finance creates besides the built-in `default`. */
export const COLLECTION_POLICIES: readonly DemoCollectionPolicy[] = [
  {
    policyId: 'smb-strict-v1',
    name: 'Small business: strict (call after a week, legal after 45 days)',
    steps: [
      { stepId: 'reminder-before', offsetDays: -5, action: 'REMINDER', responsible: 'SALESPERSON' },
      { stepId: 'reminder-after', offsetDays: 1, action: 'REMINDER', responsible: 'SALESPERSON' },
      { stepId: 'call', offsetDays: 7, action: 'CALL', responsible: 'SALESPERSON' },
      { stepId: 'formal-notice', offsetDays: 14, action: 'FORMAL_NOTICE', responsible: 'FINANCE' },
      { stepId: 'escalation', offsetDays: 21, action: 'ESCALATION', responsible: 'MANAGER' },
      { stepId: 'legal-handoff', offsetDays: 45, action: 'LEGAL_HANDOFF', responsible: 'FINANCE' },
    ],
  },
  {
    policyId: 'public-sector-v1',
    name: 'Public sector: patient (procurement cycles are slow)',
    steps: [
      { stepId: 'reminder-after', offsetDays: 5, action: 'REMINDER', responsible: 'SALESPERSON' },
      { stepId: 'call', offsetDays: 30, action: 'CALL', responsible: 'MANAGER' },
      { stepId: 'formal-notice', offsetDays: 60, action: 'FORMAL_NOTICE', responsible: 'FINANCE' },
      { stepId: 'escalation', offsetDays: 90, action: 'ESCALATION', responsible: 'FINANCE' },
    ],
  },
];

/** The story's last instant: the due scan's asOf (seed-demo sends now instead while it is still ahead). */
export const END_OF_STORY = `${LAST_DAY}T23:59:59Z`;

export const DUE_SCAN: SeedCommand = {
  type: 'RunDueScan',
  method: 'POST',
  path: '/collection-tasks/fall-due-scan',
  body: { asOf: END_OF_STORY },
};

const NOTES: Readonly<Record<DemoCollectionStep['action'], readonly string[]>> = {
  REMINDER: ['Reminder e-mailed to accounts payable', 'Statement of account sent'],
  CALL: ['Called the customer: invoice acknowledged', 'Call with the controller, payment run pending'],
  FORMAL_NOTICE: ['Formal notice sent by registered mail'],
  ESCALATION: ['Escalated to the customer’s CFO', 'Account on credit hold until paid'],
  LEGAL_HANDOFF: ['Handed over to the collection agency'],
};
const DISPUTE_REASONS = [
  'Seats billed that were never activated',
  'Invoice does not match the purchase order',
  'Services not delivered as agreed',
];
const DISPUTE_OUTCOMES = [
  'Invoice confirmed after review',
  'Purchase order reference corrected',
  'Explained, accepted',
];

export function createPolicyCommands(): SeedCommand[] {
  return COLLECTION_POLICIES.map((p) => ({
    type: 'CreateCollectionPolicy',
    method: 'POST',
    path: '/collection-policies',
    body: { policyId: p.policyId, name: p.name, steps: p.steps },
  }));
}

/**
 * Which customers leave the default policy: most small businesses get the strict one, most public
 * bodies the patient one (from the day they start buying); enterprise customers keep the default.
 */
export function assignPolicies(rng: Rng, customers: readonly DemoCustomer[]): Map<string, DemoCollectionPolicy> {
  const assigned = new Map<string, DemoCollectionPolicy>();
  for (const c of customers) {
    const policy =
      c.businessUnit === 'smb' && rng.chance(0.7)
        ? COLLECTION_POLICIES[0]
        : c.businessUnit === 'public' && rng.chance(0.8)
          ? COLLECTION_POLICIES[1]
          : undefined;
    if (policy) assigned.set(c.customerId, policy);
  }
  return assigned;
}

export function assignPolicyCommand(customer: DemoCustomer, policy: DemoCollectionPolicy): SeedCommand {
  return {
    type: 'AssignCollectionPolicy',
    method: 'POST',
    path: `/customers/${customer.customerId}/collection-policy`,
    body: { assignmentId: `${customer.customerId}-CP1`, policyId: policy.policyId, effectiveFrom: customer.since },
  };
}

const ms = (at: string) => Date.parse(at);
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * Appends finance's collection commands to the chains of some orders (one invoice, no cancellation
 * or return: the invoice's open amount is then its amount less the payments so far).
 */
export function addCollectionCommands(
  rng: Rng,
  orders: readonly BookedOrder[],
  policies: ReadonlyMap<string, DemoCollectionPolicy>,
): void {
  const end = ms(`${LAST_DAY}T23:59:59Z`);
  for (const order of orders) {
    const invoices = order.chain.filter((c) => c.type === 'IssueInvoice');
    if (invoices.length !== 1 || order.chain.some((c) => c.type === 'CancelOrder' || c.type === 'ReturnGoods')) {
      continue;
    }
    const invoice = invoices[0]!.body;
    const invoiceId = invoice.invoiceId as string;
    const amount = (invoice.amount as { amount: number }).amount;
    const issuedAt = invoice.issuedAt as string;
    const dueDate = invoice.dueDate as string;
    const payments = order.chain
      .filter((c) => c.type === 'ReceivePayment')
      .map((c) => ({ at: c.body.receivedAt as string, amount: (c.body.amount as { amount: number }).amount }));
    // When nothing is open any more: the payment that completes it, or the write-off.
    let settled = Infinity;
    let settledByPayment: string | null = null;
    let paid = 0;
    for (const p of payments) {
      paid += p.amount;
      if (paid >= amount) {
        settled = ms(p.at);
        settledByPayment = p.at;
        break;
      }
    }
    const writeOff = order.chain.find((c) => c.type === 'WriteOffDebt');
    if (writeOff && ms(writeOff.body.writtenOffAt as string) < settled) {
      settled = ms(writeOff.body.writtenOffAt as string);
      settledByPayment = null;
    }
    // A fact on `date` during business hours, after the invoice and while something is still open.
    const at = (date: string): string | null => {
      let t = ms(instant(date, rng.int(9 * 3600, 17 * 3600)));
      if (t <= ms(issuedAt)) t = ms(issuedAt) + 3_600_000;
      return t < settled && t <= end ? iso(t) : null;
    };
    const openAt = (when: string) =>
      amount - payments.filter((p) => ms(p.at) <= ms(when)).reduce((s, p) => s + p.amount, 0);

    const path = `/orders/${order.orderId}`;
    const added: { at: string; command: SeedCommand }[] = [];
    const late = dueDate < LAST_DAY && (settledByPayment === null || settledByPayment.slice(0, 10) > dueDate);

    if (rng.chance(0.03)) {
      // A dispute a few days after the invoice; most are resolved within weeks.
      const disputedAt = at(addDays(issuedAt.slice(0, 10), rng.int(2, 12)));
      if (!disputedAt) continue;
      const disputeId = `${order.orderId}-DSP1`;
      added.push({
        at: disputedAt,
        command: {
          type: 'DisputeInvoice',
          method: 'POST',
          path: `${path}/disputes`,
          body: { disputeId, invoiceId, reason: rng.pick(DISPUTE_REASONS), disputedAt },
        },
      });
      const resolvedOn = addDays(disputedAt.slice(0, 10), rng.int(4, 20));
      if (rng.chance(0.8) && resolvedOn <= LAST_DAY) {
        const resolvedAt = iso(
          Math.max(ms(instant(resolvedOn, rng.int(9 * 3600, 17 * 3600))), ms(disputedAt) + 60_000),
        );
        added.push({
          at: resolvedAt,
          command: {
            type: 'ResolveInvoiceDispute',
            method: 'POST',
            path: `${path}/disputes/${disputeId}/resolution`,
            body: { resolvedAt, outcome: rng.pick(DISPUTE_OUTCOMES) },
          },
        });
      }
    } else if (late && rng.chance(0.25)) {
      // Finance works the late invoice: an action at each step that fell due before it was settled.
      const policy = policies.get(order.customer.customerId) ?? DEFAULT_COLLECTION_POLICY;
      let n = 0;
      for (const step of policy.steps) {
        const stepDate = addDays(dueDate, step.offsetDays);
        const scheduled = stepDate < issuedAt.slice(0, 10) ? issuedAt.slice(0, 10) : stepDate;
        const takenAt = at(addDays(scheduled, rng.int(0, 2)));
        if (!takenAt) break;
        if (!rng.chance(0.85)) continue; // a step finance did not get to: it stays overdue
        added.push({
          at: takenAt,
          command: {
            type: 'RecordCollectionAction',
            method: 'POST',
            path: `${path}/collection-actions`,
            body: {
              actionId: `${order.orderId}-ACT${++n}`,
              invoiceId,
              stepId: step.stepId,
              action: step.action,
              takenAt,
              note: rng.pick(NOTES[step.action]),
            },
          },
        });
      }
      // Some customers promise to pay: kept when the payment that settles it comes by the promised date.
      const recordedAt = rng.chance(0.45) ? at(addDays(dueDate, rng.int(3, 12))) : null;
      if (recordedAt) {
        const made = recordedAt.slice(0, 10);
        const paidOn = settledByPayment?.slice(0, 10) ?? null;
        let promisedDate: string;
        if (paidOn !== null && rng.chance(0.6))
          promisedDate = paidOn; // kept
        else if (paidOn !== null) promisedDate = addDays(made, rng.int(0, Math.max(0, daysBetween(made, paidOn) - 1)));
        else promisedDate = addDays(made, rng.int(5, 14)); // never paid: broken
        if (promisedDate > LAST_DAY) promisedDate = LAST_DAY;
        added.push({
          at: recordedAt,
          command: {
            type: 'PromisePayment',
            method: 'POST',
            path: `${path}/payment-promises`,
            body: {
              promiseId: `${order.orderId}-PRM1`,
              invoiceId,
              amount: usd(openAt(recordedAt)),
              promisedDate,
              recordedAt,
            },
          },
        });
      }
    }
    added.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
    order.chain.push(...added.map((a) => a.command));
  }
}
