import { TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * allocations.root_carrier_id: the carrier at the root of each allocation's chain, so that a
 * carrier's view of the data is one indexed filter. Existing rows are filled by walking the
 * tree from the roots down, level by level, with statements both SQLite and MySQL accept.
 */
export class AllocationRootCarrier1764070000000 implements MigrationInterface {
  name = 'AllocationRootCarrier1764070000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'allocations',
      new TableColumn({ name: 'root_carrier_id', type: 'integer', isNullable: true }),
    );
    const rows: Array<{ id: number; parent_id: number | null; holder_carrier_id: number | null }> =
      await queryRunner.query('SELECT id, parent_id, holder_carrier_id FROM allocations');
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const rootOf = (id: number): number | null => {
      let row = byId.get(id);
      for (let hops = 0; row && row.parent_id !== null && hops < 1000; hops++) row = byId.get(Number(row.parent_id));
      return row?.holder_carrier_id == null ? null : Number(row.holder_carrier_id);
    };
    const idsByCarrier = new Map<number, number[]>();
    for (const row of rows) {
      const carrier = rootOf(Number(row.id));
      if (carrier === null)
        throw new Error(`allocation ${row.id} does not lead to a carrier; fix the data before migrating`);
      const ids = idsByCarrier.get(carrier);
      if (ids) ids.push(Number(row.id));
      else idsByCarrier.set(carrier, [Number(row.id)]);
    }
    for (const [carrier, ids] of idsByCarrier) {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await queryRunner.query(
          `UPDATE allocations SET root_carrier_id = ? WHERE id IN (${chunk.map(() => '?').join(', ')})`,
          [carrier, ...chunk],
        );
      }
    }
    await queryRunner.changeColumn(
      'allocations',
      'root_carrier_id',
      new TableColumn({ name: 'root_carrier_id', type: 'integer', isNullable: false }),
    );
    await queryRunner.createIndex(
      'allocations',
      new TableIndex({ name: 'idx_allocations_root_carrier', columnNames: ['root_carrier_id'] }),
    );
    await queryRunner.createForeignKey(
      'allocations',
      new TableForeignKey({
        name: 'fk_allocations_root_carrier',
        columnNames: ['root_carrier_id'],
        referencedTableName: 'carriers',
        referencedColumnNames: ['id'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropForeignKey('allocations', 'fk_allocations_root_carrier');
    await queryRunner.dropIndex('allocations', 'idx_allocations_root_carrier');
    await queryRunner.dropColumn('allocations', 'root_carrier_id');
  }
}
