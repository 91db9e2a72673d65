import {
  Table,
  TableForeignKey,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';

// Written with TypeORM's schema API rather than SQL so that the one migration runs on
// MySQL/MariaDB and SQLite alike; test/db/schema.test.ts checks it matches the entities.

const id: TableColumnOptions = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
};
const varchar = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const int = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
const datetime = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable });
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });

function index(name: string, columnNames: string[], isUnique = false): TableIndex {
  return new TableIndex({ name, columnNames, isUnique });
}

function foreignKey(name: string, column: string, table: string, onDelete = 'NO ACTION'): TableForeignKey {
  return new TableForeignKey({
    name,
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: ['id'],
    onDelete,
    onUpdate: 'NO ACTION',
  });
}

export class InitialSchema1764050000000 implements MigrationInterface {
  name = 'InitialSchema1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'carriers',
        columns: [id, varchar('code', 16), varchar('name', 100)],
        indices: [index('uq_carriers_code', ['code'], true)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'agents',
        columns: [
          id,
          varchar('uscc', 18),
          varchar('name', 200),
          varchar('licence_no', 64, true),
          varchar('contact', 200, true),
          varchar('address', 300, true),
        ],
        indices: [index('uq_agents_uscc', ['uscc'], true), index('idx_agents_name', ['name'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'entities',
        columns: [id, varchar('uscc', 18), varchar('name', 200), varchar('kind', 20, true)],
        indices: [index('uq_entities_uscc', ['uscc'], true), index('idx_entities_name', ['name'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'signatures',
        columns: [id, int('entity_id'), varchar('text', 100)],
        indices: [index('uq_signatures_entity_text', ['entity_id', 'text'], true)],
        foreignKeys: [foreignKey('fk_signatures_entity', 'entity_id', 'entities', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'allocations',
        columns: [
          id,
          varchar('prefix', 20),
          int('holder_carrier_id', true),
          int('holder_agent_id', true),
          varchar('lessee_kind', 6),
          varchar('lessee_uscc', 18),
          int('lessee_agent_id', true),
          int('lessee_entity_id', true),
          { name: 'valid_from', type: 'date' },
          { name: 'valid_to', type: 'date', isNullable: true },
          varchar('miit_filing_no', 64, true),
          { name: 'declared', type: 'boolean', default: 1 },
          int('parent_id', true),
          int('level'),
        ],
        indices: [
          index('uq_allocations_natural', ['prefix', 'lessee_uscc', 'valid_from'], true),
          index('idx_allocations_prefix', ['prefix']),
          index('idx_allocations_lessee_agent', ['lessee_agent_id']),
          index('idx_allocations_holder_agent', ['holder_agent_id']),
          index('idx_allocations_holder_carrier', ['holder_carrier_id']),
          index('idx_allocations_lessee_entity', ['lessee_entity_id']),
          index('idx_allocations_parent', ['parent_id']),
        ],
        foreignKeys: [
          foreignKey('fk_allocations_holder_carrier', 'holder_carrier_id', 'carriers'),
          foreignKey('fk_allocations_holder_agent', 'holder_agent_id', 'agents'),
          foreignKey('fk_allocations_lessee_agent', 'lessee_agent_id', 'agents'),
          foreignKey('fk_allocations_lessee_entity', 'lessee_entity_id', 'entities'),
          foreignKey('fk_allocations_parent', 'parent_id', 'allocations'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'messages',
        columns: [
          id,
          varchar('external_id', 64, true),
          varchar('natural_key', 80),
          varchar('sender', 20),
          datetime('sent_at'),
          text('content'),
          varchar('recipient', 20, true),
        ],
        indices: [
          index('uq_messages_natural', ['natural_key'], true),
          index('idx_messages_sender_sent', ['sender', 'sent_at']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'complaints',
        columns: [
          id,
          varchar('external_id', 64, true),
          varchar('natural_key', 80),
          varchar('sender', 20),
          datetime('reported_at'),
          datetime('received_at', true),
          { name: 'loss_yuan', type: 'decimal', precision: 14, scale: 2, isNullable: true },
          varchar('region', 100, true),
          text('summary', true),
        ],
        indices: [
          index('uq_complaints_natural', ['natural_key'], true),
          index('idx_complaints_sender_reported', ['sender', 'reported_at']),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'protected_senders',
        columns: [id, varchar('name', 100), varchar('uscc', 18, true), text('aliases')],
        indices: [index('uq_protected_senders_name', ['name'], true)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'url_list_entries',
        columns: [id, varchar('domain', 253), varchar('list', 5), varchar('note', 500, true)],
        indices: [index('uq_url_list_entries_domain', ['domain'], true)],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'import_runs',
        columns: [
          id,
          varchar('source', 300),
          varchar('status', 10),
          datetime('started_at'),
          datetime('finished_at', true),
          { name: 'rows_read', type: 'integer', default: 0 },
          int('rows_total', true),
          text('summary', true),
          { name: 'error_count', type: 'integer', default: 0 },
          varchar('failure', 1000, true),
        ],
        indices: [index('idx_import_runs_started', ['started_at'])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'import_run_errors',
        columns: [
          id,
          int('run_id'),
          varchar('file', 100),
          int('line'),
          varchar('column', 100, true),
          varchar('value', 500, true),
          varchar('reason', 500),
        ],
        indices: [index('idx_import_run_errors_run', ['run_id'])],
        foreignKeys: [foreignKey('fk_import_run_errors_run', 'run_id', 'import_runs', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'import_run_errors',
      'import_runs',
      'url_list_entries',
      'protected_senders',
      'complaints',
      'messages',
      'allocations',
      'signatures',
      'entities',
      'agents',
      'carriers',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
