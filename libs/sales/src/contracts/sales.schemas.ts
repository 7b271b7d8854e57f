/**
 * The published JSON Schemas (draft 2020-12) of the sales events' `data`, one file per type and
 * version in ./schemas: those files are the published truth (served at GET /api/v1/event-schemas).
 * Versioning policy: README.md § Published event schemas. Framework-free.
 */
import { type EventSchema, eventSchema } from '../../../eventsourcing/src/schemas/event-schemas';
import CreditLimitSetV1 from './schemas/CreditLimitSet.v1.schema.json';
import CustomerCreditReservedV1 from './schemas/CustomerCreditReserved.v1.schema.json';
import CollectionActionTakenV1 from './schemas/CollectionActionTaken.v1.schema.json';
import CollectionPolicyAssignedV1 from './schemas/CollectionPolicyAssigned.v1.schema.json';
import CollectionPolicyCreatedV1 from './schemas/CollectionPolicyCreated.v1.schema.json';
import CustomerRegisteredV1 from './schemas/CustomerRegistered.v1.schema.json';
import InvoiceDisputedV1 from './schemas/InvoiceDisputed.v1.schema.json';
import InvoiceDisputeResolvedV1 from './schemas/InvoiceDisputeResolved.v1.schema.json';
import PaymentPromisedV1 from './schemas/PaymentPromised.v1.schema.json';
import DebtWrittenOffV1 from './schemas/DebtWrittenOff.v1.schema.json';
import InvoiceIssuedV1 from './schemas/InvoiceIssued.v1.schema.json';
import OrderCancelledV1 from './schemas/OrderCancelled.v1.schema.json';
import PaymentReceivedV1 from './schemas/PaymentReceived.v1.schema.json';
import PlanAssignedV1 from './schemas/PlanAssigned.v1.schema.json';
import PlanCreatedV1 from './schemas/PlanCreated.v1.schema.json';
import ProductReturnedV1 from './schemas/ProductReturned.v1.schema.json';
import QuotaSetV1 from './schemas/QuotaSet.v1.schema.json';
import SaleBookedV1 from './schemas/SaleBooked.v1.schema.json';
import SalesCreditsReassignedV1 from './schemas/SalesCreditsReassigned.v1.schema.json';
import SalespersonRegisteredV1 from './schemas/SalespersonRegistered.v1.schema.json';
import SalespersonTerminatedV1 from './schemas/SalespersonTerminated.v1.schema.json';
import SecondarySaleReportedV1 from './schemas/SecondarySaleReported.v1.schema.json';

/** Every published schema of these contracts, each file's `$id` naming its type and version. */
export const SALES_EVENT_SCHEMAS: readonly EventSchema[] = [
  CollectionActionTakenV1,
  CollectionPolicyAssignedV1,
  CollectionPolicyCreatedV1,
  InvoiceDisputedV1,
  InvoiceDisputeResolvedV1,
  PaymentPromisedV1,
  CreditLimitSetV1,
  CustomerCreditReservedV1,
  CustomerRegisteredV1,
  DebtWrittenOffV1,
  InvoiceIssuedV1,
  OrderCancelledV1,
  PaymentReceivedV1,
  PlanAssignedV1,
  PlanCreatedV1,
  ProductReturnedV1,
  QuotaSetV1,
  SaleBookedV1,
  SalesCreditsReassignedV1,
  SalespersonRegisteredV1,
  SalespersonTerminatedV1,
  SecondarySaleReportedV1,
].map(eventSchema);
