/**
 * Database URLs (docs/cli.md#global-flags: `mysql://user:pass@host:3306/name`, `sqlite:PATH`,
 * `sqlite::memory:`) and the errors of opening one, without TypeORM: ormconfig.ts turns a URL
 * into TypeORM's options, and `sms106 lookup` opens a store with the bare driver
 * (server/db/readOnlyStore.ts), so that it starts without loading TypeORM.
 */

/** Why a database URL cannot be used; the CLI words each reason through the locales (cli.database_url.*). */
export type DatabaseUrlProblem = 'no_file' | 'not_url' | 'no_database' | 'unsupported';

export class DatabaseUrlError extends Error {
  constructor(
    readonly problem: DatabaseUrlProblem,
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseUrlError';
  }
}

/** The database could not be reached or opened (refused, unknown host, access denied, not a database file…). */
export class DatabaseOpenError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot open the database at ${redactDatabaseUrl(url)}: ${firstLine(cause)}`, { cause });
    this.name = 'DatabaseOpenError';
  }

  /** What went wrong, in the driver's words (first line only). */
  get problem(): string {
    return firstLine(this.cause);
  }
}

/**
 * Whether `error` is one of these, by its name: the test runner (mocha with tsx) may load this
 * module twice, once as an ES module and once through tsx's `require` hook for a module the CLI
 * loads when a command runs, and an error made by one copy's class is not an instance of the
 * other's.
 */
export function isDatabaseError<N extends 'DatabaseUrlError' | 'DatabaseOpenError'>(
  error: unknown,
  name: N,
): error is N extends 'DatabaseUrlError' ? DatabaseUrlError : DatabaseOpenError {
  return error instanceof Error && error.name === name && 'url' in error;
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

/** Where a database URL points. */
export type DatabaseLocation =
  | { kind: 'sqlite'; file: string }
  | { kind: 'mysql'; host: string; port: number; user: string; password: string; database: string };

/** Reads a database URL; a URL that cannot work is a DatabaseUrlError naming why. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file)
      throw new DatabaseUrlError(
        'no_file',
        url,
        `database URL "${url}" names no file (use sqlite:PATH or sqlite::memory:)`,
      );
    return { kind: 'sqlite', file };
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
      kind: 'mysql',
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username || 'root'),
      password: decodeURIComponent(parsed.password),
      database,
    };
  }
  throw new DatabaseUrlError(
    'unsupported',
    url,
    `unsupported database URL "${redactDatabaseUrl(url)}": use mysql://user:pass@host:3306/name, sqlite:PATH or sqlite::memory:`,
  );
}

/**
 * How values come back from MySQL/MariaDB, the same for TypeORM's pool and a bare connection:
 * timestamps are stored in UTC; DATE columns come back as the YYYY-MM-DD they were given; BIGINT
 * values (COUNT(*), and the ids of a TiDB store: BIGINT AUTO_RANDOM, docs/scaling.md) come back
 * as numbers, exact below 2⁵³ as those ids are kept; a larger one as a string.
 */
export const MYSQL_VALUE_OPTIONS = {
  charset: 'utf8mb4_unicode_ci',
  timezone: 'Z',
  dateStrings: ['DATE'] as Array<'DATE'>,
  supportBigNumbers: true,
  bigNumberStrings: false,
} as const;
