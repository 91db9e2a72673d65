import { createConnection } from 'mysql2/promise';
import { closeSharedRenderer } from '../server/services/notices/rendering.ts';
import { mariadbUrl } from './support/databases.ts';

// A CLI or server a test starts runs the TypeScript under test, never an older build in dist/
// (bin/entry.js); test/cli/build.test.ts runs the compiled code on purpose.
process.env.SMS106_FROM_SOURCE = '1';

// Quiet unless asked (LOG_LEVEL=info npm test): the tests that check logging give a logger of their own.
process.env.LOG_LEVEL ??= 'silent';

/**
 * The suite runs against MariaDB as well as SQLite and must never skip it silently: if the
 * server is not there, stop at once with one line that says how to start it. Otherwise start
 * from an empty database, so a previous run's leftovers cannot decide a result.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(30_000);
    const url = new URL(mariadbUrl);
    const database = url.pathname.slice(1);
    let connection;
    try {
      connection = await createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username || 'root'),
        password: decodeURIComponent(url.password),
        database,
        multipleStatements: true,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `MariaDB is not reachable at ${mariadbUrl} (${reason}); start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd  (or set TEST_DATABASE_URL)`,
      );
    }
    try {
      const [tables] = await connection.query(
        'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
        [database],
      );
      const names = (tables as Array<{ name: string }>).map((t) => `\`${t.name}\``);
      if (names.length)
        await connection.query(
          `SET FOREIGN_KEY_CHECKS = 0; DROP TABLE ${names.join(', ')}; SET FOREIGN_KEY_CHECKS = 1`,
        );
    } finally {
      await connection.end();
    }
  },
  // The apps under test render PDFs and PNGs in one shared Chromium; it would keep mocha from exiting.
  async afterAll() {
    await closeSharedRenderer();
  },
};
