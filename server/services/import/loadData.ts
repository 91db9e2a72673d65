import { Readable } from 'node:stream';
import mysql from 'mysql2';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import {
  mysqlConnectionOf,
  valueConversion,
  type ColumnMetadata,
  type ValueConversion,
} from '../../db/typeormAdapter.ts';
import type { ChunkWriter, Upserter } from './upsert.ts';
import { isTidb, serverVersion, unlessTidbBefore } from '../../util/tidb.ts';

interface LoadResult {
  affectedRows: number;
  warningStatus: number;
}

/** Rows of one LOAD DATA statement, as the text it sends. */
export interface LoadChunk {
  data: Buffer;
  rows: number;
}

/**
 * The server or the client does not allow LOAD DATA LOCAL: local_infile off on MariaDB (4166
 * ER_LOAD_INFILE_CAPABILITY_DISABLED, 1148 ER_NOT_ALLOWED_COMMAND before 10.6) or on MySQL (3948
 * ER_CLIENT_LOCAL_FILES_DISABLED, its default since 8.0), or a client without the capability
 * (2068). Rows then go as upserts, as they would without this writer.
 */
const LOCAL_INFILE_REFUSED = new Set([1148, 2068, 3948, 4166]);

/**
 * A statement's rows: 2^13 - 1. Each LOAD DATA costs the server a few milliseconds before it asks
 * for the data, and eight thousand rows make that small. The count is one less than a power of
 * two because of how MySQL numbers the rows of a statement whose row count it does not know in
 * advance: it reserves auto-increment ids in blocks of 1, 2, 4, … and the unused end of the last
 * block is lost. 2^k - 1 rows fill the blocks exactly, so the ids stay without gaps (10,000 rows
 * a statement lost about 6,000 ids each). Long texts (messages) end a chunk at the first such
 * count past LOAD_BYTES, so under twice that. A chunk of any other size (a table's last, or the
 * reference tables' flushes of up to 500 rows) leaves the rest of its last block unused.
 */
export const LOAD_ROWS = 8191;
const LOAD_BYTES = 4 * 1024 * 1024;
/** The data goes in packets of at most this size, far under any max_allowed_packet. */
const PACKET_BYTES = 1024 * 1024;

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPED = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', 0: '\0' };

/**
 * Writes rows of one table with MySQL's LOAD DATA LOCAL INFILE: the rows go to the server as
 * tab-separated text, which it stores without parsing an SQL statement of values. For a million
 * grants that is about a fifth less of MariaDB's time than multi-row INSERTs (docs/performance.md).
 * Each row becomes its line of text as it is added, so a chunk waiting for the database is one
 * buffer rather than thousands of objects for the garbage collector to copy.
 *
 * It must store exactly what the upsert would have stored, so the upsert (Upserter) stays the
 * authority. LOAD DATA LOCAL cannot update a row whose key is already stored (such rows are
 * skipped), and it turns what an INSERT would refuse into warnings (the server cannot stop the
 * client half-way through the data). So a chunk that the database did not take whole and cleanly
 * (a row skipped, or any warning) is written again as the upsert it would otherwise have been,
 * with the values read back from the text: rows already stored are updated in place, rows this
 * LOAD just stored get the values an INSERT stores, and a value an INSERT refuses fails the
 * import as before. The importer uses this writer only where loadDataUsable says the server
 * takes LOAD DATA LOCAL in the transaction; should the server refuse it all the same, every
 * chunk goes the upserts' way.
 */
export class LoadDataWriter<T extends ObjectLiteral> implements ChunkWriter<T, LoadChunk> {
  private refused = false;
  private columns: ColumnMetadata[] | null = null;
  private conversion: ValueConversion | null = null;
  private sql = '';
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private length = 0;
  private rows = 0;
  private timezone: string | null = null;

  constructor(private readonly upserter: Upserter<T>) {}

  get pending(): number {
    return this.rows;
  }

