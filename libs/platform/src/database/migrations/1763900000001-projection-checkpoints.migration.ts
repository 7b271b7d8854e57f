import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectionCheckpoints1763900000001 implements MigrationInterface {
  name = 'ProjectionCheckpoints1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE projection_checkpoints (
      name text PRIMARY KEY,
      position text NOT NULL,
      global_position bigint,
      generation integer NOT NULL DEFAULT 0,
      events_applied bigint NOT NULL DEFAULT 0,
      last_error text,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE projection_checkpoints');
  }
}
