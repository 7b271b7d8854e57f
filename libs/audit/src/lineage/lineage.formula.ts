/**
 * Recomputes a ledger entry's amount from the formula inputs it carries (domain.md §1, §4), so an
 * auditor can check every figure: pure, no I/O.
 *
 * - EARNED: commission(A, s, r) = roundHalfUp(A × s × r / 10^8)
 * - CLAWBACK: roundHalfUp(commission(X, s, r) × percentBps / 10^4); when the cap (never more than
 *   the order earned the salesperson) reduced it, the formula gives `cappedFrom` and the entry the cap
 * - ADJUSTMENT: the amount as approved; PAYOUT: the amount paid (the entry subtracts it)
 * - tiered plans (docs/plans-and-channels.md, ADR 0011): EARNED and CLAWBACK at the blended rate
 *   `blendedRateBps` = num/den instead of rateBps; at booking the parts per band must add up to the
 *   credited amount (den = baseAmount × splitBps) and Σ part × rate to num
 * - a recalculation's ADJUSTMENT: newNet − previousNet
 */
import { BPS, clawback, commission, roundHalfUp } from '../../../shared-kernel/src/money';
import { commissionAt, type Rate } from '../../../commissions/src/commission-ledger/commission-rates';

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
  /**
   * The formula's value from the inputs (a magnitude, the entry's type gives the sign; signed for a
   * recalculation's adjustment); null if inputs are missing.
   */
  readonly recomputed: number | null;
  /** The clawback cap reduced the entry below the formula's value (recomputed = inputs.cappedFrom). */
  readonly capped: boolean;
  /** recomputed = |result|, or, when capped, recomputed = cappedFrom and |result| < cappedFrom. */
  readonly matches: boolean;
}

export const EARNED_EXPRESSION = 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)';
export const CLAWBACK_EXPRESSION =
  'roundHalfUp(roundHalfUp(baseAmount × splitBps × rateBps / 10^8) × percentBps / 10^4)';
export const BLENDED_EARNED_EXPRESSION = 'roundHalfUp(baseAmount × splitBps × blendedRateBps / 10^8)';
export const BLENDED_CLAWBACK_EXPRESSION =
  'roundHalfUp(roundHalfUp(baseAmount × splitBps × blendedRateBps / 10^8) × percentBps / 10^4)';
export const RECALCULATION_EXPRESSION = 'newNet − previousNet';

/** `blendedRateBps` as the ledger writes it: "num/den" (or an integer); null if malformed. */
function blendedRate(v: unknown): Rate | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{1,40})(?:\/(\d{1,40}))?$/.exec(v);
  if (!m) return null;
  const den = BigInt(m[2] ?? '1');
  return den > 0n ? { num: BigInt(m[1]!), den } : null;
}

/** At booking on a tiered plan: Σ part = den (the credited amount, A × s) and Σ part × rate = num. */
function tierPartsAddUp(parts: unknown, rate: Rate): boolean {
  if (parts === undefined) return true;
  if (!Array.isArray(parts)) return false;
  let total = 0n;
  let weight = 0n;
  for (const p of parts as Array<Record<string, unknown>>) {
    if (typeof p?.part !== 'string' || !/^\d{1,40}$/.test(p.part) || !Number.isSafeInteger(p.rateBps)) return false;
    total += BigInt(p.part);
    weight += BigInt(p.part) * BigInt(p.rateBps as number);
  }
  return total === rate.den && weight === rate.num;
}

const int = (v: unknown): bigint | null => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : null);
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

export function recomputeEntry(type: string, amount: bigint, explanation: FormulaInputs): Recomputation {
  const { formula, ...inputs } = explanation;
  const base = int(explanation.baseAmount);
  const split = int(explanation.splitBps);
  const rate = int(explanation.rateBps);
  const percent = int(explanation.percentBps);
  let expression = typeof formula === 'string' ? formula : 'unknown';
  const blended = explanation.blendedRateBps === undefined ? null : blendedRate(explanation.blendedRateBps);
  const isBlended = explanation.blendedRateBps !== undefined;
  let value: bigint | null = null;
  let signed = false;
  switch (type) {
    case 'EARNED':
      if (isBlended) {
        expression = BLENDED_EARNED_EXPRESSION;
        value =
          base !== null && split !== null && blended !== null && tierPartsAddUp(explanation.tierParts, blended)
            ? commissionAt(base, Number(split), blended)
            : null;
        break;
      }
      expression = EARNED_EXPRESSION;
      value = base !== null && split !== null && rate !== null ? commission(base, split, rate) : null;
      break;
    case 'CLAWBACK':
      if (isBlended) {
        expression = BLENDED_CLAWBACK_EXPRESSION;
        value =
          base !== null && split !== null && blended !== null && percent !== null
            ? roundHalfUp(commissionAt(base, Number(split), blended) * percent, BPS)
            : null;
        break;
      }
      expression = CLAWBACK_EXPRESSION;
      value =
        base !== null && split !== null && rate !== null && percent !== null
          ? clawback(base, split, rate, percent)
          : null;
      break;
    case 'ADJUSTMENT':
      if (explanation.trigger === 'RECALCULATION') {
        expression = RECALCULATION_EXPRESSION;
        const before = int(explanation.previousNet);
        const after = int(explanation.newNet);
        // Signed: a recalculation may take back as well as add.
        value = before !== null && after !== null ? after - before : null;
        signed = true;
        break;
      }
      value = base !== null ? abs(base) : null;
      break;
    case 'PAYOUT':
      value = base !== null ? abs(base) : null;
      break;
  }
  const stored = abs(amount);
  const cappedFrom = int(explanation.cappedFrom);
  const capped = type === 'CLAWBACK' && cappedFrom !== null && stored < cappedFrom;
  const matches = value !== null && (signed ? value === amount : capped ? value === cappedFrom : value === stored);
  return {
    expression,
    inputs,
    result: Number(amount),
    recomputed: value === null ? null : Number(value),
    capped,
    matches,
  };
}
