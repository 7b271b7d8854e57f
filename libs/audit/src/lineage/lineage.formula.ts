/**
 * Recomputes a ledger entry's amount from the formula inputs it carries (domain.md §1, §4), so an
 * auditor can check every figure: pure, no I/O.
 *
 * - EARNED: commission(A, s, r) = roundHalfUp(A × s × r / 10^8)
 * - CLAWBACK: roundHalfUp(commission(X, s, r) × percentBps / 10^4); when the cap (never more than
 *   the order earned the salesperson) reduced it, the formula gives `cappedFrom` and the entry the cap
 * - ADJUSTMENT: the amount as approved; PAYOUT: the amount paid (the entry subtracts it)
 */
import { clawback, commission } from '../../../shared-kernel/src/money';

export interface FormulaInputs {
  readonly trigger?: unknown;
  readonly baseAmount?: unknown;
  readonly splitBps?: unknown;
  readonly rateBps?: unknown;
  readonly percentBps?: unknown;
  readonly formula?: unknown;
  readonly cappedFrom?: unknown;
  readonly [key: string]: unknown;
}

export interface Recomputation {
  /** What is computed from `inputs`. */
  readonly expression: string;
  /** The entry's explanation: every input of the formula (and its context: plan, assignment, trigger…). */
  readonly inputs: Record<string, unknown>;
  /** The stored amount, signed as in the ledger (CLAWBACK and PAYOUT are negative). */
  readonly result: number;
  /** The formula's value from the inputs (a magnitude; the entry's type gives the sign); null if inputs are missing. */
  readonly recomputed: number | null;
  /** The clawback cap reduced the entry below the formula's value (recomputed = inputs.cappedFrom). */
  readonly capped: boolean;
  /** recomputed = |result|, or, when capped, recomputed = cappedFrom and |result| < cappedFrom. */
  readonly matches: boolean;
}

export const EARNED_EXPRESSION = 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)';
export const CLAWBACK_EXPRESSION =
  'roundHalfUp(roundHalfUp(baseAmount × splitBps × rateBps / 10^8) × percentBps / 10^4)';

const int = (v: unknown): bigint | null => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : null);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

export function recomputeEntry(type: string, amount: bigint, explanation: FormulaInputs): Recomputation {
  const { formula, ...inputs } = explanation;
  const base = int(explanation.baseAmount);
  const split = int(explanation.splitBps);
  const rate = int(explanation.rateBps);
  const percent = int(explanation.percentBps);
  let expression = typeof formula === 'string' ? formula : 'unknown';
  let value: bigint | null = null;
  switch (type) {
    case 'EARNED':
      expression = EARNED_EXPRESSION;
      value = base !== null && split !== null && rate !== null ? commission(base, split, rate) : null;
      break;
    case 'CLAWBACK':
      expression = CLAWBACK_EXPRESSION;
      value =
        base !== null && split !== null && rate !== null && percent !== null
          ? clawback(base, split, rate, percent)
          : null;
      break;
    case 'ADJUSTMENT':
    case 'PAYOUT':
      value = base !== null ? abs(base) : null;
      break;
  }
  const stored = abs(amount);
  const cappedFrom = int(explanation.cappedFrom);
  const capped = type === 'CLAWBACK' && cappedFrom !== null && stored < cappedFrom;
  const matches = value !== null && (capped ? value === cappedFrom : value === stored);
  return {
    expression,
    inputs,
    result: Number(amount),
    recomputed: value === null ? null : Number(value),
    capped,
    matches,
  };
}
