/**
 * Property-based tests (fast-check) of the invariants of domain.md §3-§4 over random valid
 * histories (test/support/order-history.ts): plans of both bases with any rate, window and
 * clawback percentage; salespeople with assignments recorded before and between sales; orders
 * with random credits summing to 10000; and per order a random sequence of invoices, payments,
 * cancellations (with or without an amount), returns and write-offs (with or without an amount)
 * at random business times, each decided by the REAL pure deciders (a refused command is skipped).
 * The accepted events, in global order, run through the pure projections. A second family of
 * histories (richScenarioArbitrary) switches on every rule of docs/plans-and-channels.md, and an
 * independent model of them (test/support/plan-model.ts) is compared with the ledger.
 *
 * Deterministic in CI: a fixed seed (20260101, 200 runs). Replay or explore with
 *   FC_SEED=<integer> npx jest commission-ledger.invariants --selectProjects unit   (the seed a failure printed)
 *   FC_SEED=random FC_RUNS=5000 npx jest commission-ledger.invariants --selectProjects unit
 */
import fc from 'fast-check';
import {
  type History,
  propertyRuns,
  propertySeed,
  richScenarioArbitrary,
  type Scenario,
  scenarioArbitrary,
  simulate,
  storedEvents,
  withSingleTiers,
} from '../../../../test/support/order-history';
import { type ModelEntry, planModel } from '../../../../test/support/plan-model';
import type { StoredEvent } from '../../../eventsourcing/src/event';
import type {
  DebtWrittenOff,
  OrderCancelled,
  OrderEvent,
  PaymentReceived,
  ProductReturned,
  SaleBooked,
} from '../../../sales/src/contracts/sales.events';
import { decideCancelOrder } from '../../../sales/src/orders/cancel-order/cancel-order.decide';
import {
  evolveOrder,
  initialOrderState,
  type OrderAmounts,
  type OrderState,
  paidNet,
  receivable,
} from '../../../sales/src/orders/order.state';
import { decideWriteOff } from '../../../sales/src/orders/write-off/write-off.decide';
import { brokenOrderInvariants, commissionModel } from '../../../../test/support/invariants';
import { BPS, commission, roundHalfUp } from '../../../shared-kernel/src/money';
import { daysBetween, periodOf, utcDate } from '../../../shared-kernel/src/time';
import {
  evaluateOrder,
  type Milestone,
  type OrderAtAsOf,
  type OrderHeader,
  projectTrackToCash,
} from '../../../track-to-cash/src/order-status/track-to-cash.projection';
import type { AdjustmentPosted, PayoutRecorded } from '../contracts/commissions.events';
import {
  InMemoryLedgerView,
  type LedgerEntry,
  type LedgerException,
  projectLedger,
} from './commission-ledger.projection';

const SEED = propertySeed(20_260_101);
const RUNS = propertyRuns(200);
const PARAMS = { numRuns: RUNS, seed: SEED };
const histories = scenarioArbitrary().map((scenario) => simulate(scenario));
/** Every rule of docs/plans-and-channels.md switched on (fewer runs: each history is larger). */
const RICH_PARAMS = { numRuns: propertyRuns(80), seed: SEED };
const richScenarios = richScenarioArbitrary();
const richHistories = richScenarios.map((scenario) => simulate(scenario));

interface Ledger {
  readonly events: readonly StoredEvent[];
  readonly entries: readonly LedgerEntry[];
  readonly exceptions: readonly LedgerException[];
  readonly view: InMemoryLedgerView;
}

/** Runs the pure ledger projection over the history's events in global order. */
function ledgerOf(history: History): Ledger {
  const events = storedEvents(history);
  const view = new InMemoryLedgerView();
  const entries: LedgerEntry[] = [];
  const exceptions: LedgerException[] = [];
  for (const event of events) {
    for (const change of projectLedger(view, event)) {
      view.apply(change);
      if (change.kind === 'entry') entries.push(change.entry);
      if (change.kind === 'exception') exceptions.push(change.exception);
    }
  }
  return { events, entries, exceptions, view };
}

const sum = (xs: readonly bigint[]) => xs.reduce((a, b) => a + b, 0n);
const key = (orderId: string | null, salespersonId: string) => `${orderId}\u0000${salespersonId}`;

/**
 * Plain checks for the inner loops (thousands per run): `expect` is only called to report a
 * failure, with what was checked and its context.
 */
const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
function same(what: string, actual: unknown, expected: unknown, context: unknown = null): void {
  if (json(actual) !== json(expected)) expect({ what, actual, context }).toEqual({ what, actual: expected, context });
}
function holds(what: string, condition: boolean, context: unknown = null): void {
  if (!condition) expect({ what, holds: false, context }).toEqual({ what, holds: true, context });
}

