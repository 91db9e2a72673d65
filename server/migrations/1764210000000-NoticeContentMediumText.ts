import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * notices.content becomes MEDIUMTEXT (16 MiB) on MySQL and MariaDB, whose TEXT stops at 64 KiB: a
 * notice that lists the findings of a busy rule in an attachment (services/notices/notices.ts)
 * runs past that, as the demo's largest notice does (75 KB). SQLite's TEXT has no such bound, so
 * nothing changes there. The entity still says `text`, which is all TypeORM's SQLite driver
 * knows; server/db/typeormAdapter.ts tells TypeORM the MySQL column's real type.
 *
 * Changing the column's type is no UPDATE of a row: the immutability triggers stay and no
 * notice's content changes.
 */
export class NoticeContentMediumText1764210000000 implements MigrationInterface {
  name = 'NoticeContentMediumText1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query('ALTER TABLE `notices` MODIFY `content` MEDIUMTEXT NOT NULL');
  }

  /** Back to TEXT; MySQL refuses it while a notice holds more than 64 KiB, and then nothing changes. */
  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'better-sqlite3') return;
    await queryRunner.query('ALTER TABLE `notices` MODIFY `content` TEXT NOT NULL');
  }
}
