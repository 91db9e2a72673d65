import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isTidb, serverVersion } from '../util/tidb.ts';

/** The columns of a notice that say what it says: never changed once written. */
export const IMMUTABLE_NOTICE_COLUMNS = [
  'issuer_id',
  'year',
  'serial',
  'document_number',
  'carrier_id',
  'agent_uscc',
  'agent_name',
  'deadline',
  'issued_at',
  'issued_by',
  'verification_code',
  'fingerprint',
  'content',
  'supersedes_id',
] as const;

/**
 * Rectification notices (issue "Rectification notices"): issuers, the per-issuer-and-year
 * counter behind the document numbers, the notices, and the findings each was issued for.
 * Database triggers refuse any change to an issued notice's content columns and any deletion, so
 * immutability holds whatever code (or hand-written SQL) runs against the store. SQLite and
 * MySQL/MariaDB spell triggers differently: both branches are here and both are tested. TiDB has
 * none (hasTriggers).
 */
export class Notices1764110000000 implements MigrationInterface {
  name = 'Notices1764110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'issuers',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'code', type: 'varchar', length: '20' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'carrier_id', type: 'integer', isNullable: true },
          { name: 'signatory', type: 'varchar', length: '200' },
          { name: 'copy_to', type: 'varchar', length: '500', isNullable: true },
          { name: 'printed_by', type: 'varchar', length: '200' },
          { name: 'version', type: 'integer', default: 1 },
        ],
        indices: [new TableIndex({ name: 'uq_issuers_code', columnNames: ['code'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_issuers_carrier',
            columnNames: ['carrier_id'],
            referencedTableName: 'carriers',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notice_counters',
        columns: [
          { name: 'issuer_id', type: 'integer', isPrimary: true },
          { name: 'year', type: 'integer', isPrimary: true },
          { name: 'last_serial', type: 'integer', default: 0 },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notices',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'issuer_id', type: 'integer' },
          { name: 'year', type: 'integer' },
          { name: 'serial', type: 'integer' },
          { name: 'document_number', type: 'varchar', length: '60' },
          { name: 'carrier_id', type: 'integer', isNullable: true },
          { name: 'agent_uscc', type: 'varchar', length: '18' },
          { name: 'agent_name', type: 'varchar', length: '200' },
          { name: 'deadline', type: 'date' },
          { name: 'issued_at', type: 'datetime' },
          { name: 'issued_by', type: 'varchar', length: '100' },
          { name: 'verification_code', type: 'varchar', length: '32' },
          { name: 'fingerprint', type: 'varchar', length: '64' },
          { name: 'content', type: 'text' },
          { name: 'supersedes_id', type: 'integer', isNullable: true },
          { name: 'status', type: 'varchar', length: '12', default: "'issued'" },
          { name: 'superseded_by_id', type: 'integer', isNullable: true },
          { name: 'acknowledged_at', type: 'datetime', isNullable: true },
          { name: 'acknowledged_by', type: 'varchar', length: '100', isNullable: true },
          { name: 'acknowledgement', type: 'varchar', length: '1000', isNullable: true },
          { name: 'rectified_at', type: 'datetime', isNullable: true },
          { name: 'rectified_by', type: 'varchar', length: '100', isNullable: true },
          { name: 'rectification', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_notices_number', columnNames: ['issuer_id', 'year', 'serial'], isUnique: true }),
          new TableIndex({ name: 'uq_notices_document_number', columnNames: ['document_number'], isUnique: true }),
          new TableIndex({ name: 'uq_notices_verification', columnNames: ['verification_code'], isUnique: true }),
          new TableIndex({ name: 'idx_notices_agent', columnNames: ['agent_uscc'] }),
          new TableIndex({ name: 'idx_notices_carrier', columnNames: ['carrier_id'] }),
          new TableIndex({ name: 'idx_notices_issued', columnNames: ['issued_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_notices_issuer',
            columnNames: ['issuer_id'],
            referencedTableName: 'issuers',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
          new TableForeignKey({
            name: 'fk_notices_carrier',
            columnNames: ['carrier_id'],
            referencedTableName: 'carriers',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notice_findings',
        columns: [
          { name: 'notice_id', type: 'integer', isPrimary: true },
          { name: 'finding_id', type: 'integer', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'idx_notice_findings_finding', columnNames: ['finding_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_notice_findings_notice',
            columnNames: ['notice_id'],
            referencedTableName: 'notices',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
          new TableForeignKey({
            name: 'fk_notice_findings_finding',
            columnNames: ['finding_id'],
            referencedTableName: 'findings',
            referencedColumnNames: ['id'],
            onDelete: 'NO ACTION',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
    if (await hasTriggers(queryRunner))
      for (const statement of immutabilityTriggers(isSqlite(queryRunner))) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (await hasTriggers(queryRunner))
      for (const name of ['notices_content_immutable', 'notices_never_deleted'])
        await queryRunner.query(`DROP TRIGGER IF EXISTS ${name}`);
    await queryRunner.dropTable('notice_findings');
    await queryRunner.dropTable('notices');
    await queryRunner.dropTable('notice_counters');
    await queryRunner.dropTable('issuers');
  }
}

function isSqlite(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.options.type === 'better-sqlite3';
}

/**
 * TiDB has no triggers (its MySQL-compatibility page). There the store cannot refuse a change
 * itself: the product's account is given no DELETE on notices and UPDATE on the workflow columns
 * only (column privileges, TiDB 8.5.6 on), as docs/scaling.md says.
 */
export async function hasTriggers(queryRunner: QueryRunner): Promise<boolean> {
  if (isSqlite(queryRunner)) return true;
  return !isTidb(await serverVersion(queryRunner));
}

/** The message both dialects raise; services/notices/notices.ts recognises it. */
export const IMMUTABLE_NOTICE_MESSAGE = 'an issued notice cannot be changed or deleted';

/** CREATE TRIGGER statements refusing changes to a notice's content columns and its deletion. */
export function immutabilityTriggers(sqlite: boolean): string[] {
  if (sqlite) {
    const changed = IMMUTABLE_NOTICE_COLUMNS.map((c) => `NEW.${c} IS NOT OLD.${c}`).join(' OR ');
    return [
      `CREATE TRIGGER notices_content_immutable BEFORE UPDATE ON notices FOR EACH ROW WHEN ${changed} BEGIN SELECT RAISE(ABORT, '${IMMUTABLE_NOTICE_MESSAGE}'); END`,
      `CREATE TRIGGER notices_never_deleted BEFORE DELETE ON notices FOR EACH ROW BEGIN SELECT RAISE(ABORT, '${IMMUTABLE_NOTICE_MESSAGE}'); END`,
    ];
  }
  const same = IMMUTABLE_NOTICE_COLUMNS.map((c) => `NEW.${c} <=> OLD.${c}`).join(' AND ');
  return [
    `CREATE TRIGGER notices_content_immutable BEFORE UPDATE ON notices FOR EACH ROW BEGIN IF NOT (${same}) THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${IMMUTABLE_NOTICE_MESSAGE}'; END IF; END`,
    `CREATE TRIGGER notices_never_deleted BEFORE DELETE ON notices FOR EACH ROW BEGIN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${IMMUTABLE_NOTICE_MESSAGE}'; END`,
  ];
}
