import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue "Accounts, roles scoped per carrier":
 * - `version` on the reference data staff edit in the browser (optimistic locking);
 * - `legal_instruments`, the instruments a notice cites, seeded with the titles of
 *   docs/domain.md#the-notice;
 * - `users.disabled_at`, so an account can be switched off without losing its audit trail;
 * - `import_runs.carrier_id`, the carrier a carrier user's import was confined to;
 * - `messages.root_carrier_id` / `complaints.root_carrier_id`, the carrier whose chain the sender
 *   resolved to at the time (services/audit/attribution.ts), so a carrier sees only its own traffic;
 * - drops `import_runs.rows_total`, never written (progress is measured in bytes).
 */
/** The instruments notices cite (docs/domain.md#the-notice); their articles are left for staff to fill in. */
export const SEEDED_LEGAL_INSTRUMENTS = [
  '《中华人民共和国反电信网络诈骗法》',
  '《通信短信息服务管理规定》（工业和信息化部令第31号）',
  '《电信网码号资源管理办法》（工业和信息化部令第28号）',
  '《中华人民共和国电信条例》',
  '《中华人民共和国刑法》第二百八十七条之二',
] as const;

export class ReferenceDataAndScope1764090000000 implements MigrationInterface {
  name = 'ReferenceDataAndScope1764090000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['protected_senders', 'url_list_entries']) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'version', type: 'integer', default: 1 }));
    }
    await queryRunner.createTable(
      new Table({
        name: 'legal_instruments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'articles', type: 'text', isNullable: true },
          { name: 'position', type: 'integer', default: 0 },
          { name: 'version', type: 'integer', default: 1 },
        ],
        indices: [new TableIndex({ name: 'uq_legal_instruments_title', columnNames: ['title'], isUnique: true })],
      }),
    );
    for (const [position, title] of SEEDED_LEGAL_INSTRUMENTS.entries()) {
      await queryRunner.query(
        'INSERT INTO legal_instruments (title, articles, position, version) VALUES (?, NULL, ?, 1)',
        [title, position + 1],
      );
    }
    await queryRunner.addColumn('users', new TableColumn({ name: 'disabled_at', type: 'datetime', isNullable: true }));
    await queryRunner.dropColumn('import_runs', 'rows_total');
    await queryRunner.addColumn(
      'import_runs',
      new TableColumn({ name: 'carrier_id', type: 'integer', isNullable: true }),
    );
    await queryRunner.createForeignKey(
      'import_runs',
      new TableForeignKey({
        name: 'fk_import_runs_carrier',
        columnNames: ['carrier_id'],
        referencedTableName: 'carriers',
        referencedColumnNames: ['id'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      }),
    );
    for (const table of ['messages', 'complaints']) {
      await queryRunner.addColumn(
        table,
        new TableColumn({ name: 'root_carrier_id', type: 'integer', isNullable: true }),
      );
      await queryRunner.createIndex(
        table,
        new TableIndex({ name: `idx_${table}_root_carrier`, columnNames: ['root_carrier_id'] }),
      );
      await queryRunner.createForeignKey(
        table,
        new TableForeignKey({
          name: `fk_${table}_root_carrier`,
          columnNames: ['root_carrier_id'],
          referencedTableName: 'carriers',
          referencedColumnNames: ['id'],
          onDelete: 'NO ACTION',
          onUpdate: 'NO ACTION',
        }),
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['messages', 'complaints']) {
      await queryRunner.dropForeignKey(table, `fk_${table}_root_carrier`);
      await queryRunner.dropIndex(table, `idx_${table}_root_carrier`);
      await queryRunner.dropColumn(table, 'root_carrier_id');
    }
    await queryRunner.dropForeignKey('import_runs', 'fk_import_runs_carrier');
    await queryRunner.dropColumn('import_runs', 'carrier_id');
    await queryRunner.addColumn(
      'import_runs',
      new TableColumn({ name: 'rows_total', type: 'integer', isNullable: true }),
    );
    await queryRunner.dropColumn('users', 'disabled_at');
    await queryRunner.dropTable('legal_instruments');
    for (const table of ['protected_senders', 'url_list_entries']) await queryRunner.dropColumn(table, 'version');
  }
}
