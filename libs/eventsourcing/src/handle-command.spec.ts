import type { Decider, DomainEvent } from './decider';
import { IdempotencyConflictError } from './decider';
import type { StoredEvent } from './event';
import type { AppendResult, EventStore } from './event-store.port';
import { handleCommand, type CommandContext } from './handle-command';
import { canonicalJson, deterministicUuid, sha256Hex } from './ids';

type Pay = { readonly amount: number };
type Paid = DomainEvent<'Paid', { amount: number }>;

const decider: Decider<Pay, Paid, null> = {
  initialState: () => null,
  evolve: (state) => state,
  decide: (command) => [{ type: 'Paid', occurredAt: '2026-01-10T00:00:00.000Z', data: { amount: command.amount } }],
};

const context = (request: unknown): CommandContext => ({
  commandType: 'ReceivePayment',
  commandId: 'PAY-1',
  actor: 'test',
  correlationId: 'c',
  causationId: 'c',
  request,
});

/**
 * The race of two runs of one command (same type and id) on one stream: both read the stream
 * before either appended; the first appends, the second's append then finds the very same event
 * ids stored (they are derived from the command's type and id) and the store answers it as an
 * idempotent retry (`appended: false`).
 */
function storeWhereAConcurrentRunWon(firstRequest: unknown): EventStore {
  const first: StoredEvent = {
    id: deterministicUuid('ReceivePayment', 'PAY-1', '0'),
    type: 'Paid',
    schemaVersion: 1,
    data: { amount: 1 },
    occurredAt: '2026-01-10T00:00:00.000Z',
    metadata: {
      actor: 'test',
      commandId: 'PAY-1',
      commandType: 'ReceivePayment',
      correlationId: 'c',
      causationId: 'c',
      requestHash: sha256Hex(canonicalJson(firstRequest)),
    },
    streamId: 'order-O1',
    streamRevision: 0n,
    globalPosition: 7n,
    logPosition: { major: 7n, minor: 7n },
    recordedAt: '2026-01-10T00:00:00.000Z',
  };
  let appended = false;
  return {
    readStream: async () => (appended ? [first] : []),
    appendToStream: async (): Promise<AppendResult> => {
      appended = true;
      return { nextExpectedRevision: 0n, globalPosition: 7n, logPosition: first.logPosition, appended: false };
    },
  } as unknown as EventStore;
}

describe('handleCommand: two runs of one command at once', () => {
  it('given a concurrent run with ANOTHER body won the race, when the store answers "already stored", then IDEMPOTENCY_CONFLICT (not 201 for a body that was never recorded)', async () => {
    const store = storeWhereAConcurrentRunWon({ amount: 1 });
    await expect(handleCommand(store, 'order-O1', decider, { amount: 2 }, context({ amount: 2 }))).rejects.toThrow(
      IdempotencyConflictError,
    );
  });

  it('given a concurrent run with the SAME body won the race, then it answers as the first time and appends nothing', async () => {
    const store = storeWhereAConcurrentRunWon({ amount: 1 });
    await expect(handleCommand(store, 'order-O1', decider, { amount: 1 }, context({ amount: 1 }))).resolves.toEqual({
      streamId: 'order-O1',
      globalPosition: 7n,
      appended: false,
    });
  });
});
