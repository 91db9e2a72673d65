import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { entities } from './server/entities/index.ts';
import { migrations } from './server/migrations/index.ts';
import { config, defaultDatabaseUrl } from './server/config.ts';
import { declareMediumTextColumns, prepareSqliteConnection } from './server/db/typeormAdapter.ts';
import { attributeTraffic } from './server/services/audit/attribution.ts';

export { defaultDatabaseUrl, projectRoot } from './server/config.ts';

/** DATABASE_URL, else the embedded SQLite file: what a caller that names no database gets. */
function configuredDatabaseUrl(): string {
  return config().databaseUrl ?? defaultDatabaseUrl;
}

/** Why a database URL cannot be used; the CLI words each reason through the locales (cli.database_url.*). */
export type DatabaseUrlProblem = 'no_file' | 'not_url' | 'no_database' | 'unsupported';

export class DatabaseUrlError extends Error {
  constructor(
    readonly problem: DatabaseUrlProblem,
    readonly url: string,
    message: string,
  ) {
    super(message);
  }
}

/** The database could not be reached or opened (refused, unknown host, access denied, not a database file…). */
export class DatabaseOpenError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot open the database at ${redactDatabaseUrl(url)}: ${firstLine(cause)}`, { cause });
  }

  /** What went wrong, in the driver's words (first line only). */
  get problem(): string {
    return firstLine(this.cause);
  }
}

/** The URL with any password replaced by ***, for messages: up to the last @, as a password may hold @ or /. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/[^:@/]*:)[^]*@/i, '$1***@');
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}

/**
 * How long a SQLite connection waits for another process's write to finish before it gives up
 * with SQLITE_BUSY. better-sqlite3 waits synchronously, blocking its process: hence a bound.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 15_000;

/**
 * Turns a database URL (docs/cli.md#global-flags: `mysql://user:pass@host:3306/name`,
 * `sqlite:PATH`, `sqlite::memory:`) into TypeORM options. Schema changes always go through
 * migrations.
 */
export function dataSourceOptions(url: string): DataSourceOptions {
  const common = { entities, migrations, synchronize: false, logging: false } as const;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file)
      throw new DatabaseUrlError(
        'no_file',
        url,
        `database URL "${url}" names no file (use sqlite:PATH or sqlite::memory:)`,
      );
    return {
      ...common,
      type: 'better-sqlite3',
      database: file,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      // Foreign keys on, WAL, and transactions that take the write lock at BEGIN.
      prepareDatabase: prepareSqliteConnection,
    };
  }
  if (url.startsWith('mysql:') || url.startsWith('mariadb:')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError('not_url', url, `database URL "${redactDatabaseUrl(url)}" is not a valid URL`);
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database)
      throw new DatabaseUrlError(
        'no_database',
        url,
        `database URL "${redactDatabaseUrl(url)}" names no database (mysql://user:pass@host:3306/NAME)`,
      );
    return {
      ...common,
      type: 'mysql',
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      username: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      database,
      charset: 'utf8mb4_unicode_ci',
      // Timestamps are stored in UTC; DATE columns come back as the YYYY-MM-DD they were given.
      timezone: 'Z',
      dateStrings: ['DATE'],
      // BIGINT values (COUNT(*), and the ids of a TiDB store: BIGINT AUTO_RANDOM, docs/scaling.md)
      // come back as numbers, exact below 2⁵³ as those ids are kept; a larger one as a string.
      supportBigNumbers: true,
      bigNumberStrings: false,
      extra: { connectionLimit: 10 },
    };
  }
  throw new DatabaseUrlError(
    'unsupported',
    url,
    `unsupported database URL "${redactDatabaseUrl(url)}": use mysql://user:pass@host:3306/name, sqlite:PATH or sqlite::memory:`,
  );
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
