import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { dialectOf } from '../src/frontend/db/dialect';

/**
 * Accepted shadows, stored before their answer is sent: a crash can no longer lose them (they
 * run after the restart, or are kept as lost with the reason). Built with TypeORM's schema API,
 * so the same migration creates the table on SQLite and PostgreSQL (only the time type differs).
 */
export class ShadowJobs1764500001000 implements MigrationInterface {
  name = 'ShadowJobs1764500001000';

  async up(q: QueryRunner): Promise<void> {
    const time = dialectOf(q.connection) === 'postgres' ? 'timestamptz' : 'datetime';
    await q.createTable(new Table({
      name: 'shadow_jobs',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'accepted_at', type: time, isNullable: false },
        { name: 'state', type: 'varchar', isNullable: false },
        { name: 'program_hash', type: 'varchar', isNullable: false },
        { name: 'body', type: 'text', isNullable: false },
        { name: 'with_vet', type: 'boolean', isNullable: false },
        { name: 'route_reason', type: 'text', isNullable: false },
        { name: 'primary_backend', type: 'varchar', isNullable: false },
        { name: 'shadow_backend', type: 'varchar', isNullable: false },
        { name: 'primary_response', type: 'text', isNullable: false },
        { name: 'primary_ms', type: 'integer', isNullable: false },
        { name: 'client_key', type: 'varchar', isNullable: false },
        { name: 'attempts', type: 'integer', isNullable: false, default: 0 },
        { name: 'lost_reason', type: 'text', isNullable: true },
        { name: 'lost_at', type: time, isNullable: true },
      ],
    }));
    await q.createIndex('shadow_jobs', new TableIndex({ name: 'shadow_jobs_state', columnNames: ['state'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('shadow_jobs');
  }
}
