import {
  averageDaysToPay,
  creditedInputs,
  daysCounted,
  dsoDays,
  invoiceCollections,
  type KpiMilestone,
  orderKpiInputs,
  paymentDays,
  rateBps,
} from './collection-kpis';

let seq = 0;
const m = (
  type: KpiMilestone['type'],
  date: string,
  amount: number,
  extra: { dueDate?: string; refundPart?: number } = {},
): KpiMilestone => ({
  seq: ++seq,
  type,
  at: date.length === 10 ? `${date}T10:00:00.000Z` : date,
  amount: BigInt(amount),
  dueDate: extra.dueDate ?? null,
  refundPart: BigInt(extra.refundPart ?? 0),
});

/** docs/collections-and-credit.md, worked example: order O1 (customer C1, alice 60 % / bob 40 %). */
const O1 = [
  m('BOOKED', '2026-02-01', 100000),
  m('INVOICED', '2026-02-01', 50000, { dueDate: '2026-03-03' }),
  m('INVOICED', '2026-03-01', 50000, { dueDate: '2026-03-31' }),
  m('PAYMENT', '2026-03-02', 30000),
  m('PAYMENT', '2026-03-10', 20000),
  m('PAYMENT', '2026-04-10', 50000),
];
/** O2 (C2, alice 100 %): invoiced 40,000, 10,000 cancelled, 20,000 paid late, the rest written off in April. */
const O2 = [
  m('BOOKED', '2026-03-05', 40000),
  m('INVOICED', '2026-03-05', 40000, { dueDate: '2026-03-20' }),
  m('CANCELLATION', '2026-03-10', 10000),
  m('PAYMENT', '2026-03-25', 20000),
  m('WRITE_OFF', '2026-04-05', 10000),
];
/** O3 (C3, carol): paid in full on the due date, then 5,000 returned and refunded. */
const O3 = [
  m('BOOKED', '2026-03-01', 20000),
  m('INVOICED', '2026-03-01', 20000, { dueDate: '2026-03-15' }),
  m('PAYMENT', '2026-03-15', 20000),
  m('RETURN', '2026-03-20', 5000, { refundPart: 5000 }),
];
const ASOF = '2026-04-15T00:00:00.000Z';

describe('collection rate: what was due in the period and what was collected of it', () => {
  it('given two instalments paid partly on time and partly late, then due 100,000, on time 30,000, to date 100,000', () => {
    // Payments fill the invoices oldest due first: 30,000 by 03-03 covers I1 partly on time.
    expect(invoiceCollections(O1).map((i) => [i.dueDate, i.due, i.collectedOnTime, i.collectedToDate])).toEqual([
      ['2026-03-03', 50000n, 30000n, 50000n],
      ['2026-03-31', 50000n, 0n, 50000n],
    ]);
    expect(orderKpiInputs(O1, '2026-03', ASOF)).toMatchObject({
      due: 100000n,
      collectedOnTime: 30000n,
      collectedToDate: 100000n,
    });
  });

  it('given a cancellation of 10,000 on a fully invoiced order, then only 30,000 is due; the write-off stays uncollected', () => {
    expect(orderKpiInputs(O2, '2026-03', ASOF)).toMatchObject({
      due: 30000n,
      collectedOnTime: 0n,
      collectedToDate: 20000n,
    });
  });

  it('given a refund after payment on the due date, then due and collected are both the net 15,000', () => {
    expect(orderKpiInputs(O3, '2026-03', ASOF)).toMatchObject({
      due: 15000n,
      collectedOnTime: 15000n,
      collectedToDate: 15000n,
    });
  });

  it('given a reduction smaller than the un-invoiced part, then the invoices stay fully due', () => {
    const order = [
      m('BOOKED', '2026-03-01', 1000),
      m('INVOICED', '2026-03-01', 600, { dueDate: '2026-03-10' }),
      m('CANCELLATION', '2026-03-02', 300),
    ];
    expect(invoiceCollections(order).map((i) => i.due)).toEqual([600n]);
    // 500 more cancelled: net 200, the latest-due invoice is trimmed first
    const more = [
      m('BOOKED', '2026-03-01', 1000),
      m('INVOICED', '2026-03-01', 400, { dueDate: '2026-03-10' }),
      m('INVOICED', '2026-03-01', 400, { dueDate: '2026-03-20' }),
      m('CANCELLATION', '2026-03-02', 700),
    ];
    expect(invoiceCollections(more).map((i) => i.due)).toEqual([300n, 0n]);
  });

  it('given asOf in the middle of the period, then only invoices due by asOf count', () => {
    const mid = '2026-03-16T00:00:00.000Z';
    const counted = (ms: KpiMilestone[]) => ms.filter((x) => Date.parse(x.at) <= Date.parse(mid));
    expect(orderKpiInputs(counted(O1), '2026-03', mid)).toMatchObject({ due: 50000n, collectedToDate: 50000n });
    expect(orderKpiInputs(counted(O2), '2026-03', mid)).toMatchObject({ due: 0n });
    // the return of 03-20 has not happened yet: 20,000 due and paid on time
    expect(orderKpiInputs(counted(O3), '2026-03', mid)).toMatchObject({ due: 20000n, collectedOnTime: 20000n });
  });

  it('rounds each credited share half up and the rate down to a basis point', () => {
    const alice = creditedInputs(orderKpiInputs(O1, '2026-03', ASOF), 6000);
    expect(alice).toMatchObject({ due: 60000n, collectedOnTime: 18000n, collectedToDate: 60000n });
    expect(
      creditedInputs({ due: 10001n, collectedOnTime: 0n, collectedToDate: 0n, paid: 0n, paidAmountDays: 0n }, 6000).due,
    ).toBe(6001n);
    // alice in March: due 60,000 + 30,000, collected 60,000 + 20,000
    expect(rateBps(80000n, 90000n)).toBe(8888);
    expect(rateBps(18000n, 90000n)).toBe(2000);
    expect(rateBps(0n, 0n)).toBeNull();
  });
});

