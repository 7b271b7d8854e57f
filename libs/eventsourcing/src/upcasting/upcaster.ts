/**
 * Upcasting (ADR 0001): stored events are never rewritten. When the shape of an event's `data`
 * changes, the event type gets a new `schemaVersion` and an upcaster that turns the data of the
 * previous version into the new one. Readers apply the chain on read, so every reader (commands,
 * projections, the feed) only ever sees the current version of each type. Framework-free.
 */
import type { StoredEvent } from '../event';

/** Turns the `data` of one version of an event type into the next. Pure: no clock, no I/O. */
export interface Upcaster {
  readonly type: string;
  readonly fromVersion: number;
  /** Greater than fromVersion (normally fromVersion + 1). */
  readonly toVersion: number;
  /** The stored data of `fromVersion` (never mutate it) → the data of `toVersion`. */
  upcast(data: unknown, event: StoredEvent): unknown;
}

/** The upcasters of a system, applied as a chain: v1 → v2 → … until none applies. */
export class Upcasters {
  private readonly byKey = new Map<string, Upcaster>();

  constructor(upcasters: readonly Upcaster[]) {
    for (const u of upcasters) {
      if (!Number.isInteger(u.fromVersion) || !Number.isInteger(u.toVersion) || u.toVersion <= u.fromVersion) {
        throw new Error(`Upcaster of ${u.type} goes from ${u.fromVersion} to ${u.toVersion}: it must go forwards`);
      }
      const key = Upcasters.key(u.type, u.fromVersion);
      if (this.byKey.has(key)) throw new Error(`Two upcasters of ${u.type} from version ${u.fromVersion}`);
      this.byKey.set(key, u);
    }
  }

  private static key(type: string, version: number): string {
    return `${type}\u0000${version}`;
  }

  /** The upcaster that applies to this type and version, if any. */
  find(type: string, version: number): Upcaster | undefined {
    return this.byKey.get(Upcasters.key(type, version));
  }

  /** The version an event of this type and version reads as. */
  versionAfter(type: string, version: number): number {
    let v = version;
    for (let u = this.find(type, v); u; u = this.find(type, v)) v = u.toVersion;
    return v;
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * The event as readers see it: `data` and `schemaVersion` upcast to the newest version the chain
   * reaches; everything else as stored, including `hash` and `prevHash`, which cover the stored
   * bytes (verify the chain on the stored events, see `storedEventsOf`). The same object when no
   * upcaster applies.
   */
  upcast<E extends StoredEvent>(event: E): E {
    let data = event.data;
    let version = event.schemaVersion;
    for (let u = this.find(event.type, version); u; u = this.find(event.type, version)) {
      data = u.upcast(data, event);
      version = u.toVersion;
    }
    return version === event.schemaVersion ? event : { ...event, schemaVersion: version, data };
  }
}
