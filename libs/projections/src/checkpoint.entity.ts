import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per projection: where it is in the global log. Written with each batch. */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  /** Log position of the last applied event, `major/minor` (see LogPosition). */
  @Column({ type: 'text' })
  position!: string;

  /** Global position of the last applied event (what commands return), or null at the start. */
  @Column({ name: 'global_position', type: 'bigint', nullable: true })
  globalPosition!: string | null;

  /** Bumped by every rebuild from zero; a batch built on an older generation is discarded. */
  @Column({ type: 'integer', default: 0 })
  generation!: number;

  @Column({ name: 'events_applied', type: 'bigint', default: 0 })
  eventsApplied!: string;

  /** Why the last attempt to apply a batch failed (null when healthy). */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** A zero-downtime rebuild in progress or finished last (see RebuildStatus), or null. */
  @Column({ type: 'jsonb', nullable: true })
  rebuild!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
