import { specFor } from '../../../../eventsourcing/src/testing/decider.spec-helper';
import type { SecondarySaleReported } from '../../contracts/sales.events';
import type { CustomerState } from '../../customers/customer.state';
import type { PlanState } from '../../plans/plan.state';
import type { SalespersonState } from '../../salespeople/salesperson.state';
import type { ReportSecondarySale } from './report-secondary-sale.command';
import { reportSecondarySaleDecider, type SecondarySaleContext } from './report-secondary-sale.decide';

const P1: PlanState = {
  exists: true,
  planId: 'P1',
  name: 'Booking',
  currency: 'USD',
  basis: 'BOOKING',
  rateBps: 1000,
  clawback: { windowDays: 90, percentBps: 10000 },
};
const person = (id: string, terminatedOn: string | null = null): SalespersonState => ({
  exists: true,
  salespersonId: id,
  name: id,
  managerId: null,
  teamId: null,
  hiredOn: '2025-01-01',
  terminatedOn,
  assignments: [{ assignmentId: `A-${id}`, planId: 'P1', effectiveFrom: '2026-01-01' }],
});
const D1: CustomerState = {
  exists: true,
  customerId: 'D1',
  name: 'Northwind',
  paymentTermsDays: 45,
  creditLimit: null,
  salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
  distributor: true,
  creditHistory: [
    { effectiveFrom: null, salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }] },
    // From March, bob takes the distributor over.
    { effectiveFrom: '2026-03-01', salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }] },
  ],
  reservations: null,
};
const context: SecondarySaleContext = {
  distributor: D1,
  salespeople: new Map([
    ['alice', person('alice')],
    ['bob', person('bob')],
  ]),
  plans: new Map([['P1', P1]]),
};
const report = (extra: Partial<ReportSecondarySale> = {}): ReportSecondarySale => ({
  type: 'ReportSecondarySale',
  saleId: 'SS1',
  distributorId: 'D1',
  amount: { amount: 2_500_000, currency: 'USD' },
  soldAt: '2026-02-14T00:00:00.000Z',
  endCustomer: 'Contoso Retail',
  businessUnit: 'enterprise',
  ...extra,
});
const reported = (extra: Partial<SecondarySaleReported['data']> = {}): SecondarySaleReported => ({
  type: 'SecondarySaleReported',
  occurredAt: extra.soldAt ?? '2026-02-14T00:00:00.000Z',
  data: {
    saleId: 'SS1',
    distributorId: 'D1',
    amount: { amount: 2_500_000, currency: 'USD' },
    soldAt: '2026-02-14T00:00:00.000Z',
    endCustomer: 'Contoso Retail',
    businessUnit: 'enterprise',
    salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    ...extra,
  },
});

const spec = specFor(reportSecondarySaleDecider(context));

describe('report secondary sale', () => {
  it('given a distributor credited to alice, when it reports a sale, then SecondarySaleReported credits alice', () => {
    spec.given([]).when(report()).then([reported()]);
  });

  it("credits the distributor's sales credits on the sale's date, after a reassignment", () => {
    spec
      .given([])
      .when(report({ soldAt: '2026-03-01T00:00:00.000Z' }))
      .then([
        reported({ soldAt: '2026-03-01T00:00:00.000Z', salesCredits: [{ salespersonId: 'bob', splitBps: 10000 }] }),
      ]);
    spec
      .given([])
      .when(report({ soldAt: '2026-02-28T23:59:59.999Z', endCustomer: null, businessUnit: null }))
      .then([reported({ soldAt: '2026-02-28T23:59:59.999Z', endCustomer: null, businessUnit: null })]);
  });

  it('refuses an unknown distributor as not found', () => {
    specFor(reportSecondarySaleDecider({ ...context, distributor: { exists: false } }))
      .given([])
      .when(report())
      .thenRefuses('NOT_FOUND');
  });

  it('refuses a customer that is not a distributor (NOT_A_DISTRIBUTOR)', () => {
    const customer: CustomerState = { ...D1, customerId: 'C1', distributor: undefined };
    specFor(reportSecondarySaleDecider({ ...context, distributor: customer }))
      .given([])
      .when(report({ distributorId: 'C1' }))
      .thenRefuses('NOT_A_DISTRIBUTOR');
  });

  it("refuses a currency other than the credited salesperson's plan currency (CURRENCY_MISMATCH)", () => {
    spec
      .given([])
      .when(report({ amount: { amount: 5, currency: 'EUR' } }))
      .thenRefuses('CURRENCY_MISMATCH');
  });

  it('refuses crediting a salesperson who left before the sale, as a booking would', () => {
    specFor(
      reportSecondarySaleDecider({ ...context, salespeople: new Map([['alice', person('alice', '2026-02-01')]]) }),
    )
      .given([])
      .when(report())
      .thenRefuses('SALESPERSON_TERMINATED');
  });

  it('given the sale was reported, when reported again (another command), then ALREADY_EXISTS', () => {
    spec.given([reported()]).when(report()).thenRefuses('ALREADY_EXISTS');
  });
});
