import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { CustomerState } from '../../customers/customer.state';
import type { PlanState } from '../../plans/plan.state';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import type { BookSale } from './book-sale.command';
import { bookSaleDecider, type BookSaleContext } from './book-sale.decide';

const P1: PlanState = {
  exists: true,
  planId: 'P1',
  name: 'Booking',
  currency: 'USD',
  basis: 'BOOKING',
  rateBps: 1000,
  clawback: { windowDays: 90, percentBps: 10000 },
};
const person = (
  id: string,
  assignments = [{ assignmentId: `A-${id}`, planId: 'P1', effectiveFrom: '2026-01-01' }],
): SalespersonState => ({
  exists: true,
  salespersonId: id,
  name: id,
  managerId: null,
  teamId: null,
  hiredOn: '2025-01-01',
  terminatedOn: null,
  assignments,
});
const C1: CustomerState = {
  exists: true,
  customerId: 'C1',
  name: 'Acme',
  paymentTermsDays: 30,
  creditLimit: null,
  salesCredits: [
    { salespersonId: 'alice', splitBps: 6000 },
    { salespersonId: 'bob', splitBps: 4000 },
  ],
  creditHistory: [
    {
      effectiveFrom: null,
      salesCredits: [
        { salespersonId: 'alice', splitBps: 6000 },
        { salespersonId: 'bob', splitBps: 4000 },
      ],
    },
    // From March, bob takes the customer over.
    { effectiveFrom: '2026-03-01', salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }] },
  ],
  reservations: null,
};
const context: BookSaleContext = {
  customer: C1,
  salespeople: new Map([
    ['alice', person('alice')],
    ['bob', person('bob')],
    ['dave', person('dave', [])],
  ]),
  plans: new Map([['P1', P1]]),
};
const book = (overrides: Partial<BookSale> = {}): BookSale => ({
  type: 'BookSale',
  orderId: 'O1',
  customerId: 'C1',
  amount: { amount: 10000000, currency: 'USD' },
  bookedAt: '2026-01-10T00:00:00.000Z',
  salesCredits: null,
  businessUnit: null,
  lines: [],
  ...overrides,
});

const spec = specFor(bookSaleDecider(context));

describe('book sale', () => {
  it("books with the customer's credits and the due date from its payment terms", () => {
    spec
      .given([])
      .when(book())
      .then([
        {
          type: 'SaleBooked',
          occurredAt: '2026-01-10T00:00:00.000Z',
          data: {
            orderId: 'O1',
            customerId: 'C1',
            amount: { amount: 10000000, currency: 'USD' },
            bookedAt: '2026-01-10T00:00:00.000Z',
            salesCredits: C1.exists ? C1.salesCredits : [],
            paymentTermsDays: 30,
            dueDate: '2026-02-09',
            businessUnit: null,
            lines: [],
          },
        },
      ]);
  });

  it('refuses explicit credits that do not total 10000', () => {
    spec
      .given([])
      .when(book({ salesCredits: [{ salespersonId: 'alice', splitBps: 9999 }] }))
      .thenRefuses('SPLITS_MUST_TOTAL_10000');
  });

  it('refuses a salesperson credited twice', () => {
    spec
      .given([])
      .when(
        book({
          salesCredits: [
            { salespersonId: 'alice', splitBps: 5000 },
            { salespersonId: 'alice', splitBps: 5000 },
          ],
        }),
      )
      .thenRefuses('DUPLICATE_SALES_CREDIT');
  });

  it('refuses a currency other than the credited salesperson’s plan currency', () => {
    spec
      .given([])
      .when(book({ amount: { amount: 5, currency: 'EUR' } }))
      .thenRefuses('CURRENCY_MISMATCH');
  });

  it('accepts a sale crediting a salesperson without an applicable plan (the ledger lists NO_PLAN)', () => {
    const events = bookSaleDecider(context).decide(
      book({ salesCredits: [{ salespersonId: 'dave', splitBps: 10000 }] }),
      {
        exists: false,
      },
    );
    expect(events).toHaveLength(1);
  });

  it('does not apply an assignment that starts after the booking date', () => {
    const early = book({ bookedAt: '2025-12-31T23:59:59.000Z', amount: { amount: 5, currency: 'EUR' } });
    expect(bookSaleDecider(context).decide(early, { exists: false })).toHaveLength(1);
  });

  it('refuses an unknown customer or salesperson as not found', () => {
    specFor(bookSaleDecider({ ...context, customer: { exists: false } }))
      .given([])
      .when(book())
      .thenRefuses('NOT_FOUND');
    spec
      .given([])
      .when(book({ salesCredits: [{ salespersonId: 'ghost', splitBps: 10000 }] }))
      .thenRefuses('NOT_FOUND');
  });

  it('refuses booking the same order twice', () => {
    const [booked] = bookSaleDecider(context).decide(book(), { exists: false });
    spec.given([booked!]).when(book()).thenRefuses('ALREADY_EXISTS');
  });

  it('uses the credits in force on the booking date after a reassignment, never changing earlier sales', () => {
    const [feb] = bookSaleDecider(context).decide(book({ bookedAt: '2026-02-28T23:00:00.000Z' }), { exists: false });
    expect((feb?.data as { salesCredits: unknown }).salesCredits).toEqual(C1.exists ? C1.salesCredits : []);
    const [mar] = bookSaleDecider(context).decide(book({ bookedAt: '2026-03-01T00:00:00.000Z' }), { exists: false });
    expect((mar?.data as { salesCredits: unknown }).salesCredits).toEqual([{ salespersonId: 'bob', splitBps: 10000 }]);
  });

  it('refuses to credit a salesperson terminated before the booking date', () => {
    const gone = new Map(context.salespeople);
    gone.set('alice', { ...person('alice'), terminatedOn: '2026-01-05' } as SalespersonState);
    specFor(bookSaleDecider({ ...context, salespeople: gone }))
      .given([])
      .when(book())
      .thenRefuses('SALESPERSON_TERMINATED');
  });

  it('given a distributor, when a sale to it is booked, then SaleBooked carries toDistributor: true', () => {
    const D1: CustomerState = C1.exists ? { ...C1, customerId: 'D1', distributor: true } : C1;
    const [booked] = bookSaleDecider({ ...context, customer: D1 }).decide(book({ customerId: 'D1' }), {
      exists: false,
    });
    expect(booked?.data).toMatchObject({ customerId: 'D1', toDistributor: true });
  });

  it('given a customer that is not a distributor, when a sale is booked, then SaleBooked has no toDistributor field', () => {
    const [booked] = bookSaleDecider(context).decide(book(), { exists: false });
    expect(booked?.data).not.toHaveProperty('toDistributor');
  });
});
