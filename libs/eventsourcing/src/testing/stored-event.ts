import type { StoredEvent } from '../event';

/**
 * Test events as the store would answer them, numbered in global order: `stored(type, data,
 * occurredAt?)`. Each factory counts its own positions (log position = global position) and gives
 * deterministic ids (`00000000-0000-5000-8000-<n>`), one stream per event, and the same record time.
 */
export function storedEventFactory(
  options: { recordedAt?: string; defaultOccurredAt?: string } = {},
): (type: string, data: unknown, occurredAt?: string) => StoredEvent {
  let n = 0;
  return (type, data, occurredAt = options.defaultOccurredAt ?? '2026-01-10T00:00:00.000Z') => {
    n += 1;
    const position = BigInt(n);
    return {
      id: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
      type,
      schemaVersion: 1,
      data,
      occurredAt,
      recordedAt: options.recordedAt ?? '2026-06-10T09:00:00.000Z',
      metadata: { actor: 't', commandId: `c${n}`, commandType: 'T', correlationId: 'x', causationId: 'y' },
      streamId: `s-${n}`,
      streamRevision: 0n,
      globalPosition: position,
      logPosition: { major: position, minor: position },
    };
  };
}
