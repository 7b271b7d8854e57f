import { chainHashes, eventHash, eventHashInput, type HashedEvent } from './event-hash';
import { sha256Hex } from './ids';

const base: HashedEvent = {
  streamId: 'order-O1',
  streamRevision: 1n,
  id: '0B6F3C1E-8C1A-5D2E-9F00-1A2B3C4D5E6F',
  type: 'SaleBooked',
  schemaVersion: 1,
  data: { orderId: 'O1', amount: { currency: 'USD', amount: 10000000 } },
  metadata: {
    actor: 'alice',
    commandId: 'O1',
    commandType: 'BookSale',
    correlationId: 'c',
    causationId: 'c',
  },
  occurredAt: '2026-01-10T00:00:00Z',
};
const PREV = 'a'.repeat(64);

describe('eventHash', () => {
  it('hashes the documented canonical form: sorted keys, decimal revision, lower-case id, normalised time', () => {
    // Given an event, when its canonical form is built, then it is exactly the documented text
    expect(eventHashInput(PREV, base)).toBe(
      '{"data":{"amount":{"amount":10000000,"currency":"USD"},"orderId":"O1"},' +
        '"id":"0b6f3c1e-8c1a-5d2e-9f00-1a2b3c4d5e6f",' +
        '"metadata":{"actor":"alice","causationId":"c","commandId":"O1","commandType":"BookSale","correlationId":"c"},' +
        `"occurredAt":"2026-01-10T00:00:00.000Z","prevHash":"${PREV}","schemaVersion":1,` +
        '"streamId":"order-O1","streamRevision":"1","type":"SaleBooked"}',
    );
    // and the hash is its SHA-256 in lower-case hex
    expect(eventHash(PREV, base)).toBe(sha256Hex(eventHashInput(PREV, base)));
    expect(eventHash(PREV, base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same content as a store gives it back (key order, time format, id case, undefined members)', () => {
    const asReadBack: HashedEvent = {
      ...base,
      id: base.id.toLowerCase(),
      data: { amount: { amount: 10000000, currency: 'USD' }, orderId: 'O1', dropped: undefined },
      occurredAt: '2026-01-10T00:00:00.000Z',
    };
    expect(eventHash(PREV, asReadBack)).toBe(eventHash(PREV, base));
  });

  it.each<[string, Partial<HashedEvent>]>([
    ['data', { data: { orderId: 'O1', amount: { currency: 'USD', amount: 10000001 } } }],
    ['metadata', { metadata: { ...base.metadata, actor: 'mallory' } }],
    ['type', { type: 'SaleCancelled' }],
    ['schemaVersion', { schemaVersion: 2 }],
    ['streamId', { streamId: 'order-O2' }],
    ['streamRevision', { streamRevision: 2n }],
    ['occurredAt', { occurredAt: '2026-01-10T00:00:00.001Z' }],
    ['id', { id: '1b6f3c1e-8c1a-5d2e-9f00-1a2b3c4d5e6f' }],
  ])('changes when %s changes', (_field, change) => {
    expect(eventHash(PREV, { ...base, ...change })).not.toBe(eventHash(PREV, base));
  });

  it('changes with the previous hash: the chain links each event to the one before', () => {
    expect(eventHash(null, base)).not.toBe(eventHash(PREV, base));
    expect(eventHash('b'.repeat(64), base)).not.toBe(eventHash(PREV, base));
  });

  it('chainHashes links a batch to the stream last hash, each event to the one before', () => {
    const second = { ...base, streamRevision: 2n };
    const [a, b] = chainHashes(PREV, [base, second]);
    expect(a).toEqual({ hash: eventHash(PREV, base), prevHash: PREV });
    expect(b).toEqual({ hash: eventHash(a!.hash, second), prevHash: a!.hash });
  });

  it('refuses an occurredAt that is not a date', () => {
    expect(() => eventHash(null, { ...base, occurredAt: 'yesterday' })).toThrow(TypeError);
  });
});
