import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * allocations had an index on `prefix` alone next to the unique key (prefix, lessee_uscc,
 * valid_from), which begins with the same column and so already serves every lookup by prefix
 * (equality, IN lists and LIKE 'x%'). The second copy only cost writes: about 1 µs of database
 * CPU per imported row, measured on MariaDB with a million rows (docs/performance.md).
 */
export class DropRedundantPrefixIndex1764120000000 implements MigrationInterface {
  name = 'DropRedundantPrefixIndex1764120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('allocations', 'idx_allocations_prefix');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'allocations',
      new TableIndex({ name: 'idx_allocations_prefix', columnNames: ['prefix'] }),
    );
  }
}
