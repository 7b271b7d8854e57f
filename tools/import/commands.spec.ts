import { CommandRunner } from './commands';
import { demoCommands, toImportLine } from './demo-commands';
import { contextOf } from './importer';
import { parseLine } from './parse-line';
import { StagingEventStore } from './staging-store';

function runner() {
  const store = new StagingEventStore(() => Promise.resolve(new Map()));
  return { store, run: new CommandRunner(store, contextOf('system:test')) };
}

const lineOf = (o: unknown, n = 1) => {
  const parsed = parseLine(JSON.stringify(o), n);
  if (!parsed.ok) throw new Error(parsed.refusal.detail);
  return parsed.line;
};

const plan = {
  method: 'POST',
  path: '/plans',
  body: {
    planId: 'P1',
    name: 'Booking 10 %',
    currency: 'USD',
    basis: 'BOOKING',
    rateBps: 1000,
    clawback: { windowDays: 90, percentBps: 10000 },
  },
};

describe('running import lines through the API handlers (no database)', () => {
  it('accepts a command, with the metadata handleCommand gives it', async () => {
    const { store, run } = runner();
    expect(await run.run(lineOf(plan))).toEqual({
      kind: 'accepted',
      type: 'CreatePlan',
      commandId: 'P1',
      streamId: 'plan-P1',
    });
    const [append] = store.pendingAppends();
    expect(append).toMatchObject({ streamId: 'plan-P1', expectedRevision: -1n });
    expect(append!.events[0]!.metadata).toMatchObject({
      actor: 'system:test',
      commandId: 'P1',
      commandType: 'CreatePlan',
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // The same command again appends nothing; with another body it is refused.
    expect((await run.run(lineOf(plan))).kind).toBe('accepted');
    expect(store.pendingEventCount()).toBe(1);
    expect(await run.run(lineOf({ ...plan, body: { ...plan.body, rateBps: 500 } }, 3))).toEqual({
      kind: 'refused',
      refusal: expect.objectContaining({ line: 3, status: 409, code: 'IDEMPOTENCY_CONFLICT' }),
    });
  });

  it('refuses what the API refuses: field errors, bad path ids, business rules', async () => {
    const { run } = runner();
    const invalid = await run.run(lineOf({ ...plan, body: { ...plan.body, rateBps: -1, extra: 1 } }, 2));
    expect(invalid).toMatchObject({ kind: 'refused', refusal: { line: 2, status: 400, code: 'VALIDATION_FAILED' } });
    if (invalid.kind === 'refused')
      expect(invalid.refusal.errors?.map((e) => e.field).sort()).toEqual(['extra', 'rateBps']);
    const badId = await run.run(
      lineOf({ method: 'POST', path: '/salespeople/a b/termination', body: { terminatedOn: '2026-01-01' } }),
    );
    expect(badId).toMatchObject({ kind: 'refused', refusal: { status: 400, code: 'VALIDATION_FAILED' } });
    const unknown = await run.run(
      lineOf({
        method: 'POST',
        path: '/orders/O9/payments',
        body: { paymentId: 'P', amount: { amount: 1, currency: 'USD' }, receivedAt: '2026-01-01T00:00:00Z' },
      }),
    );
    expect(unknown).toMatchObject({ kind: 'refused', refusal: { status: 404, code: 'NOT_FOUND' } });
  });

  it('accepts the channel commands of issue 10: a distributor, its secondary sale, a recalculation', async () => {
    const { store, run } = runner();
    const line = (method: string, path: string, body: unknown) => lineOf({ method, path, body });
    expect((await run.run(lineOf(plan))).kind).toBe('accepted');
    for (const [method, path, body] of [
      ['POST', '/salespeople', { salespersonId: 'alice', name: 'Alice', hiredOn: '2025-01-01' }],
      [
        'POST',
        '/salespeople/alice/plan-assignments',
        { assignmentId: 'A1', planId: 'P1', effectiveFrom: '2026-01-01' },
      ],
    ] as const)
      expect((await run.run(line(method, path, body))).kind).toBe('accepted');
    const distributor = {
      distributorId: 'D1',
      name: 'Northwind',
      paymentTermsDays: 30,
      salesCredits: [{ salespersonId: 'alice', splitBps: 10000 }],
    };
    expect(await run.run(line('POST', '/distributors', distributor))).toEqual({
      kind: 'accepted',
      type: 'RegisterDistributor',
      commandId: 'D1',
      streamId: 'customer-D1',
    });
    const sale = { saleId: 'SS1', amount: { amount: 1000, currency: 'USD' }, soldAt: '2026-02-01T00:00:00Z' };
    expect(await run.run(line('POST', '/distributors/D1/secondary-sales', sale))).toEqual({
      kind: 'accepted',
      type: 'ReportSecondarySale',
      commandId: 'SS1',
      streamId: 'secondary-sale-SS1',
    });
    expect(
      await run.run(line('POST', '/salespeople/alice/recalculations', { recalculationId: 'RC1', reason: 'r' })),
    ).toEqual({
      kind: 'accepted',
      type: 'RecalculateCommissions',
      commandId: 'RC1',
      streamId: 'commission-alice',
    });
    expect(store.pendingAppends().flatMap((a) => a.events.map((e) => e.type))).toEqual(
      expect.arrayContaining(['CustomerRegistered', 'SecondarySaleReported', 'CommissionsRecalculated']),
    );
    expect(await run.run(line('POST', '/distributors/D9/secondary-sales', { ...sale, saleId: 'SS9' }))).toMatchObject({
      kind: 'refused',
      refusal: { status: 404, code: 'NOT_FOUND' },
    });
  });

  it('accepts every command of a small demo company', async () => {
    const { store, run } = runner();
    const refused = [];
    let n = 0;
    for (const command of demoCommands({ seed: 7, orders: 40 })) {
      const outcome = await run.run(lineOf(JSON.parse(toImportLine(command)), ++n));
      if (outcome.kind === 'refused') refused.push(outcome.refusal);
    }
    expect(refused).toEqual([]);
    expect(store.pendingEventCount()).toBeGreaterThanOrEqual(n);
  });
});
