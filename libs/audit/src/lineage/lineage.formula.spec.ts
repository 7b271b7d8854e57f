import { recomputeEntry } from './lineage.formula';

const earned = {
  trigger: 'SALE_BOOKED',
  baseAmount: 10_000_000,
  splitBps: 6000,
  rateBps: 1000,
  percentBps: null,
  planId: 'P1',
  assignmentId: 'A-alice',
  formula: 'roundHalfUp(baseAmount × splitBps × rateBps / 10^8)',
};

describe('recomputeEntry', () => {
  it('recomputes an EARNED entry: commission(A, s, r)', () => {
    const r = recomputeEntry('EARNED', 600_000n, earned);
    expect(r).toMatchObject({ result: 600_000, recomputed: 600_000, matches: true, capped: false });
    expect(r.expression).toBe('roundHalfUp(baseAmount × splitBps × rateBps / 10^8)');
    expect(r.inputs).not.toHaveProperty('formula');
    expect(r.inputs).toMatchObject({ baseAmount: 10_000_000, splitBps: 6000, rateBps: 1000, planId: 'P1' });
  });

  it('rounds half up once (domain.md: 333 × 3333 × 1000 / 10^8 = 11.09889 → 11)', () => {
    expect(recomputeEntry('EARNED', 11n, { baseAmount: 333, splitBps: 3333, rateBps: 1000 }).recomputed).toBe(11);
    // 5 × 10000 × 1000 / 10^8 = 0.5 → 1 (a half rounds up)
    expect(recomputeEntry('EARNED', 1n, { baseAmount: 5, splitBps: 10000, rateBps: 1000 })).toMatchObject({
      recomputed: 1,
      matches: true,
    });
  });

  it('recomputes a CLAWBACK: roundHalfUp(commission × percentBps / 10^4), stored negative', () => {
    const r = recomputeEntry('CLAWBACK', -30_000n, {
      ...earned,
      trigger: 'RETURN',
      baseAmount: 1_000_000,
      percentBps: 5000,
    });
    expect(r).toMatchObject({ result: -30_000, recomputed: 30_000, matches: true, capped: false });
  });

  it('reports a capped clawback: the formula gives cappedFrom, the entry the cap', () => {
    const r = recomputeEntry('CLAWBACK', -100n, {
      ...earned,
      baseAmount: 1_000_000,
      percentBps: 10000,
      cappedFrom: 60_000,
    });
    expect(r).toMatchObject({ result: -100, recomputed: 60_000, capped: true, matches: true });
  });

  it('adjustments and payouts carry their amount; a wrong stored amount does not match', () => {
    expect(recomputeEntry('ADJUSTMENT', -2500n, { baseAmount: -2500, formula: 'amount as approved' })).toMatchObject({
      expression: 'amount as approved',
      recomputed: 2500,
      matches: true,
    });
    expect(recomputeEntry('PAYOUT', -9000n, { baseAmount: 9000 })).toMatchObject({ recomputed: 9000, matches: true });
    expect(recomputeEntry('EARNED', 600_001n, earned).matches).toBe(false);
  });

  it('missing inputs give recomputed null, never a guess', () => {
    expect(recomputeEntry('EARNED', 1n, { baseAmount: 1, splitBps: null, rateBps: 1000 })).toMatchObject({
      recomputed: null,
      matches: false,
    });
  });

  describe('tiered plans and recalculations (docs/plans-and-channels.md)', () => {
    // Worked example: S2 of 40,000,000 from 80 % to 120 % of a 100,000,000 quota, 5 % then 10 %.
    const tiered = {
      trigger: 'SALE_BOOKED',
      baseAmount: 40_000_000,
      splitBps: 10000,
      rateBps: null,
      percentBps: null,
      blendedRateBps: '300000000000000/400000000000',
      tierParts: [
        { fromAttainmentBps: 0, rateBps: 500, part: '200000000000' },
        { fromAttainmentBps: 10000, rateBps: 1000, part: '200000000000' },
      ],
    };

    it('recomputes a tiered EARNED entry at its blended rate, and checks the parts add up', () => {
      expect(recomputeEntry('EARNED', 3_000_000n, tiered)).toMatchObject({
        recomputed: 3_000_000,
        matches: true,
        expression: 'roundHalfUp(baseAmount × splitBps × blendedRateBps / 10^8)',
      });
      const moved = { ...tiered, tierParts: [{ fromAttainmentBps: 0, rateBps: 500, part: '400000000000' }] };
      expect(recomputeEntry('EARNED', 3_000_000n, moved)).toMatchObject({ recomputed: null, matches: false });
      expect(recomputeEntry('EARNED', 3_000_001n, tiered).matches).toBe(false);
      expect(recomputeEntry('EARNED', 3_000_000n, { ...tiered, blendedRateBps: '3/0' }).matches).toBe(false);
    });

    it('recomputes a clawback at the blended rate: 10,000,000 × 7.5 % = 750,000', () => {
      const r = recomputeEntry('CLAWBACK', -750_000n, {
        ...tiered,
        trigger: 'RETURN',
        baseAmount: 10_000_000,
        percentBps: 10000,
        tierParts: undefined,
      });
      expect(r).toMatchObject({ recomputed: 750_000, matches: true });
    });

    it("recomputes a recalculation's adjustment as newNet − previousNet", () => {
      const recalculation = {
        trigger: 'RECALCULATION',
        baseAmount: 10_000_000,
        previousNet: 900_000,
        newNet: 1_800_000,
      };
      expect(recomputeEntry('ADJUSTMENT', 900_000n, recalculation)).toMatchObject({
        recomputed: 900_000,
        matches: true,
        expression: 'newNet − previousNet',
      });
      expect(recomputeEntry('ADJUSTMENT', -900_000n, { ...recalculation, newNet: 0 })).toMatchObject({
        recomputed: -900_000,
        matches: true,
      });
      expect(recomputeEntry('ADJUSTMENT', -900_000n, recalculation).matches).toBe(false);
      expect(recomputeEntry('ADJUSTMENT', 1n, recalculation).matches).toBe(false);
    });
  });
});
