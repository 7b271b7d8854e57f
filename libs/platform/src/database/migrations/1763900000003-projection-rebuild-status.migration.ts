import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a zero-downtime rebuild of a projection stands, for GET /api/v1/projections (any process). */
export class ProjectionRebuildStatus1763900000003 implements MigrationInterface {
  name = 'ProjectionRebuildStatus1763900000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE projection_checkpoints ADD COLUMN rebuild jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE projection_checkpoints DROP COLUMN rebuild');
  }
}
