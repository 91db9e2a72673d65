import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The audit log: every change, by whom and when (`before`/`after` are reserved words in MySQL, hence `_state`). */
export class AuditLog1764080000000 implements MigrationInterface {
  name = 'AuditLog1764080000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'at', type: 'datetime' },
          { name: 'actor', type: 'varchar', length: '100' },
          { name: 'action', type: 'varchar', length: '40' },
          { name: 'subject', type: 'varchar', length: '200' },
          { name: 'before_state', type: 'text', isNullable: true },
          { name: 'after_state', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_events_at', columnNames: ['at'] }),
          new TableIndex({ name: 'idx_audit_events_action', columnNames: ['action', 'at'] }),
          new TableIndex({ name: 'idx_audit_events_actor', columnNames: ['actor', 'at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
  }
}
