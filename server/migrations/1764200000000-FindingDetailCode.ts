import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * findings.detail_code and detail_params: a finding stores what it says as a catalogue code and
 * parameters, rendered in the reader's language (server/i18n/phrase.ts), instead of Chinese and
 * English prose.
 *
 * The prose columns stay, nullable, and are not converted: prose cannot be turned back into
 * parameters. A finding stored before this migration keeps its prose and shows it as it was
 * until the next audit, which finds it unchanged in all but its missing code and rewrites it
 * with code and parameters and null prose. Nothing else changes for it: the same text, status
 * and history.
 */
export class FindingDetailCode1764200000000 implements MigrationInterface {
  name = 'FindingDetailCode1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('findings', [
      new TableColumn({ name: 'detail_code', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'detail_params', type: 'text', isNullable: true }),
    ]);
    for (const name of ['detail', 'detail_en']) {
      const column = new TableColumn({ name, type: 'varchar', length: '1000', isNullable: true });
      await queryRunner.changeColumn('findings', name, column);
    }
  }

  /** Back to prose only: a finding stored with a code has none, so it gets its code as text until re-audited. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('UPDATE findings SET detail = detail_code, detail_en = detail_code WHERE detail IS NULL');
    for (const name of ['detail', 'detail_en']) {
      await queryRunner.changeColumn('findings', name, new TableColumn({ name, type: 'varchar', length: '1000' }));
    }
    await queryRunner.dropColumns('findings', ['detail_params', 'detail_code']);
  }
}
