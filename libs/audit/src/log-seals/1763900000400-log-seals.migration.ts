import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The global chain of the event log (ADR 0006), written by the `log-seals` projector. */
export class LogSeals1763900000400 implements MigrationInterface {
  name = 'LogSeals1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE es_log_seals (
      seal_no bigint PRIMARY KEY,
      first_position text NOT NULL,
      last_position text NOT NULL,
      last_global_position bigint NOT NULL,
      event_count integer NOT NULL,
      prev_hash text,
      hash text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE es_log_seals');
  }
}
