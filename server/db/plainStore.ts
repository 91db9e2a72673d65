import { existsSync } from 'node:fs';
import { MIGRATION_NAMES } from '../migrations/names.ts';
import { DatabaseOpenError, MYSQL_VALUE_OPTIONS, parseDatabaseUrl, SQLITE_BUSY_TIMEOUT_MS } from './databaseUrl.ts';

/**
 * A store opened with its driver alone, without TypeORM, for a command that only reads a few rows
 * and must start quickly (`sms106 lookup`, docs/cli.md#starting-quickly). It is opened only when
 * its schema is current: docs/cli.md#the-schema-comes-first still holds, as a store with
 * migrations pending (or a SQLite file not made yet) is left to openDatabase (ormconfig.ts),
 * which runs them.
 */
export interface PlainStore {
  /** One statement with `?` parameters; its rows as the driver gives them, as TypeORM's `query` does. */
  query(sql: string, parameters: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/**
 * The store at `url` opened with its driver, or null when it cannot be read that way: a SQLite
 * file that does not exist yet or one in memory, a store without every migration of this version
 * (MIGRATION_NAMES). A store that cannot be reached or opened is a DatabaseOpenError, as from
 * openDatabase, and a URL that cannot be used a DatabaseUrlError.
 */
export async function openPlainStore(url: string): Promise<PlainStore | null> {
  const location = parseDatabaseUrl(url);
  let store: PlainStore;
  try {
    if (location.kind === 'sqlite') {
      if (location.file === ':memory:' || !existsSync(location.file)) return null;
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(location.file, { fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
      store = {
        query: async (sql, parameters) => db.prepare(sql).all(...parameters) as Array<Record<string, unknown>>,
        close: async () => void db.close(),
      };
    } else {
      const { createConnection } = await import('mysql2/promise');
      const connection = await createConnection({
        host: location.host,
        port: location.port,
        user: location.user,
        password: location.password,
        database: location.database,
        ...MYSQL_VALUE_OPTIONS,
        dateStrings: [...MYSQL_VALUE_OPTIONS.dateStrings],
      });
      store = {
        query: async (sql, parameters) => {
          const [rows] = await connection.query(sql, parameters);
          return rows as Array<Record<string, unknown>>;
        },
        close: () => connection.end(),
      };
    }
  } catch (error) {
    throw new DatabaseOpenError(url, error);
  }
  let current: boolean;
  try {
    current = await schemaIsCurrent(store);
  } catch (error) {
    await store.close().catch(() => undefined);
    // The first statement is where a file that is not a database, or a server refusing the user, shows.
    throw new DatabaseOpenError(url, error);
  }
  if (current) return store;
  await store.close();
  return null;
}

/** Whether every migration of this version has run on the store (a store without the table has run none). */
async function schemaIsCurrent(store: PlainStore): Promise<boolean> {
  let rows;
  try {
    rows = await store.query('SELECT name FROM migrations', []);
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === 'ER_NO_SUCH_TABLE' || String(message).startsWith('no such table')) return false;
    throw error;
  }
  const ran = new Set(rows.map((row) => String(row.name)));
  return MIGRATION_NAMES.every((name) => ran.has(name));
}
