import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Users and their database-backed sessions (issue "Accounts, roles scoped per carrier"). */
export class Accounts1764060000000 implements MigrationInterface {
  name = 'Accounts1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'role', type: 'varchar', length: '10' },
          { name: 'carrier_id', type: 'integer', isNullable: true },
          { name: 'password_hash', type: 'varchar', length: '200', isNullable: true },
          { name: 'failed_logins', type: 'integer', default: 0 },
          { name: 'locked_until', type: 'datetime', isNullable: true },
          { name: 'created_at', type: 'datetime' },
          { name: 'version', type: 'integer' },
        ],
        indices: [
          new TableIndex({ name: 'uq_users_name', columnNames: ['name'], isUnique: true }),
          new TableIndex({ name: 'idx_users_carrier', columnNames: ['carrier_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_users_carrier',
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
        name: 'user_sessions',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'integer' },
          { name: 'csrf_token', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'datetime' },
          { name: 'expires_at', type: 'datetime' },
        ],
        indices: [
          new TableIndex({ name: 'idx_user_sessions_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'idx_user_sessions_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_user_sessions_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            onUpdate: 'NO ACTION',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_sessions');
    await queryRunner.dropTable('users');
  }
}
