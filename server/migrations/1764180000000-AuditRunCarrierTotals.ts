import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** audit_runs.carrier_totals: a run's findings counted per carrier, for carrier staff (entities/AuditRun.ts). */
export class AuditRunCarrierTotals1764180000000 implements MigrationInterface {
  name = 'AuditRunCarrierTotals1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'audit_runs',
      new TableColumn({ name: 'carrier_totals', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('audit_runs', 'carrier_totals');
  }
}
