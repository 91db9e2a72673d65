import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/** The SQL dialects the schema runs on (CONVENTIONS.md: one schema, MySQL/MariaDB and SQLite). */
export type Dialect = 'mysql' | 'sqlite';

/**
 * Bound parameters one statement may carry: SQLite's limit is 32,766; MySQL's client-side
 * formatting has none besides max_allowed_packet, which a 30,000-value statement (a few
 * hundred kilobytes) stays far below.
 */
export const MAX_STATEMENT_PARAMETERS = 30_000;

export function dialectOf(manager: EntityManager): Dialect {
  const type = manager.connection.options.type;
  if (type === 'mysql' || type === 'mariadb') return 'mysql';
  if (type === 'better-sqlite3') return 'sqlite';
  throw new Error(`no upsert dialect for database type ${type}`);
}

/**
 * `INSERT … VALUES (…),(…) ` plus the clause that turns a clash on the natural key into an update
 * of `update` (the only dialect-specific part of the importer's writes): MySQL/MariaDB/TiDB
 * `ON DUPLICATE KEY UPDATE c = VALUES(c)`, SQLite `ON CONFLICT (key) DO UPDATE SET c = excluded.c`.
 */
export function upsertStatement(dialect: Dialect, table: string, columns: readonly string[], conflict: readonly string[], update: readonly string[], rows: number): string {
  const q = dialect === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const values = new Array<string>(rows).fill(tuple).join(',');
  const head = `INSERT INTO ${q(table)} (${columns.map(q).join(',')}) VALUES ${values}`;
  if (update.length === 0) return head;
  if (dialect === 'mysql') return `${head} ON DUPLICATE KEY UPDATE ${update.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ')}`;
  return `${head} ON CONFLICT (${conflict.map(q).join(',')}) DO UPDATE SET ${update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
}

/**
 * Writes rows of one entity as multi-row upserts with plain parameterised SQL: the query builder
 * spent more time building each 500-row statement than the database spent running it. Values
 * still go through the driver's own conversion (booleans, dates, JSON), so what is stored is
 * exactly what TypeORM would have stored. Rows must all carry the same properties.
 */
export class Upserter<T extends ObjectLiteral> {
  private readonly dialect: Dialect;
  private readonly table: string;
  private columns: ColumnMetadata[] | null = null;
  private statement: { rows: number; sql: string } | null = null;
  rowsPerStatement = 0;

  constructor(private readonly manager: EntityManager, private readonly target: EntityTarget<T>, private readonly conflict: readonly string[], private readonly update: readonly string[]) {
    this.dialect = dialectOf(manager);
    this.table = manager.connection.getMetadata(target).tableName;
  }

  /** How many rows of this shape fit one statement. */
  rowsFor(sample: Partial<T>): number {
    return Math.max(1, Math.floor(MAX_STATEMENT_PARAMETERS / this.columnsFor(sample).length));
  }

  private columnsFor(sample: Partial<T>): ColumnMetadata[] {
    if (!this.columns) {
      const metadata = this.manager.connection.getMetadata(this.target);
      this.columns = Object.keys(sample).map((property) => {
        const column = metadata.findColumnWithPropertyName(property);
        if (!column) throw new Error(`${metadata.name} has no column for property ${property}`);
        return column;
      });
    }
    return this.columns;
  }

  async write(rows: ReadonlyArray<Partial<T>>): Promise<void> {
    if (rows.length === 0) return;
    const columns = this.columnsFor(rows[0]);
    const perStatement = this.rowsFor(rows[0]);
    const driver = this.manager.connection.driver;
    for (let start = 0; start < rows.length; start += perStatement) {
      const count = Math.min(perStatement, rows.length - start);
      if (this.statement?.rows !== count) {
        this.statement = { rows: count, sql: upsertStatement(this.dialect, this.table, columns.map((c) => c.databaseName), this.conflict, this.update, count) };
      }
      const parameters = new Array<unknown>(count * columns.length);
      let at = 0;
      for (let r = start; r < start + count; r++) {
        const row = rows[r] as Record<string, unknown>;
        for (const column of columns) {
          const value = row[column.propertyName];
          parameters[at++] = driver.preparePersistentValue(value === undefined ? null : value, column);
        }
      }
      await this.manager.query(this.statement.sql, parameters);
    }
  }
}