function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * What the new rules add to an entry, read loosely so that this spec says what it expects of
 * the ledger whatever its types: the trigger, the report of a manager's override, what is held.
 */
const trigger = (e: LedgerEntry): string => e.explanation.trigger;
const overrideOf = (e: LedgerEntry): string | null =>
  (e.explanation as { override?: { ofSalespersonId: string } }).override?.ofSalespersonId ?? null;
const heldOf = (e: LedgerEntry): bigint | undefined => (e as { held?: bigint }).held;
const role = (e: LedgerEntry) => (overrideOf(e) === null ? 'DIRECT' : 'OVERRIDE');

/** Ledger closing identity per period, and one ADJUSTMENT / PAYOUT entry per manual event. */
function checkClosing(history: History, ledger: Ledger): void {
  const { events, entries } = ledger;
  same('entry ids are unique', new Set(entries.map((e) => e.entryId)).size, entries.length);

  for (const salespersonId of history.salespersonIds) {
    const mine = entries.filter((e) => e.salespersonId === salespersonId);
    // Every adjustment and payout of the salesperson is exactly one entry, signed, in its period.
    const adjustments = events.filter(
      (e): e is StoredEvent<'AdjustmentPosted', AdjustmentPosted['data']> =>
        e.type === 'AdjustmentPosted' && (e.data as AdjustmentPosted['data']).salespersonId === salespersonId,
    );
    const payouts = events.filter(
      (e): e is StoredEvent<'PayoutRecorded', PayoutRecorded['data']> =>
        e.type === 'PayoutRecorded' && (e.data as PayoutRecorded['data']).salespersonId === salespersonId,
    );
    same(
      'one ADJUSTMENT entry per adjustment, in the period it names',
      mine.filter((e) => e.type === 'ADJUSTMENT' && trigger(e) !== 'RECALCULATION').map((e) => [e.amount, e.period]),
      adjustments.map((e) => [BigInt(e.data.amount.amount), e.data.period]),
    );
    same(
      'one PAYOUT entry (−amount) per payout, in the period of paidAt',
      mine.filter((e) => e.type === 'PAYOUT').map((e) => [e.amount, e.period]),
      payouts.map((e) => [-BigInt(e.data.amount.amount), periodOf(e.data.paidAt)]),
    );
    if (mine.length === 0) continue;

    const periods = mine.map((e) => e.period).sort();
    let opening = 0n;
    let cumulative = 0n;
    for (let p = periods[0]!; p <= periods[periods.length - 1]!; p = nextPeriod(p)) {
      const inP = mine.filter((e) => e.period === p);
      const of = (type: LedgerEntry['type']) => sum(inP.filter((e) => e.type === type).map((e) => e.amount));
      const earned = of('EARNED');
      const clawedBack = -of('CLAWBACK');
      const adjusted = of('ADJUSTMENT');
      const paidOut = -of('PAYOUT');
      const context = { salespersonId, period: p, opening, earned, clawedBack, adjusted, paidOut };
      holds('earned, clawedBack, paidOut ≥ 0', earned >= 0n && clawedBack >= 0n && paidOut >= 0n, context);
      const closing = opening + earned - clawedBack + adjusted - paidOut;
      cumulative += sum(inP.map((e) => e.amount));
      same('closing = sum of the entries of every period ≤ it', closing, cumulative, context);
      opening = closing;
    }
    same('final closing = sum of all entries', opening, sum(mine.map((e) => e.amount)), salespersonId);
  }
}

