import type { Readable } from 'node:stream';
import type { DataSource, EntityMetadata, QueryRunner } from 'typeorm';

/**
 * Everything the product takes from TypeORM beyond its documented API: the driver's value
 * conversions, a query runner's own mysql2 connection, the SQL it begins a SQLite transaction
 * with. test/db/typeormAdapter.test.ts runs each against both real drivers, so a TypeORM upgrade
 * that moves one of them fails there rather than somewhere in an import.
 *
 * Each function hands over a handle once (a driver, a connection); callers keep it for their
 * loops, so no row pays for an extra call.
 */

/** A column's metadata (TypeORM exports its class only from a deep path). */
export type ColumnMetadata = EntityMetadata['columns'][number];

/** The driver's own conversions, between an entity's values and what the database stores. */
export interface ValueConversion {
  /** The value TypeORM would bind for `column` in an INSERT (booleans, dates, JSON, …). */
  preparePersistentValue(value: unknown, column: ColumnMetadata): unknown;
  /** The entity's value for what the database returned for `column`. */
  prepareHydratedValue(value: unknown, column: ColumnMetadata): unknown;
}

/** The part of mysql2's callback connection, the one a TypeORM MySQL query runner holds, used here. */
export interface MysqlConnection {
  /**
   * A statement with callbacks; `infileStreamFactory` answers LOAD DATA LOCAL INFILE, `values`
   * fill its `?`, `rowsAsArray` gives each row as an array of its columns.
   */
  query<R>(
    options: { sql: string; values?: unknown[]; rowsAsArray?: boolean; infileStreamFactory?: () => Readable },
    callback: (error: (Error & { errno?: number }) | null, result: R) => void,
  ): void;
  /** Closes the connection at once; the pool drops it. */
  destroy(): void;
}

function isMysql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}

function changed(what: string): Error {
  return new Error(`TypeORM no longer provides ${what} as server/db/typeormAdapter.ts expects (after an upgrade?)`);
}

/** The driver of `dataSource`, as the conversions it makes; ask once, outside a row loop. */
export function valueConversion(dataSource: DataSource): ValueConversion {
  const driver: Partial<ValueConversion> = dataSource.driver;
  if (typeof driver.preparePersistentValue !== 'function' || typeof driver.prepareHydratedValue !== 'function') {
    throw changed("the driver's preparePersistentValue/prepareHydratedValue");
  }
  return driver as ValueConversion;
}

/**
 * The mysql2 connection of a MySQL query runner, connected if it was not yet: for what TypeORM
 * has no call for (LOAD DATA LOCAL with a stream; closing rather than pooling a connection).
 */
export async function mysqlConnectionOf(runner: QueryRunner): Promise<MysqlConnection> {
  if (!isMysql(runner.connection)) throw new Error(`no MySQL connection on a ${runner.connection.options.type} store`);
  const connection = (await runner.connect()) as Partial<MysqlConnection> | null;
  if (typeof connection?.query !== 'function' || typeof connection.destroy !== 'function') {
    throw changed("a MySQL query runner's mysql2 connection from connect()");
  }
  return connection as MysqlConnection;
}

/**
 * Closes a MySQL query runner's connection, if it holds one, so that releasing the runner does
 * not hand it back to the pool (a session left in a state the next user must not inherit).
 * SQLite has one shared connection: nothing to discard.
 */
export function discardConnection(runner: QueryRunner): void {
  if (!isMysql(runner.connection)) return;
  const held = (runner as unknown as { databaseConnection?: Partial<MysqlConnection> | null }).databaseConnection;
  if (held === undefined || held === null) return;
  if (typeof held.destroy !== 'function') throw changed("a MySQL query runner's databaseConnection");
  held.destroy();
}

/**
 * Columns an entity declares `text` that hold a document of no fixed size, and are MEDIUMTEXT on
 * MySQL/MariaDB (whose TEXT stops at 64 KiB): TypeORM's SQLite driver knows no `mediumtext`, so
 * the entity cannot say it.
 */
export const MEDIUM_TEXT_COLUMNS: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'notices', column: 'content' }, // migration 1764210000000
];

/**
 * Tells an initialised MySQL store's entity metadata that MEDIUM_TEXT_COLUMNS are MEDIUMTEXT, as
 * the migrations made them, so that TypeORM's view of the schema matches the database's.
 */
export function declareMediumTextColumns(dataSource: DataSource): void {
  if (!isMysql(dataSource)) return;
  for (const { table, column } of MEDIUM_TEXT_COLUMNS) {
    const metadata = dataSource.entityMetadatas.find((entity) => entity.tableName === table);
    const declared = metadata?.findColumnWithDatabaseName(column);
    if (!declared) throw changed(`column metadata for ${table}.${column}`);
    declared.type = 'mediumtext';
  }
}

/** What better-sqlite3 is given to prepare each connection with (TypeORM's prepareDatabase). */
interface SqliteDatabase {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/** What TypeORM's SQLite query runner sends to start a transaction. */
export const TYPEORM_SQLITE_BEGIN = 'BEGIN TRANSACTION';

/**
 * Prepares a SQLite connection: foreign keys on (the schema relies on them; SQLite's default is
 * off), WAL, and every transaction TypeORM begins taking the write lock at BEGIN. TypeORM begins
 * DEFERRED: one that reads and then writes, after another process committed in between, fails at
 * once with SQLITE_BUSY, however long the timeout, as its snapshot is stale. Taking the write
 * lock first makes it wait its turn instead.
 */
export function prepareSqliteConnection(db: SqliteDatabase): void {
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  const prepare = db.prepare.bind(db);
  db.prepare = (sql) => prepare(sql === TYPEORM_SQLITE_BEGIN ? 'BEGIN IMMEDIATE TRANSACTION' : sql);
}
