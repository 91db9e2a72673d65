import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A carrier's root segments were found through the index on holder_carrier_id, dropped with its
 * foreign key (1764130000000). The index on root_carrier_id becomes (root_carrier_id,
 * holder_carrier_id): it still serves everything that filters by root carrier and that foreign
 * key, and finds a carrier's roots (root and holder both the carrier) without reading its other
 * grants. The grants under agents have no holder carrier, so theirs sort after the roots in id
 * order: writing them costs what the single-column index did.
 */
export class AllocationRootCarrierHolderIndex1764140000000 implements MigrationInterface {
  name = 'AllocationRootCarrierHolderIndex1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Made before the old one goes, so MySQL's foreign key on root_carrier_id always has an index.
    await queryRunner.createIndex(
      'allocations',
      new TableIndex({
        name: 'idx_allocations_root_carrier_holder',
        columnNames: ['root_carrier_id', 'holder_carrier_id'],
      }),
    );
    await queryRunner.dropIndex('allocations', 'idx_allocations_root_carrier');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'allocations',
      new TableIndex({ name: 'idx_allocations_root_carrier', columnNames: ['root_carrier_id'] }),
    );
    await queryRunner.dropIndex('allocations', 'idx_allocations_root_carrier_holder');
  }
}
