import { agingBucket, evaluateOrder, type Milestone, type OrderHeader } from './track-to-cash.projection';

const header: OrderHeader = {
  orderId: 'O1',
  customerId: 'C1',
  currency: 'USD',
  bookedAt: '2026-01-10T00:00:00.000Z',
  defaultDueDate: '2026-02-09',
  businessUnit: null,
  salesCredits: [
    { salespersonId: 'alice', splitBps: 6000 },
    { salespersonId: 'bob', splitBps: 4000 },
  ],
};
const m = (type: Milestone['type'], at: string, amount: number, extra: Partial<Milestone> = {}): Milestone => ({
  orderId: 'O1',
  type,
  at,
  amount,
  dueDate: null,
  refundPart: 0,
  ref: `${type}-${at}`,
  recordedAt: at,
  ...extra,
});
const booked = m('BOOKED', '2026-01-10T00:00:00.000Z', 10_000_000);
const paid = m('PAYMENT', '2026-02-01T00:00:00.000Z', 4_000_000);
const returned = m('RETURN', '2026-03-01T00:00:00.000Z', 1_000_000);
const cancelled = m('CANCELLATION', '2026-05-01T00:00:00.000Z', 5_000_000);
const history = [booked, paid, returned, cancelled];

describe('track-to-cash at asOf (domain.md §3, §6)', () => {
  it('example 1 step 1: BOOKED, due 2026-02-09; with nothing else it is OVERDUE by 6 days at 2026-02-15', () => {
    expect(evaluateOrder(header, [booked], '2026-01-20T00:00:00Z')).toMatchObject({
      status: 'BOOKED',
      dueDate: '2026-02-09',
      receivable: 10_000_000,
    });
    expect(evaluateOrder(header, [booked], '2026-02-15T00:00:00Z')).toMatchObject({
      status: 'OVERDUE',
      daysOverdue: 6,
      bucket: 'd1_30',
    });
  });

  it('example 1 step 2: PARTIALLY_PAID with 6,000,000 receivable after the payment', () => {
    expect(evaluateOrder(header, history, '2026-02-05T00:00:00Z')).toMatchObject({
      status: 'PARTIALLY_PAID',
      receivable: 6_000_000,
      paidNet: 4_000_000,
    });
  });

  it('counts only facts that occurred by asOf, whatever was recorded later', () => {
    expect(evaluateOrder(header, history, '2026-01-31T23:59:59Z')).toMatchObject({ status: 'BOOKED', paidNet: 0 });
    expect(evaluateOrder(header, history, '2026-01-09T00:00:00Z')).toBeNull();
  });

  it('example 1 steps 3-4: net 9,000,000 after the return, then PAID after the cancellation consumes the unpaid rest', () => {
    expect(evaluateOrder(header, history, '2026-03-02T00:00:00Z')).toMatchObject({
      status: 'OVERDUE',
      net: 9_000_000,
      receivable: 5_000_000,
      daysOverdue: 21,
    });
    const end = evaluateOrder(header, history, '2026-06-01T00:00:00Z')!;
    expect(end).toMatchObject({
      status: 'PAID',
      net: 4_000_000,
      paidNet: 4_000_000,
      receivable: 0,
      daysToCash: 22,
      daysOverdue: 0,
    });
    expect(end.milestones.map((x) => x.type)).toEqual(['BOOKED', 'PAYMENT', 'RETURN', 'CANCELLATION', 'PAID_IN_FULL']);
  });

  it('the latest invoice sets the due date; INVOICED before anything is paid', () => {
    const inv = m('INVOICED', '2026-01-15T00:00:00.000Z', 10_000_000, { dueDate: '2026-03-01' });
    expect(evaluateOrder(header, [booked, inv], '2026-02-20T00:00:00Z')).toMatchObject({
      status: 'INVOICED',
      dueDate: '2026-03-01',
    });
    expect(evaluateOrder(header, [booked, inv], '2026-03-02T00:00:00Z')).toMatchObject({
      status: 'OVERDUE',
      daysOverdue: 1,
    });
  });

  it('CANCELLED when net is 0 (a full cancellation refunds what was paid); WRITTEN_OFF when the rest is written off', () => {
    const full = m('CANCELLATION', '2026-03-01T00:00:00.000Z', 10_000_000, { refundPart: 4_000_000 });
    expect(evaluateOrder(header, [booked, paid, full], '2026-04-01T00:00:00Z')).toMatchObject({
      status: 'CANCELLED',
      refunded: 4_000_000,
      paidNet: 0,
      receivable: 0,
    });
    const wo = m('WRITE_OFF', '2026-06-01T00:00:00.000Z', 6_000_000);
    expect(evaluateOrder(header, [booked, paid, wo], '2026-07-01T00:00:00Z')).toMatchObject({
      status: 'WRITTEN_OFF',
      receivable: 0,
      writtenOff: 6_000_000,
    });
  });

  it('ages by days past due: current, 1-30, 31-60, 61-90, 90+', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91, -5].map(agingBucket)).toEqual([
      'current',
      'd1_30',
      'd1_30',
      'd31_60',
      'd31_60',
      'd61_90',
      'd61_90',
      'd90plus',
      'current',
    ]);
  });
});
