import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { entities } from './server/entities/index.ts';
import { migrations } from './server/migrations/index.ts';
import { config, defaultDatabaseUrl } from './server/config.ts';
import { declareMediumTextColumns, prepareSqliteConnection } from './server/db/typeormAdapter.ts';
import { attributeTraffic } from './server/services/audit/attribution.ts';
import {
  DatabaseOpenError,
  MYSQL_VALUE_OPTIONS,
  parseDatabaseUrl,
  SQLITE_BUSY_TIMEOUT_MS,
} from './server/db/databaseUrl.ts';

export { defaultDatabaseUrl, projectRoot } from './server/config.ts';
export {
  DatabaseOpenError,
  DatabaseUrlError,
  redactDatabaseUrl,
  SQLITE_BUSY_TIMEOUT_MS,
  type DatabaseUrlProblem,
} from './server/db/databaseUrl.ts';

/** DATABASE_URL, else the embedded SQLite file: what a caller that names no database gets. */
function configuredDatabaseUrl(): string {
  return config().databaseUrl ?? defaultDatabaseUrl;
}

/**
 * Turns a database URL (docs/cli.md#global-flags: `mysql://user:pass@host:3306/name`,
 * `sqlite:PATH`, `sqlite::memory:`) into TypeORM options. Schema changes always go through
 * migrations.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, logging: false } as const;
  const location = parseDatabaseUrl(url);
  if (location.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: location.file,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      // Foreign keys on, WAL, and transactions that take the write lock at BEGIN.
      prepareDatabase: prepareSqliteConnection,
    };
  }
  return {
    ...common,
    type: 'mysql',
    host: location.host,
    port: location.port,
    username: location.user,
    password: location.password,
    database: location.database,
    ...MYSQL_VALUE_OPTIONS,
    extra: { connectionLimit: 10 },
  };
}

export function createDataSource(url: string = configuredDatabaseUrl()): DataSource {
  return new DataSource(dataSourceOptions(url));
}

/**
 * Opens the database at `url` and brings its schema up to date (docs/cli.md#the-schema-comes-first:
 * every command first runs pending migrations; a new SQLite path is created). `progress.migrated`
 * hears how many migrations ran (0: the schema was up to date), for a command that reports it.
 */
export async function openDatabase(
  url: string = configuredDatabaseUrl(),
  progress: { migrated?: (count: number) => void } = {},
): Promise<DataSource> {
  let options = dataSourceOptions(url);
  let dataSource: DataSource;
  try {
    if (options.type === 'mysql') options = { ...options, type: await mysqlFlavour(options) };
    if (options.type === 'better-sqlite3' && options.database !== ':memory:') {
      mkdirSync(path.dirname(path.resolve(String(options.database))), { recursive: true });
    }
    dataSource = new DataSource(options);
    await dataSource.initialize();
    declareMediumTextColumns(dataSource);
  } catch (error) {
    throw new DatabaseOpenError(url, error);
  }
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    // That migration added messages/complaints.root_carrier_id: fill it for traffic already stored.
    if (ran.some((m) => m.name === 'ReferenceDataAndScope1764090000000')) await attributeTraffic(dataSource);
    progress.migrated?.(ran.length);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * MariaDB and MySQL speak one protocol but report column defaults differently; TypeORM reads
 * MariaDB's schema correctly only when told it is MariaDB, so ask the server which it is.
 */
async function mysqlFlavour(
  options: Extract<DataSourceOptions, { type: 'mysql' | 'mariadb' }>,
): Promise<'mysql' | 'mariadb'> {
  const connection = await createConnection({
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password as string,
  });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test(String((rows as Array<{ version: string }>)[0].version)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}
