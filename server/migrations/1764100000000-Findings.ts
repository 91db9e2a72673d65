import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Findings (风险线索) and the audit runs that produce them (issue "The audit"). */
export class Findings1764100000000 implements MigrationInterface {
  name = 'Findings1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'audit_runs',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'actor', type: 'varchar', length: '100' },
          { name: 'started_at', type: 'datetime' },
          { name: 'finished_at', type: 'datetime', isNullable: true },
          { name: 'items_total', type: 'integer', default: 0 },
          { name: 'items_done', type: 'integer', default: 0 },
          { name: 'findings_total', type: 'integer', isNullable: true },
          { name: 'findings_new', type: 'integer', isNullable: true },
          { name: 'failure', type: 'varchar', length: '1000', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_audit_runs_started', columnNames: ['started_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'findings',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'dedupe_key', type: 'varchar', length: '64' },
          { name: 'rule', type: 'varchar', length: '32' },
          { name: 'severity', type: 'varchar', length: '8' },
          { name: 'status', type: 'varchar', length: '10', default: "'open'" },
          { name: 'root_carrier_id', type: 'integer', isNullable: true },
          { name: 'agent_uscc', type: 'varchar', length: '18', isNullable: true },
          { name: 'prefix', type: 'varchar', length: '20', isNullable: true },
          { name: 'number', type: 'varchar', length: '20', isNullable: true },
          { name: 'message_id', type: 'integer', isNullable: true },
          { name: 'message_ref', type: 'varchar', length: '64', isNullable: true },
          { name: 'complaint_id', type: 'integer', isNullable: true },
          { name: 'complaint_ref', type: 'varchar', length: '64', isNullable: true },
          { name: 'entity_uscc', type: 'varchar', length: '18', isNullable: true },
          { name: 'detail', type: 'varchar', length: '1000' },
          { name: 'detail_en', type: 'varchar', length: '1000' },
          { name: 'evidence', type: 'text' },
          { name: 'occurred_at', type: 'datetime', isNullable: true },
          { name: 'first_seen_at', type: 'datetime' },
          { name: 'last_seen_at', type: 'datetime' },
          { name: 'last_run_id', type: 'integer' },
          { name: 'status_changed_at', type: 'datetime', isNullable: true },
          { name: 'status_changed_by', type: 'varchar', length: '100', isNullable: true },
          { name: 'status_reason', type: 'varchar', length: '1000', isNullable: true },
          { name: 'version', type: 'integer', default: 1 },
        ],
        indices: [
          new TableIndex({ name: 'uq_findings_dedupe', columnNames: ['dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'idx_findings_status_severity', columnNames: ['status', 'severity'] }),
          new TableIndex({ name: 'idx_findings_rule', columnNames: ['rule'] }),
          new TableIndex({ name: 'idx_findings_root_carrier', columnNames: ['root_carrier_id'] }),
          new TableIndex({ name: 'idx_findings_agent', columnNames: ['agent_uscc'] }),
          new TableIndex({ name: 'idx_findings_occurred', columnNames: ['occurred_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_findings_root_carrier',
            columnNames: ['root_carrier_id'],
            referencedTableName: 'carriers',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('findings');
    await queryRunner.dropTable('audit_runs');
  }
}