describe('average days to pay', () => {
  it('given O1, then its March payments took 29 and 37 days from the first invoice: 1,610,000 amount-days', () => {
    expect(paymentDays(O1).map((p) => [p.amount, p.amountDays])).toEqual([
      [30000n, 30000n * 29n],
      [20000n, 20000n * 37n],
      [50000n, 50000n * 40n], // I2 issued 03-01, paid 04-10
    ]);
    expect(orderKpiInputs(O1, '2026-03', ASOF)).toMatchObject({ paid: 50000n, paidAmountDays: 1610000n });
    expect(averageDaysToPay(50000n, 1610000n)).toBe(32); // 32.2
  });

  it('given a payment before the invoice and one beyond every invoice, then 0 days and days from booking', () => {
    const order = [
      m('BOOKED', '2026-03-01', 1000),
      m('PAYMENT', '2026-03-03', 300),
      m('INVOICED', '2026-03-05', 500, { dueDate: '2026-03-20' }),
      m('PAYMENT', '2026-03-11', 400),
    ];
    // 300 paid before invoice: 0 days; 200 of the second fills the invoice (6 days), 200 beyond it (10 days from booking)
    expect(paymentDays(order).map((p) => p.amountDays)).toEqual([0n, 200n * 6n + 200n * 10n]);
  });

  it('rounds half up and is null without payments', () => {
    expect(averageDaysToPay(2n, 5n)).toBe(3);
    expect(averageDaysToPay(0n, 0n)).toBeNull();
  });
});

describe('DSO', () => {
  it('is outstanding × days ÷ net sales, rounded half up to whole days', () => {
    // alice in March: outstanding 30,000 + 10,000 + 6,001 = 46,001, sales 30,000 + 6,001 = 36,001, 31 days
    expect(dsoDays(46001n, 36001n, 31)).toBe(40); // 39.61
    expect(dsoDays(24000n, 4000n, 31)).toBe(186);
    expect(dsoDays(0n, 15000n, 31)).toBe(0);
    expect(dsoDays(100n, 0n, 31)).toBeNull();
    expect(dsoDays(100n, -5n, 31)).toBeNull();
  });

  it('counts the days of the period up to the period end or asOf', () => {
    expect(daysCounted('2026-03', '2026-03-31T23:59:59.999Z')).toBe(31);
    expect(daysCounted('2026-02', '2026-02-28T23:59:59.999Z')).toBe(28);
    expect(daysCounted('2026-03', '2026-03-16T00:00:00.000Z')).toBe(16);
  });
});
