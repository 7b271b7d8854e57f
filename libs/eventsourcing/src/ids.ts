import { createHash } from 'node:crypto';

const NAMESPACE = 'b6a1f5e2-6d0c-4c43-9a0e-3c1f4d2b7a10';

/** RFC 4122 version-5 style UUID from names: the same names always give the same id. */
export function deterministicUuid(...names: readonly string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(names.join('\u0000')).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
