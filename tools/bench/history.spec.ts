import { createHash } from 'node:crypto';
import { generateHistory, type StreamAppend } from './history';

const digest = (appends: Iterable<StreamAppend>) => {
  const hash = createHash('sha256');
  let events = 0;
  for (const a of appends) {
    hash.update(JSON.stringify(a));
    events += a.events.length;
  }
  return { digest: hash.digest('hex'), events };
};

describe('benchmark history generator', () => {
  const small = { seed: 7, events: 6_000, salespeople: 100, customers: 1_000 };

  it('gives the same events for the same seed, and others for another seed', () => {
    const first = digest(generateHistory(small));
    expect(digest(generateHistory(small))).toEqual(first);
    expect(digest(generateHistory({ ...small, seed: 8 })).digest).not.toBe(first.digest);
    expect(first.events).toBeGreaterThanOrEqual(6_000);
  });

  it('makes every kind of order event, with unique ids and handleCommand metadata', () => {
    const types = new Map<string, number>();
    const ids = new Set<string>();
    for (const a of generateHistory(small)) {
      for (const e of a.events) {
        types.set(e.type, (types.get(e.type) ?? 0) + 1);
        ids.add(e.id);
        expect(e.metadata).toEqual(
          expect.objectContaining({
            actor: 'system:bench',
            commandId: expect.any(String),
            requestHash: expect.any(String),
          }),
        );
      }
    }
    for (const type of [
      'SaleBooked',
      'InvoiceIssued',
      'PaymentReceived',
      'OrderCancelled',
      'ProductReturned',
      'DebtWrittenOff',
    ]) {
      expect(types.get(type) ?? 0).toBeGreaterThan(0);
    }
    expect(ids.size).toBe([...types.values()].reduce((s, n) => s + n, 0));
  });
});
