import { TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Two foreign keys of allocations, and the indexes MySQL keeps for them, that no query reads and
 * whose check adds nothing:
 * - holder_carrier_id is set only on a root grant, where it equals root_carrier_id, whose own
 *   foreign key already ties the row to the carrier; a carrier's root grants are found by
 *   root_carrier_id (and holder_carrier_id: 1764140000000).
 * - parent_id is written only by the importer, which resolves every parent itself (and has the
 *   checks off for its bulk pass anyway); nothing deletes allocations, and the lookup index
 *   tolerates a missing parent. No query looks allocations up by parent.
 * Each index cost MariaDB about 1 µs of work per imported grant (docs/performance.md), and
 * TiDB advises against foreign keys on large tables (docs/scaling.md). `down` fails once a
 * grant refers to a parent or carrier that no longer exists, which these keys would have refused.
 */
export class DropWriteOnlyAllocationKeys1764130000000 implements MigrationInterface {
  name = 'DropWriteOnlyAllocationKeys1764130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropForeignKey('allocations', 'fk_allocations_parent');
    await queryRunner.dropForeignKey('allocations', 'fk_allocations_holder_carrier');
    await queryRunner.dropIndex('allocations', 'idx_allocations_parent');
    await queryRunner.dropIndex('allocations', 'idx_allocations_holder_carrier');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'allocations',
      new TableIndex({ name: 'idx_allocations_holder_carrier', columnNames: ['holder_carrier_id'] }),
    );
    await queryRunner.createIndex(
      'allocations',
      new TableIndex({ name: 'idx_allocations_parent', columnNames: ['parent_id'] }),
    );
    await queryRunner.createForeignKey(
      'allocations',
      new TableForeignKey({
        name: 'fk_allocations_holder_carrier',
        columnNames: ['holder_carrier_id'],
        referencedTableName: 'carriers',
        referencedColumnNames: ['id'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      }),
    );
    await queryRunner.createForeignKey(
      'allocations',
      new TableForeignKey({
        name: 'fk_allocations_parent',
        columnNames: ['parent_id'],
        referencedTableName: 'allocations',
        referencedColumnNames: ['id'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      }),
    );
  }
}
