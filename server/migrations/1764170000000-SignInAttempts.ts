import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** sign_in_attempts: sign-in attempts reserved before the password is checked (entities/SignInAttempt.ts). */
export class SignInAttempts1764170000000 implements MigrationInterface {
  name = 'SignInAttempts1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sign_in_attempts',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '64' },
          { name: 'ip', type: 'varchar', length: '64' },
          { name: 'at', type: 'datetime' },
        ],
        indices: [
          new TableIndex({ name: 'idx_sign_in_attempts_name', columnNames: ['name', 'at'] }),
          new TableIndex({ name: 'idx_sign_in_attempts_ip', columnNames: ['ip', 'at'] }),
          new TableIndex({ name: 'idx_sign_in_attempts_at', columnNames: ['at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sign_in_attempts');
  }
}