describe('commission ledger invariants over random order histories (fast-check)', () => {
  it('generates histories that exercise every command, accepted and refused', () => {
    // Not a property: a guard that the generator keeps producing what the properties need.
    const seen = new Map<string, number>();
    const sample = fc.sample(histories, { numRuns: 100, seed: SEED });
    for (const h of sample) {
      for (const s of h.steps) {
        const k = `${s.commandType}:${s.refusal ?? 'ok'}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    }
    for (const type of [
      'BookSale',
      'IssueInvoice',
      'ReceivePayment',
      'CancelOrder',
      'ReturnGoods',
      'WriteOffDebt',
      'PostAdjustment',
      'RecordPayout',
    ]) {
      expect(seen.get(`${type}:ok`) ?? 0).toBeGreaterThan(10);
    }
    for (const refusal of ['OVERPAYMENT', 'AMOUNT_EXCEEDS_NET', 'AMOUNT_EXCEEDS_RECEIVABLE', 'ORDER_CANCELLED']) {
      expect([...seen.keys()].some((k) => k.endsWith(`:${refusal}`))).toBe(true);
    }
    const entries = sample.flatMap((h) => ledgerOf(h).entries);
    for (const type of ['EARNED', 'CLAWBACK', 'ADJUSTMENT', 'PAYOUT']) {
      expect(entries.filter((e) => e.type === type).length).toBeGreaterThan(10);
    }
    expect(entries.some((e) => e.type === 'CLAWBACK' && e.explanation.cappedFrom !== undefined)).toBe(true);
  });

  it('(a) per (order, salesperson) the clawbacks never exceed what was earned; each follows its formula', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const { events, entries, view } = ledgerOf(history);
        const byId = new Map(events.map((e) => [e.id, e]));
        const earned = new Map<string, bigint>();
        const clawed = new Map<string, bigint>();
        for (const e of entries) {
          const k = key(e.orderId, e.salespersonId);
          if (e.type === 'EARNED') {
            holds('EARNED > 0', e.amount > 0n, e);
            earned.set(k, (earned.get(k) ?? 0n) + e.amount);
          }
          if (e.type === 'CLAWBACK') {
            holds('CLAWBACK < 0 on an order', e.amount < 0n && e.orderId !== null, e);
            clawed.set(k, (clawed.get(k) ?? 0n) - e.amount);
          }
        }
        for (const [k, lost] of clawed) {
          holds('clawed back ≤ earned per (order, salesperson)', lost <= (earned.get(k) ?? 0n), {
            orderAndSalesperson: k,
            clawedBack: lost,
            earned: earned.get(k) ?? 0n,
          });
        }

        // The running totals the projection keeps per credit are those of its entries.
        for (const credits of view.creditsByOrder.values()) {
          for (const c of credits) {
            const k = key(c.orderId, c.salespersonId);
            same(
              'credit totals = entry totals',
              [c.earned, c.clawedBack],
              [earned.get(k) ?? 0n, clawed.get(k) ?? 0n],
              c,
            );
          }
        }

        // Every commission entry follows the formula of §4 from its source event.
        for (const e of entries) {
          if (e.type !== 'EARNED' && e.type !== 'CLAWBACK') continue;
          const source = byId.get(e.sourceEventId)!;
          const credit = view.orderCredits(e.orderId!).find((c) => c.salespersonId === e.salespersonId)!;
          const plan = view.plan(credit.planId!)!;
          const x = e.explanation;
          const context = { entry: e, plan, credit };
          same(
            'formula inputs',
            [x.splitBps, x.rateBps, x.planId],
            [credit.splitBps, plan.rateBps, plan.planId],
            context,
          );
          same('period of the source event', e.period, periodOf(source.occurredAt), context);
          if (e.type === 'EARNED') {
            same('earned on', source.type, plan.basis === 'BOOKING' ? 'SaleBooked' : 'PaymentReceived', context);
            const base = (source.data as SaleBooked['data'] | PaymentReceived['data']).amount.amount;
            same(
              'EARNED = commission(A, s, r)',
              e.amount,
              commission(BigInt(base), BigInt(credit.splitBps), BigInt(plan.rateBps)),
              context,
            );
            continue;
          }
          const triggers =
            plan.basis === 'BOOKING'
              ? ['OrderCancelled', 'ProductReturned', 'DebtWrittenOff']
              : ['OrderCancelled', 'ProductReturned'];
          holds(
            'clawed back on a reduction (never a write-off under COLLECTION)',
            triggers.includes(source.type),
            context,
          );
          const d = source.data as OrderCancelled['data'] | ProductReturned['data'] | DebtWrittenOff['data'];
          const base = plan.basis === 'BOOKING' ? d.amount.amount : (d as OrderCancelled['data']).refundPart;
          same('clawback base: the amount (BOOKING) or the refunded part (COLLECTION)', x.baseAmount, base, context);
          holds('within the window', daysBetween(credit.bookedAt, source.occurredAt) <= plan.windowDays, context);
          const full = roundHalfUp(
            commission(BigInt(base), BigInt(credit.splitBps), BigInt(plan.rateBps)) * BigInt(plan.percentBps),
            BPS,
          );
          if (x.cappedFrom === undefined)
            same('CLAWBACK = roundHalfUp(commission × percent)', -e.amount, full, context);
          else
            holds(
              'a capped clawback is less than its formula',
              -e.amount < full && x.cappedFrom === Number(full),
              context,
            );
        }
      }),
      PARAMS,
    );
  });

  it('(a) model: every event earns and claws back exactly what §4 says, no more and no fewer entries (a model of §2/§4)', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const { events, entries } = ledgerOf(history);
        const actual = new Map<string, Array<[string, string, bigint]>>();
        for (const e of entries) {
          if (e.type !== 'EARNED' && e.type !== 'CLAWBACK') continue;
          actual.set(e.sourceEventId, [...(actual.get(e.sourceEventId) ?? []), [e.salespersonId, e.type, e.amount]]);
        }
        const expected = commissionModel(events);
        for (const event of events) {
          same(`commission entries of ${event.type}`, actual.get(event.id) ?? [], expected.get(event.id) ?? [], {
            event,
          });
        }
      }),
      PARAMS,
    );
  });

  it('(b) closing = opening + earned − clawedBack + adjustments − paidOut equals the sum of entries so far, per period', () => {
    fc.assert(
      fc.property(histories, (history) => checkClosing(history, ledgerOf(history))),
      PARAMS,
    );
  });

  it('(c) order amounts after every accepted command: receivable ≥ 0, net ≥ 0, invoiced ≤ net when invoicing', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const states = new Map<string, OrderState>();
        for (const step of history.steps) {
          if (!step.streamId.startsWith('order-')) continue;
          for (const event of step.events) {
            const after = evolveOrder(states.get(step.streamId) ?? initialOrderState(), event as OrderEvent);
            states.set(step.streamId, after);
            if (!after.exists) return same('an order after its own event', after, 'exists');
            const context = { command: step.commandType, event, amounts: after.amounts };
            // receivable ≥ 0, 0 ≤ net ≤ booked, invoiced ≤ net when invoicing, paidNet ≥ 0, reduction parts
            same('order invariants broken', brokenOrderInvariants(after, event as OrderEvent), [], context);
          }
        }
        for (const [streamId, state] of states) {
          same('final state', history.orders.get(streamId.slice('order-'.length)), state, streamId);
        }
      }),
      PARAMS,
    );
  });

  it('(d) evaluateOrder at random asOf: receivable ≥ 0, status by the first matching rule of §3, amounts as folded', () => {
    const asOfs = fc.array(
      fc
        .integer({ min: -10 * 86_400_000, max: 900 * 86_400_000 })
        .map((ms) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(histories, asOfs, (history, instants) => {
        const events = storedEvents(history);
        const headers = new Map<string, OrderHeader>();
        const milestones = new Map<string, Milestone[]>();
        const orderEvents = new Map<string, OrderEvent[]>();
        for (const event of events) {
          for (const change of projectTrackToCash(event)) {
            if (change.kind === 'order') headers.set(change.order.orderId, change.order);
            if (change.kind === 'milestone') {
              milestones.set(change.milestone.orderId, [
                ...(milestones.get(change.milestone.orderId) ?? []),
                change.milestone,
              ]);
            }
          }
          if (event.streamId.startsWith('order-')) {
            const orderId = event.streamId.slice('order-'.length);
            orderEvents.set(orderId, [...(orderEvents.get(orderId) ?? []), event as unknown as OrderEvent]);
          }
        }
        const monotonic = (list: readonly OrderEvent[]) =>
          list.every((e, i) => i === 0 || Date.parse(e.occurredAt) >= Date.parse(list[i - 1]!.occurredAt));

        for (const [orderId, header] of headers) {
          const mine = milestones.get(orderId) ?? [];
          const folded = orderEvents.get(orderId) ?? [];
          const inOrder = monotonic(folded);
          for (const asOf of [...instants, '2099-01-01T00:00:00.000Z']) {
            const o = evaluateOrder(header, mine, asOf);
            const context = { orderId, asOf, order: o };
            if (Date.parse(header.bookedAt) > Date.parse(asOf)) {
              same('nothing before the booking', o, null, context);
              continue;
            }
            if (!o) return holds('booked by asOf', false, context);
            holds('receivable ≥ 0', o.receivable >= 0, context);
            same('net = booked − cancelled − returned', o.net, o.booked - o.cancelled - o.returned, context);
            same(
              'receivable = net − paidNet − writtenOff',
              o.receivable,
              Math.max(0, o.net - o.paidNet - o.writtenOff),
              context,
            );
            same('status: the first rule of §3 that matches', o.status, expectedStatus(o, asOf), context);
            same('daysOverdue', o.daysOverdue, o.status === 'OVERDUE' ? daysBetween(o.dueDate, asOf) : 0, context);
            if (o.status === 'OVERDUE') holds('daysOverdue > 0 when OVERDUE', o.daysOverdue > 0, context);
            const invoices = mine.filter((m) => m.type === 'INVOICED' && Date.parse(m.at) <= Date.parse(asOf));
            same(
              'dueDate: the latest invoice’s, else the default',
              o.dueDate,
              invoices[invoices.length - 1]?.dueDate ?? header.defaultDueDate,
              context,
            );

            // The order's events that occurred by asOf, folded by the deciders' own evolve. Where the
            // business times of an order never go back this is exactly the state at asOf; always so
            // once everything has occurred.
            if (asOf.startsWith('2099') || inOrder) {
              const state = folded
                .filter((e) => Date.parse(e.occurredAt) <= Date.parse(asOf))
                .reduce(evolveOrder, initialOrderState());
              if (!state.exists) return holds('folded state exists', false, context);
              same('amounts as folded by evolveOrder', amountsOf(o), expectedAmounts(state.amounts), context);
            }
            if (inOrder) {
              // a reduction may eat into written-off debt (receivable is then clamped at 0), but never
              // into cash beyond what was collected
              holds('0 ≤ paidNet ≤ net', o.paidNet >= 0 && o.paidNet <= o.net, context);
              if (o.status === 'PAID')
                holds('daysToCash ≥ 0 once PAID', o.daysToCash !== null && o.daysToCash >= 0, context);
            }
          }
        }
      }),
      PARAMS,
    );
  });

  it('a full replay of the same events gives the same entries, ids and exceptions (pure, deterministic)', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const first = ledgerOf(history);
        const second = ledgerOf(history);
        expect(second.entries).toEqual(first.entries);
        expect(second.exceptions).toEqual(first.exceptions);
        // NO_PLAN: exactly the credits booked without a plan, and they earn and lose nothing.
        for (const x of first.exceptions) {
          const credit = first.view.orderCredits(x.orderId).find((c) => c.salespersonId === x.salespersonId);
          expect(credit?.planId).toBeNull();
          expect(first.entries.filter((e) => e.orderId === x.orderId && e.salespersonId === x.salespersonId)).toEqual(
            [],
          );
        }
      }),
      PARAMS,
    );
  });

  // BUG (reported): splitReduction (libs/sales/src/orders/order.state.ts) takes the unpaid part only
  // from the receivable, which excludes written-off debt. After a write-off, a cancellation or
  // return "refunds" cash that was never collected: paidNet goes negative, track-to-cash and the
  // dashboard show refunds that never happened, and under COLLECTION basis the clawback is computed
  // on that phantom refund (here 500 instead of 250).
  it('a cancellation after a write-off never refunds more than was collected', () => {
    const booked: SaleBooked = {
      type: 'SaleBooked',
      occurredAt: '2026-01-10T00:00:00.000Z',
      data: {
        orderId: 'O1',
        customerId: 'C1',
        amount: { amount: 10_000, currency: 'USD' },
        bookedAt: '2026-01-10T00:00:00.000Z',
        salesCredits: [{ salespersonId: 'alice', splitBps: 10_000 }],
        paymentTermsDays: 30,
        dueDate: '2026-02-09',
        businessUnit: null,
        lines: [],
      },
    };
    const paid: PaymentReceived = {
      type: 'PaymentReceived',
      occurredAt: '2026-01-20T00:00:00.000Z',
      data: {
        orderId: 'O1',
        paymentId: 'PAY1',
        amount: { amount: 5_000, currency: 'USD' },
        receivedAt: '2026-01-20T00:00:00.000Z',
      },
    };
    let state = [booked, paid].reduce<OrderState>(evolveOrder, initialOrderState());
    const [writtenOff] = decideWriteOff(
      {
        type: 'WriteOffDebt',
        orderId: 'O1',
        writeOffId: 'WO1',
        writtenOffAt: '2026-01-25T00:00:00.000Z',
        reason: 'x',
        amount: null,
      },
      state,
    );
    state = evolveOrder(state, writtenOff!); // 5,000 paid, 5,000 written off, receivable 0
    const [cancelled] = decideCancelOrder(
      {
        type: 'CancelOrder',
        orderId: 'O1',
        cancellationId: 'CAN1',
        cancelledAt: '2026-02-01T00:00:00.000Z',
        reason: 'x',
        amount: null,
      },
      state,
    );
    const after = evolveOrder(state, cancelled!);

    // Ledger: COLLECTION 10 %, clawback 50 % within 90 days. Earned 500 on the payment; the refund
    // is at most the 5,000 collected, so the clawback is roundHalfUp(500 × 50 %) = 250.
    const view = new InMemoryLedgerView();
    const stored = (type: string, data: unknown, occurredAt: string, n: number): StoredEvent => ({
      id: `00000000-0000-5000-8000-00000000000${n}`,
      type,
      schemaVersion: 1,
      data,
      occurredAt,
      metadata: { actor: 't', commandId: 'c', commandType: 'T', correlationId: 'x', causationId: 'y' },
      streamId: 's',
      streamRevision: BigInt(n),
      globalPosition: BigInt(n),
      logPosition: { major: BigInt(n), minor: BigInt(n) },
      recordedAt: occurredAt,
    });
    const ledgerEvents = [
      stored(
        'PlanCreated',
        {
          planId: 'P',
          name: 'P',
          currency: 'USD',
          basis: 'COLLECTION',
          rateBps: 1000,
          clawback: { windowDays: 90, percentBps: 5000 },
        },
        '2026-01-01T00:00:00.000Z',
        1,
      ),
      stored(
        'PlanAssigned',
        { assignmentId: 'A', salespersonId: 'alice', planId: 'P', effectiveFrom: '2026-01-01' },
        '2026-01-01T00:00:00.000Z',
        2,
      ),
      ...[booked, paid, writtenOff!, cancelled!].map((e, i) => stored(e.type, e.data, e.occurredAt, i + 3)),
    ];
    const clawbacks: bigint[] = [];
    for (const e of ledgerEvents) {
      for (const c of projectLedger(view, e)) {
        view.apply(c);
        if (c.kind === 'entry' && c.entry.type === 'CLAWBACK') clawbacks.push(c.entry.amount);
      }
    }

    expect({
      refundPart: cancelled!.data.refundPart,
      paidNet: after.exists ? paidNet(after.amounts) : null,
      clawbacks,
    }).toEqual({ refundPart: 5_000, paidNet: 0, clawbacks: [-250n] });
  });
});

/** The commission entries of an event as [salesperson, type, amount, role, of whom], sorted. */
type Row = [string, string, bigint, string, string | null];
const sortRows = (rows: Row[]) => rows.sort((a, b) => (json(a) < json(b) ? -1 : json(a) > json(b) ? 1 : 0));
const modelRow = (m: ModelEntry): Row => [m.salespersonId, m.type, m.amount, m.role, m.ofSalespersonId];
const ledgerRow = (e: LedgerEntry): Row => [e.salespersonId, e.type, e.amount, role(e), overrideOf(e)];
/** The entries the plan model speaks of: commissions, and the adjustments of recalculations. */
const isModelled = (e: LedgerEntry) =>
  e.type === 'EARNED' || e.type === 'CLAWBACK' || (e.type === 'ADJUSTMENT' && trigger(e) === 'RECALCULATION');

describe('with tiers, quotas, overrides, holdbacks, distributors, secondary sales and recalculations (docs/plans-and-channels.md)', () => {
  it('generates histories that exercise every rule', () => {
    // Not a property: a guard that the rich generator keeps producing what the properties need.
    const sample = fc.sample(richHistories, { numRuns: 200, seed: SEED });
    const stats = { crossings: 0, noQuota: 0, overrides: 0, recalculated: 0 };
    const types = new Map<string, number>();
    const count = (k: string) => types.set(k, (types.get(k) ?? 0) + 1);
    let adjusted = 0;
    for (const h of sample) {
      const events = storedEvents(h);
      const model = planModel(events);
      for (const k of Object.keys(stats) as Array<keyof typeof stats>) stats[k] += model.stats[k];
      adjusted += [...model.entries.values()].flat().filter((m) => m.type === 'ADJUSTMENT').length;
      for (const e of events) {
        const d = e.data as Record<string, unknown>;
        count(e.type);
        if (e.type === 'SaleBooked' && d.toDistributor === true) count('sell-in');
        if (e.type === 'QuotaSet' && d.businessUnit !== undefined) count('quota per unit');
        if (e.type === 'SalespersonRegistered' && d.managerId !== null) count('with a manager');
        if (e.type === 'PlanCreated' && Array.isArray(d.tiers) && d.tiers.length > 1) count('tiered plan');
        if (e.type === 'PlanCreated' && (d.holdbackBps ?? 0) !== 0) count('holdback');
      }
    }
    holds('enough of each', stats.crossings > 20 && stats.noQuota > 20 && stats.overrides > 10, stats); // crossings: sales whose range spans several bands
    holds("recalculations that change a credit's net", stats.recalculated > 5 && adjusted > 2, { ...stats, adjusted });
    for (const k of [
      'SecondarySaleReported',
      'CommissionsRecalculated',
      'QuotaSet',
      'sell-in',
      'quota per unit',
      'with a manager',
      'tiered plan',
      'holdback',
    ]) {
      holds(`${k}: more than 10 events`, (types.get(k) ?? 0) > 10, [...types]);
    }
  });

  it('the plan model agrees with the §4 model on plans without the new fields (two independent models)', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const events = storedEvents(history);
        const rich = planModel(events).entries;
        const plain = commissionModel(events);
        for (const event of events) {
          same(
            `entries of ${event.type}`,
            (rich.get(event.id) ?? []).map((m) => [m.salespersonId, m.type, m.amount]),
            plain.get(event.id) ?? [],
            { event },
          );
        }
      }),
      PARAMS,
    );
  });

  it('model: every event earns, claws back and adjusts exactly what the rules say, for whom, in which role', () => {
    fc.assert(
      fc.property(richHistories, (history) => {
        const { events, entries } = ledgerOf(history);
        const actual = new Map<string, Row[]>();
        for (const e of entries) {
          if (isModelled(e)) actual.set(e.sourceEventId, [...(actual.get(e.sourceEventId) ?? []), ledgerRow(e)]);
        }
        const expected = planModel(events).entries;
        for (const event of events) {
          same(
            `entries of ${event.type}`,
            sortRows(actual.get(event.id) ?? []),
            sortRows((expected.get(event.id) ?? []).map(modelRow)),
            { event },
          );
        }
      }),
      RICH_PARAMS,
    );
  });

  it('per (order, salesperson, role) the clawbacks never exceed what was earned (and recalculated); EARNED > 0, CLAWBACK < 0', () => {
    fc.assert(
      fc.property(richHistories, (history) => {
        const { entries } = ledgerOf(history);
        const earned = new Map<string, bigint>();
        const clawed = new Map<string, bigint>();
        const net = new Map<string, bigint>();
        const recalculated = new Set<string>();
        for (const e of entries) {
          if (!isModelled(e)) continue;
          const k = `${key(e.orderId ?? e.sourceEventId, e.salespersonId)}\u0000${role(e)}:${overrideOf(e)}`;
          if (e.type === 'EARNED') {
            holds('EARNED > 0', e.amount > 0n, e);
            earned.set(k, (earned.get(k) ?? 0n) + e.amount);
          }
          if (e.type === 'CLAWBACK') {
            holds('CLAWBACK < 0 on an order', e.amount < 0n && e.orderId !== null, e);
            clawed.set(k, (clawed.get(k) ?? 0n) - e.amount);
          }
          if (e.type === 'ADJUSTMENT') recalculated.add(k);
          // A recalculation makes up the difference: the credit's net never goes below 0.
          net.set(k, (net.get(k) ?? 0n) + e.amount);
          holds('net of a credit ≥ 0 after each of its entries', net.get(k)! >= 0n, { k, net: net.get(k), entry: e });
        }
        for (const [k, lost] of clawed) {
          if (recalculated.has(k)) continue;
          holds('clawed back ≤ earned per (order, salesperson, role)', lost <= (earned.get(k) ?? 0n), {
            k,
            lost,
            earned: earned.get(k) ?? 0n,
          });
        }
      }),
      RICH_PARAMS,
    );
  });

  it('closing = opening + earned − clawedBack + adjustments − paidOut per period; entry ids unique', () => {
    fc.assert(
      fc.property(richHistories, (history) => checkClosing(history, ledgerOf(history))),
      RICH_PARAMS,
    );
  });

  it('a full replay gives the same entries, ids and exceptions', () => {
    fc.assert(
      fc.property(richHistories, (history) => {
        const first = ledgerOf(history);
        const second = ledgerOf(history);
        expect(second.entries).toEqual(first.entries);
        expect(second.exceptions).toEqual(first.exceptions);
      }),
      RICH_PARAMS,
    );
  });

  it('a plan written as the single tier {0, rateBps} earns exactly like the flat plan, quotas or not', () => {
    const flat = (scenario: Scenario): Scenario => ({
      ...scenario,
      plans: scenario.plans.map(({ extras, ...p }) => {
        const { tiers: _tiers, ...rest } = extras ?? {};
        return { ...p, extras: rest };
      }),
    });
    fc.assert(
      fc.property(richScenarios, (scenario) => {
        const strip = (l: Ledger) =>
          l.entries.map((e) => [e.entryId, e.salespersonId, e.type, e.amount, e.period, e.orderId, e.sourceEventId]);
        const asFlat = ledgerOf(simulate(flat(scenario)));
        const asTier = ledgerOf(simulate(withSingleTiers(flat(scenario))));
        same('entries', strip(asTier), strip(asFlat));
      }),
      RICH_PARAMS,
    );
  });

  it('recalculation: per (order, salesperson) the entries sum to what the plan it ends under gives; adjustments post in the booking period', () => {
    fc.assert(
      fc.property(richHistories, (history) => {
        const { events, entries } = ledgerOf(history);
        const model = planModel(events);
        const net = new Map<string, bigint>();
        for (const e of entries) {
          if (!isModelled(e) || role(e) !== 'DIRECT' || e.orderId === null) continue;
          net.set(key(e.orderId, e.salespersonId), (net.get(key(e.orderId, e.salespersonId)) ?? 0n) + e.amount);
        }
        for (const credit of model.credits) {
          same(
            'Σ entries of the credit = its replay under the plan it ends under',
            net.get(key(credit.orderId, credit.salespersonId)) ?? 0n,
            model.replayNet(credit, credit.plan),
            { orderId: credit.orderId, salespersonId: credit.salespersonId, planId: credit.plan?.planId ?? null },
          );
        }
        const bookedAt = new Map(
          events
            .filter((e) => e.type === 'SaleBooked')
            .map((e) => [(e.data as SaleBooked['data']).orderId, (e.data as SaleBooked['data']).bookedAt]),
        );
        for (const e of entries) {
          if (e.type !== 'ADJUSTMENT' || trigger(e) !== 'RECALCULATION') continue;
          same(
            'a recalculation posts in the booking period',
            e.period,
            periodOf(bookedAt.get(e.orderId ?? '') ?? ''),
            e,
          );
        }
      }),
      RICH_PARAMS,
    );
  });

  it('holdbacks: each entry holds what the rules say; per credit 0 ≤ held ≤ earned', () => {
    fc.assert(
      fc.property(richHistories, (history) => {
        const { events, entries } = ledgerOf(history);
        const model = planModel(events).entries;
        const heldPerCredit = new Map<string, bigint>();
        const earnedPerCredit = new Map<string, bigint>();
        for (const e of entries) {
          if (e.type !== 'EARNED' && e.type !== 'CLAWBACK') continue;
          const held = heldOf(e);
          holds('a commission entry says what it holds', typeof held === 'bigint', e);
          const k = `${key(e.orderId ?? e.sourceEventId, e.salespersonId)}\u0000${overrideOf(e)}`;
          heldPerCredit.set(k, (heldPerCredit.get(k) ?? 0n) + (held ?? 0n));
          if (e.type === 'EARNED') earnedPerCredit.set(k, (earnedPerCredit.get(k) ?? 0n) + e.amount);
          holds(
            'an EARNED entry holds 0 ≤ held ≤ amount',
            e.type !== 'EARNED' || (held! >= 0n && held! <= e.amount),
            e,
          );
          holds('a CLAWBACK takes amount ≤ held ≤ 0', e.type !== 'CLAWBACK' || (held! <= 0n && held! >= e.amount), e);
          // The model's figure, where it has one (one entry per salesperson, type and role there).
          const m = (model.get(e.sourceEventId) ?? []).filter(
            (x) => x.salespersonId === e.salespersonId && x.type === e.type && x.ofSalespersonId === overrideOf(e),
          );
          if (m.length === 1 && m[0]!.held !== null) same('held', held, m[0]!.held, e);
        }
        for (const [k, held] of heldPerCredit) {
          holds('0 ≤ held on a credit ≤ earned on it', held >= 0n && held <= (earnedPerCredit.get(k) ?? 0n), {
            k,
            held,
          });
        }
      }),
      RICH_PARAMS,
    );
  });
});

function expectedStatus(o: OrderAtAsOf, asOf: string): OrderAtAsOf['status'] {
  if (o.net === 0) return 'CANCELLED';
  if (o.receivable === 0 && o.writtenOff === 0) return 'PAID';
  if (o.receivable === 0) return 'WRITTEN_OFF';
  if (utcDate(asOf) > o.dueDate) return 'OVERDUE';
  if (o.paidNet > 0) return 'PARTIALLY_PAID';
  if (o.invoiced > 0) return 'INVOICED';
  return 'BOOKED';
}

const amountsOf = (o: OrderAtAsOf) => ({
  booked: o.booked,
  cancelled: o.cancelled,
  returned: o.returned,
  invoiced: o.invoiced,
  paidNet: o.paidNet,
  refunded: o.refunded,
  writtenOff: o.writtenOff,
  receivable: o.receivable,
});

const expectedAmounts = (a: OrderAmounts) => ({
  booked: a.booked,
  cancelled: a.cancelled,
  returned: a.returned,
  invoiced: a.invoiced,
  paidNet: paidNet(a),
  refunded: a.refunds,
  writtenOff: a.writtenOff,
  receivable: Math.max(0, receivable(a)),
});
