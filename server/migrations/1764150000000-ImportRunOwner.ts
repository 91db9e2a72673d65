import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * import_runs.owner: the process running an import (services/import/importOwners.ts), so that a starting
 * server ends only the runs whose process stopped, not those another process is still running.
 */
export class ImportRunOwner1764150000000 implements MigrationInterface {
  name = 'ImportRunOwner1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'import_runs',
      new TableColumn({ name: 'owner', type: 'varchar', length: '300', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('import_runs', 'owner');
  }
}
