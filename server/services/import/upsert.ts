import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { valueConversion, type ColumnMetadata } from '../../db/typeormAdapter.ts';

/** The SQL dialects the schema runs on (docs/conventions.md#data: one schema, MySQL/MariaDB and SQLite). */
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
export function upsertStatement(
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  conflict: readonly string[],
  update: readonly string[],
  rows: number,
): string {
  const q = dialect === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const values = new Array<string>(rows).fill(tuple).join(',');
  const head = `INSERT INTO ${q(table)} (${columns.map(q).join(',')}) VALUES ${values}`;
  if (update.length === 0) return head;
  if (dialect === 'mysql')
    return `${head} ON DUPLICATE KEY UPDATE ${update.map((c) => `${q(c)} = VALUES(${q(c)})`).join(', ')}`;
  return `${head} ON CONFLICT (${conflict.map(q).join(',')}) DO UPDATE SET ${update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
}

/**
 * How the importer's batcher writes one table: rows are gathered (`add` says when a chunk is
 * full), `take` hands the chunk over and `write` stores it; the batcher keeps a few writes queued.
 * UpsertChunks (any database) and LoadDataWriter (MySQL) are the two.
 */
export interface ChunkWriter<T extends ObjectLiteral, C> {
  /** Gathers a row; true when the chunk is full and should be taken. */
  add(row: Partial<T>): boolean;
  /** Rows gathered and not yet taken. */
  readonly pending: number;
  take(): C;
  write(chunk: C): Promise<void>;
}

/**
 * Writes rows of one entity as multi-row upserts with plain parameterised SQL: the query builder
 * spent more time building each 500-row statement than the database spent running it. Values
 * still go through the driver's own conversion (booleans, dates, JSON), so what is stored is
 * exactly what TypeORM would have stored. Rows must all carry the same properties.
 */
export class Upserter<T extends ObjectLiteral> {
  private readonly dialect: Dialect;
  readonly table: string;
  private columns: ColumnMetadata[] | null = null;
  private statement: { rows: number; sql: string } | null = null;

  constructor(
    readonly manager: EntityManager,
    private readonly target: EntityTarget<T>,
    private readonly conflict: readonly string[],
    private readonly update: readonly string[],
  ) {
    this.dialect = dialectOf(manager);
    this.table = manager.connection.getMetadata(target).tableName;
  }

  /** How many rows of this shape fit one statement. */
  rowsFor(sample: Partial<T>): number {
    return rowsPerStatement(this.columnsOf(sample));
  }

  /** The columns written for rows shaped like `sample` (every row of one Upserter has the same properties). */
  columnsOf(sample: Partial<T>): ColumnMetadata[] {
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
    const columns = this.columnsOf(rows[0]);
    const conversion = valueConversion(this.manager.connection);
    await this.run(columns, rows.length, (r, c) => {
      const value = rows[r][columns[c].propertyName];
      return conversion.preparePersistentValue(value === undefined ? null : value, columns[c]);
    });
  }

  /**
   * Rows given as the values the driver would send, column by column in the order of
   * `columnsOf` (which must have been asked first): LoadDataWriter's rows read back from its text.
   */
  async writePrepared(rows: ReadonlyArray<ReadonlyArray<unknown>>): Promise<void> {
    if (rows.length === 0) return;
    if (!this.columns) throw new Error(`no columns known yet for ${this.table}`);
    await this.run(this.columns, rows.length, (r, c) => rows[r][c]);
  }

  private async run(
    columns: readonly ColumnMetadata[],
    rowCount: number,
    valueAt: (row: number, column: number) => unknown,
  ): Promise<void> {
    const perStatement = rowsPerStatement(columns);
    for (let start = 0; start < rowCount; start += perStatement) {
      const count = Math.min(perStatement, rowCount - start);
      if (this.statement?.rows !== count) {
        this.statement = {
          rows: count,
          sql: upsertStatement(
            this.dialect,
            this.table,
            columns.map((c) => c.databaseName),
            this.conflict,
            this.update,
            count,
          ),
        };
      }
      const parameters = new Array<unknown>(count * columns.length);
      let at = 0;
      for (let r = start; r < start + count; r++) {
        for (let c = 0; c < columns.length; c++) parameters[at++] = valueAt(r, c);
      }
      await this.manager.query(this.statement.sql, parameters);
    }
  }
}

function rowsPerStatement(columns: readonly ColumnMetadata[]): number {
  return Math.max(1, Math.floor(MAX_STATEMENT_PARAMETERS / columns.length));
}

/** Chunks of as many rows as one upsert statement binds (ChunkWriter for any database). */
export class UpsertChunks<T extends ObjectLiteral> implements ChunkWriter<T, Array<Partial<T>>> {
  private rows: Array<Partial<T>> = [];
  private limit = 0;

  constructor(private readonly upserter: Upserter<T>) {}

  get pending(): number {
    return this.rows.length;
  }

  add(row: Partial<T>): boolean {
    if (this.limit === 0) this.limit = this.upserter.rowsFor(row);
    this.rows.push(row);
    return this.rows.length >= this.limit;
  }

  take(): Array<Partial<T>> {
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  write(rows: Array<Partial<T>>): Promise<void> {
    return this.upserter.write(rows);
  }
}
