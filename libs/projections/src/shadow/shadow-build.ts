import type { DataSource, EntityManager } from 'typeorm';
import {
  comparePositions,
  type EventStore,
  type LogPosition,
  START,
  type StoredEvent,
} from '../../../eventsourcing/src/index';
import { type Projector, SHADOW } from '../projector';
import { createShadowTables, dropSchema, withSearchPath } from './shadow-schema';

export interface ShadowBuildOptions {
  /** The schema the copies live in: created (after dropping a leftover of the same name). */
  readonly schema: string;
  readonly projectors: readonly Projector[];
  /** Rewrites each event before the projectors see it (what-if: a draft plan). Must be pure. */
  readonly transform?: (event: StoredEvent) => StoredEvent;
  readonly batchSize?: number;
}

export interface AdvanceOptions {
  /** Apply nothing after this position (default: up to the head as it is while reading). */
  readonly until?: LogPosition;
  /** Only these projectors (default: all of the build). */
  readonly only?: readonly string[];
  /** Apply inside this transaction instead of one transaction per batch (the switch of a rebuild). */
  readonly manager?: EntityManager;
  /** Called after each batch with the number of events it read. */
  readonly onBatch?: (eventsRead: number) => Promise<void> | void;
}

interface Progress {
  position: LogPosition;
  lastGlobalPosition: bigint | null;
  eventsApplied: number;
}

/**
 * Projections built from the event log into copies of their tables in a schema of their own,
 * without touching the live read models or their checkpoints. Each projector keeps its own
 * position, so a build can be brought to exactly the position a live projection stands at.
 */
export class ShadowBuild {
  private readonly progress = new Map<string, Progress>();
  private read = 0;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly options: ShadowBuildOptions,
  ) {
    for (const p of options.projectors) {
      this.progress.set(p.name, { position: START, lastGlobalPosition: null, eventsApplied: 0 });
    }
  }

  static async create(dataSource: DataSource, store: EventStore, options: ShadowBuildOptions): Promise<ShadowBuild> {
    await dataSource.transaction(async (manager) => {
      await dropSchema(manager, options.schema);
      await createShadowTables(
        manager,
        options.schema,
        options.projectors.flatMap((p) => p.tables),
      );
    });
    return new ShadowBuild(dataSource, store, options);
  }

  get schema(): string {
    return this.options.schema;
  }

  /** Distinct events read from the log and applied to at least one projector. */
  get eventsRead(): number {
    return this.read;
  }

  position(name: string): LogPosition {
    return this.state(name).position;
  }

  lastGlobalPosition(name: string): bigint | null {
    return this.state(name).lastGlobalPosition;
  }

  eventsApplied(name: string): number {
    return this.state(name).eventsApplied;
  }

  private state(name: string): Progress {
    const s = this.progress.get(name);
    if (!s) throw new Error(`${name} is not part of this build`);
    return s;
  }

  /** Reads the log after the selected projectors' positions and applies it to their copies. */
  async advance(options: AdvanceOptions = {}): Promise<void> {
    const selected = this.options.projectors.filter((p) => !options.only || options.only.includes(p.name));
    if (selected.length === 0) return;
    const batchSize = this.options.batchSize ?? 1000;
    const read = (after: LogPosition) => {
      const page = this.store.readAll({ after, maxCount: batchSize });
      page.catch(() => undefined); // awaited below; never an unhandled rejection while a batch applies
      return page;
    };
    let from = selected.map((p) => this.state(p.name).position).reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
    if (options.until && comparePositions(from, options.until) >= 0) return;
    let next = read(from);
    for (;;) {
      const page = await next;
      if (page.events.length === 0) return;
      const events = options.until
        ? page.events.filter((e) => comparePositions(e.logPosition, options.until as LogPosition) <= 0)
        : page.events;
      const more = events.length === page.events.length && !page.isEnd;
      const last = events[events.length - 1];
      // Read the next page while this one is applied: PostgreSQL and this process work at once.
      if (more && last) next = read(last.logPosition);
      if (last) {
        const transformed = this.options.transform ? events.map(this.options.transform) : events;
        const applyTo = (projector: Projector) => async (manager: EntityManager) => {
          const state = this.state(projector.name);
          const mine = transformed.filter((e) => comparePositions(e.logPosition, state.position) > 0);
          if (mine.length > 0) await withSearchPath(manager, this.schema, () => projector.apply(mine, manager, SHADOW));
        };
        if (options.manager) {
          for (const projector of selected) await applyTo(projector)(options.manager);
        } else {
          // The copies share no table: each projector writes in a transaction (and a connection) of
          // its own, so the server applies them side by side.
          await Promise.all(selected.map((projector) => this.dataSource.transaction(applyTo(projector))));
        }
        this.read += events.filter((e) => comparePositions(e.logPosition, from) > 0).length;
        for (const projector of selected) {
          const state = this.state(projector.name);
          state.eventsApplied += events.filter((e) => comparePositions(e.logPosition, state.position) > 0).length;
          state.position = last.logPosition;
          state.lastGlobalPosition = last.globalPosition;
        }
        from = last.logPosition;
        await options.onBatch?.(events.length);
      }
      if (!more) return;
    }
  }

  /** Runs `fn` in a transaction that reads (and may write) the copies by their plain names. */
  query<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => withSearchPath(manager, this.schema, () => fn(manager)));
  }

  async drop(): Promise<void> {
    await dropSchema(this.dataSource, this.schema);
  }
}
