import { DomainError } from '../../eventsourcing/src/decider';

/** Refusals of sales commands, with the codes of the HTTP contract. */
export const refuse = {
  splits: (total: number) =>
    new DomainError('SPLITS_MUST_TOTAL_10000', `Sales credits must total 10000 bps, got ${total}`),
  duplicateCredit: (salespersonId: string) =>
    new DomainError('DUPLICATE_SALES_CREDIT', `Salesperson ${salespersonId} is credited twice`),
  currencyMismatch: (salespersonId: string, planCurrency: string, currency: string) =>
    new DomainError(
      'CURRENCY_MISMATCH',
      `Sale in ${currency}, but salesperson ${salespersonId}'s plan pays in ${planCurrency}`,
    ),
  alreadyExists: (what: string, id: string) =>
    new DomainError('ALREADY_EXISTS', `${what} ${id} already exists`, 'conflict'),
  terminated: (salespersonId: string, terminatedOn: string) =>
    new DomainError('SALESPERSON_TERMINATED', `Salesperson ${salespersonId} left on ${terminatedOn}`),
  alreadyTerminated: (salespersonId: string) =>
    new DomainError('SALESPERSON_TERMINATED', `Salesperson ${salespersonId} is already terminated`),
  weights: (total: number) =>
    new DomainError('WEIGHTS_MUST_TOTAL_10000', `Monthly weights must total 10000 bps, got ${total}`),
  assignmentBeforeHire: (effectiveFrom: string, hiredOn: string) =>
    new DomainError('ASSIGNMENT_BEFORE_HIRE', `effectiveFrom ${effectiveFrom} is before hiredOn ${hiredOn}`),
  /**
   * A plan's tiers break the rules. Through HTTP the request validation answers this first (400
   * VALIDATION_FAILED naming `tiers`); this guards the decider for every other caller.
   */
  invalidTiers: (problem: string) => new DomainError('INVALID_TIERS', problem),
  notADistributor: (customerId: string) =>
    new DomainError('NOT_A_DISTRIBUTOR', `Customer ${customerId} is not a distributor`),
};

export function checkCredits(credits: readonly { salespersonId: string; splitBps: number }[]): void {
  const seen = new Set<string>();
  let total = 0;
  for (const c of credits) {
    if (seen.has(c.salespersonId)) throw refuse.duplicateCredit(c.salespersonId);
    seen.add(c.salespersonId);
    total += c.splitBps;
  }
  if (total !== 10_000) throw refuse.splits(total);
}
