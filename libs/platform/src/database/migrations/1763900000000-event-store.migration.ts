import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_SCHEMA_DOWN, EVENT_STORE_SCHEMA_UP } from '../../../../eventstore-postgres/src/schema';

export class EventStore1763900000000 implements MigrationInterface {
  name = 'EventStore1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_UP) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_DOWN) await queryRunner.query(sql);
  }
}
