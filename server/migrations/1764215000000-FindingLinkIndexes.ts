import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Pages now read findings by what they are about: the messages list marks each message flagged
 * or clean by its findings and keeps only the flagged ones on request (findings.message_id), and
 * a using entity's page lists its findings (findings.entity_uscc). Without these indexes each
 * of those reads scans every finding.
 */
export class FindingLinkIndexes1764215000000 implements MigrationInterface {
  name = 'FindingLinkIndexes1764215000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'findings',
      new TableIndex({ name: 'idx_findings_message', columnNames: ['message_id'] }),
    );
    await queryRunner.createIndex(
      'findings',
      new TableIndex({ name: 'idx_findings_entity', columnNames: ['entity_uscc'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('findings', 'idx_findings_entity');
    await queryRunner.dropIndex('findings', 'idx_findings_message');
  }
}
