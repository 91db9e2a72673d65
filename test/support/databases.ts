import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { SEEDED_LEGAL_INSTRUMENTS } from '../../server/migrations/1764090000000-ReferenceDataAndScope.ts';
import { immutabilityTriggers } from '../../server/migrations/1764110000000-Notices.ts';
import { invalidateAllocationIndex } from '../../server/services/lookup/lookup.ts';

export const mariadbUrl = process.env.TEST_DATABASE_URL || 'mysql://root@127.0.0.1:3306/test';

/** The test server's URL with another database named in it. */
export function mariadbUrlOf(database: string): string {
  const url = new URL(mariadbUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The test database's name with `suffix`: a database of a test's own on the same server. */
export function mariadbNameWith(suffix: string): string {
  return `${new URL(mariadbUrl).pathname.slice(1)}_${suffix}`;
}

/** Runs one statement on the test MariaDB server outside any database (CREATE/DROP DATABASE). */
export async function mariadbServerQuery(sql: string): Promise<void> {
  const url = new URL(mariadbUrl);
  const connection = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

export interface TestDatabase {
  /** "SQLite" or "MariaDB", for test titles. */
  name: string;
  url: string;
}

/** Every integration test runs once per database the product supports. */
export const testDatabases: TestDatabase[] = [
  { name: 'SQLite', url: 'sqlite::memory:' },
  { name: 'MariaDB', url: mariadbUrl },
];

/** Tables in an order where each only references tables after it. */
const tablesChildFirst = [
  'notice_findings',
  'notices',
  'notice_counters',
  'issuers',
  'findings',
  'audit_runs',
  'audit_events',
  'user_sessions',
  'sign_in_attempts',
  'users',
  'import_run_errors',
  'import_runs',
  'url_list_entries',
  'protected_senders',
  'legal_instruments',
  'complaints',
  'message_labels',
  'messages',
  'allocations',
  'signatures',
  'entities',
  'agents',
  'carriers',
];

export async function clearAllData(dataSource: DataSource): Promise<void> {
  // allocations reference each other; unlink them so one DELETE cannot trip over its own rows.
  await dataSource.query('UPDATE allocations SET parent_id = NULL');
  // Issued notices cannot be deleted (the store's triggers refuse it): lift the triggers to empty the test store.
  for (const trigger of ['notices_content_immutable', 'notices_never_deleted'])
    await dataSource.query(`DROP TRIGGER IF EXISTS ${trigger}`);
  for (const table of tablesChildFirst) await dataSource.query(`DELETE FROM ${table}`);
  for (const statement of immutabilityTriggers(dataSource.options.type === 'better-sqlite3'))
    await dataSource.query(statement);
  // Back to what a freshly migrated database holds.
  for (const [position, title] of SEEDED_LEGAL_INSTRUMENTS.entries()) {
    await dataSource.query(
      'INSERT INTO legal_instruments (title, articles, position, version) VALUES (?, NULL, ?, 1)',
      [title, position + 1],
    );
  }
  invalidateAllocationIndex(dataSource);
}

/**
 * Declares `suite` once per database. Inside, `ctx.dataSource` is an open, migrated database
 * emptied before each test.
 */
export function describeEachDatabase(
  title: string,
  suite: (ctx: { dataSource: DataSource; database: TestDatabase }) => void,
): void {
  for (const database of testDatabases) {
    describe(`${title} [${database.name}]`, function () {
      const ctx = { database } as { dataSource: DataSource; database: TestDatabase };
      before(async () => {
        ctx.dataSource = await openDatabase(database.url);
      });
      after(async () => {
        await ctx.dataSource?.destroy();
      });
      beforeEach(async () => {
        await clearAllData(ctx.dataSource);
      });
      suite(ctx);
    });
  }
}