  add(row: Partial<T>): boolean {
    const columns = this.columns ?? this.start(row);
    const conversion = this.conversion!;
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      const value = row[columns[c].propertyName];
      const field = this.fieldText(
        value === undefined ? null : conversion.preparePersistentValue(value, columns[c]),
        columns[c],
      );
      line = c === 0 ? field : `${line}\t${field}`;
    }
    line += '\n';
    // Grown before writing: the UTF-8 of a string is at most three bytes per UTF-16 unit.
    if (this.length + line.length * 3 > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + line.length * 3));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(line, this.length);
    this.rows++;
    // Full only at 2^k - 1 rows (LOAD_ROWS).
    return (this.rows & (this.rows + 1)) === 0 && (this.rows >= LOAD_ROWS || this.length >= LOAD_BYTES);
  }

  take(): LoadChunk {
    const chunk = { data: this.buffer.subarray(0, this.length), rows: this.rows };
    // The chunk keeps the old buffer until it is written; the next rows get a new one.
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.length = 0;
    this.rows = 0;
    return chunk;
  }

  async write(chunk: LoadChunk): Promise<void> {
    if (chunk.rows === 0) return;
    const runner = this.upserter.manager.queryRunner;
    if (this.refused || !runner) return this.upsert(chunk);
    const connection = await mysqlConnectionOf(runner);
    let result: LoadResult;
    try {
      result = await new Promise<LoadResult>((resolve, reject) => {
        connection.query<LoadResult>(
          { sql: this.sql, infileStreamFactory: () => dataStream(chunk.data) },
          (error, loaded) => (error ? reject(error) : resolve(loaded)),
        );
      });
    } catch (error) {
      if (!LOCAL_INFILE_REFUSED.has((error as { errno?: number }).errno ?? 0)) throw error;
      this.refused = true;
      return this.upsert(chunk);
    }
    if (result.affectedRows !== chunk.rows || result.warningStatus !== 0) await this.upsert(chunk);
  }

  /** The chunk written as the upserts it would have been without LOAD DATA. */
  private upsert(chunk: LoadChunk): Promise<void> {
    return this.upserter.writePrepared(rowsOfText(chunk.data.toString('utf8')));
  }

  private start(sample: Partial<T>): ColumnMetadata[] {
    const columns = this.upserter.columnsOf(sample);
    this.columns = columns;
    this.conversion = valueConversion(this.upserter.manager.connection);
    this.sql =
      `LOAD DATA LOCAL INFILE 'rows' IGNORE INTO TABLE \`${this.upserter.table}\` CHARACTER SET utf8mb4` +
      " FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'" +
      ` (${columns.map((c) => `\`${c.databaseName}\``).join(',')})`;
    return columns;
  }

  /** A value as the driver converted it for an INSERT, in LOAD DATA's text (loadDataText, and dates). */
  private fieldText(value: unknown, column: ColumnMetadata): string {
    const text = loadDataText(value);
    if (text !== null) return text;
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      // The driver's own rendering of a date for an INSERT ('YYYY-MM-DD hh:mm:ss.sss', quoted), in the connection's
      // time zone.
      this.timezone ??= (this.upserter.manager.connection.options as { timezone?: string }).timezone ?? 'local';
      return mysql.escape(value, false, this.timezone).slice(1, -1);
    }
    throw new Error(`${this.upserter.table}.${column.databaseName}: no text form for the value ${String(value)}`);
  }
}

/**
 * A plain value in LOAD DATA's default text format: \N for NULL, backslash escapes in strings,
 * booleans as 1 and 0; null for a value of any other kind.
 */
export function loadDataText(value: unknown): string | null {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]) : value;
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '1' : '0';
    default:
      return null;
  }
}

/**
 * Whether an import on this connection should write through LOAD DATA LOCAL: the server allows
 * it (`local_infile`) and runs it inside the transaction, so a rollback undoes it. Asked at the
 * start of each import, so a server setting changed since is followed; should the server refuse
 * all the same, LoadDataWriter falls back chunk by chunk.
 */
export async function loadDataUsable(manager: EntityManager): Promise<boolean> {
  const version = await serverVersion(manager);
  if (!loadDataIsTransactional(version)) return false;
  if (isTidb(version)) return true;
  const [{ allowed }] = (await manager.query('SELECT @@GLOBAL.local_infile AS allowed')) as Array<{
    allowed: number | string;
  }>;
  return Number(allowed) === 1;
}

/**
 * MySQL and MariaDB run LOAD DATA as any other statement of the transaction. TiDB before 7.6
 * does not: a ROLLBACK does not undo it (TiDB's LOAD DATA reference), so there the import, which
 * must leave nothing of a refused dataset, writes upserts. TiDB names itself in VERSION(), as
 * `8.0.11-TiDB-v7.5.1`.
 */
export function loadDataIsTransactional(version: string): boolean {
  return unlessTidbBefore(version, 7, 6);
}

/** The data in packets, all pushed at once so the server is not kept waiting between them. */
function dataStream(data: Buffer): Readable {
  return new Readable({
    read() {
      for (let start = 0; start < data.length; start += PACKET_BYTES)
        this.push(data.subarray(start, start + PACKET_BYTES));
      this.push(null);
    },
  });
}

/** Rows of LOAD DATA text back as values (strings, null for \N), the inverse of loadDataText. */
export function rowsOfText(text: string): Array<Array<string | null>> {
  const lines = text.split('\n');
  lines.pop();
  return lines.map((line) =>
    line
      .split('\t')
      .map((field) =>
        field === '\\N'
          ? null
          : field.includes('\\')
            ? field.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c)
            : field,
      ),
  );
}
