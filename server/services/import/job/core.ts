import type { EntityManager, ObjectLiteral, EntityTarget } from 'typeorm';
import { Agent, Carrier, UsingEntity } from '../../../entities/index.ts';
import { DatasetSyntaxError, type Dataset, type DatasetTable, type SourceRecord } from '../../../dataset/readers.ts';
import { DATASET_LIMITS } from '../../../dataset/limits.ts';
import { isBlankRow, TABLE_SPECS } from '../../../dataset/tables.ts';
import { LoadDataWriter, loadDataUsable } from '../loadData.ts';
import { type ChunkWriter, dialectOf, Upserter, UpsertChunks } from '../upsert.ts';
import {
  MAX_REPORTED_ISSUES,
  MAX_SUMMARY_WARNINGS,
  type FileSummary,
  type ImportIssue,
  type ImportOptions,
  type ImportSummary,
} from './report.ts';
import { RowReader, type IssueSink } from './rowReader.ts';
import {
  batchesOf,
  checkHeader,
  columnAt,
  headerColumns,
  headerTooLong,
  normaliseHeader,
  type HeaderSpec,
} from './header.ts';

/** Rows a pass writes or looks up at once where it does so itself rather than through a batcher. */
export const BATCH_ROWS = 500;
/**
 * Writes queued on the connection at once: the next statement is already waiting when the
 * database finishes one, so it never idles while this process gets round to sending it.
 */
const WRITES_IN_FLIGHT = 2;
const PROGRESS_EVERY = 1000;

/**
 * How far a pass got through a file: to its end, stopped by a syntax error after the header
 * (`cut`: the rows before it were read), or not past the header (missing, or missing columns).
 */
export type FileRead = 'read' | 'cut' | 'no-header';

/** A pass's writes to one table (ImportJob.batcher). */
export interface Batch<T> {
  /** A promise only when the caller has to wait for earlier writes. */
  add(row: Partial<T>): Promise<void> | void;
  flush(): Promise<void>;
}

/**
 * What the passes of one import share (importer.ts runs them, one per file): the report of
 * issues and warnings, the summary and progress, the parties known so far, the carrier the
 * import is confined to, the reading of a file's rows and the batching of its writes.
 */
export class ImportJob implements IssueSink {
  readonly issues: ImportIssue[] = [];
  issueCount = 0;
  readonly summary: ImportSummary;
  /** The summary of the file being read (importer.ts sets it before each file's pass). */
  currentFile!: FileSummary;
  /** Set for a carrier user's import (ImportOptions.carrier): the scope.* checks of each pass. */
  readonly carrier: { id: number; code: string } | null;

  /** Known parties by natural key → database id (null while only validated, not written). */
  readonly carriers = new Map<string, number | null>();
  readonly agents = new Map<string, number | null>();
  readonly entities = new Map<string, number | null>();

  private readonly maxReportedIssues: number;
  private rowsRead = 0;
  private bytesDone = 0;
  private readonly bytesTotal: number | null;
  /** Rows are written through LOAD DATA LOCAL (MySQL, where the server takes it: loadDataUsable). */
  private loadData = false;
  /** Writes sent and not yet over, of every table (settleWrites). */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    readonly manager: EntityManager,
    readonly dataset: Dataset,
    private readonly options: ImportOptions,
  ) {
    this.carrier = options.carrier ?? null;
    this.maxReportedIssues = options.maxReportedIssues ?? MAX_REPORTED_ISSUES;
    this.summary = {
      dataset: dataset.name,
      files: [],
      ignoredFiles: dataset.ignoredFiles,
      warnings: [],
      warningCount: 0,
    };
    const sizes = dataset.tables.map((t) =>
      t.file === 'allocations' && t.sizeBytes !== null ? 2 * t.sizeBytes : t.sizeBytes,
    );
    this.bytesTotal = sizes.every((s) => s !== null) ? sizes.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
  }

  /** Reads the parties already stored, and how this connection can write rows; before the first pass. */
  async prepare(): Promise<void> {
    for (const c of await this.manager.find(Carrier, { select: { id: true, code: true } }))
      this.carriers.set(c.code, c.id);
    for (const a of await this.manager.find(Agent, { select: { id: true, uscc: true } })) this.agents.set(a.uscc, a.id);
    for (const e of await this.manager.find(UsingEntity, { select: { id: true, uscc: true } }))
      this.entities.set(e.uscc, e.id);
    this.loadData = dialectOf(this.manager) === 'mysql' && (await loadDataUsable(this.manager));
  }

  /** Waits until every write this job sent is over, succeeded or failed. */
  async settleWrites(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  report(issue: ImportIssue): void {
    this.issueCount++;
    if (this.issues.length < this.maxReportedIssues) this.issues.push(issue);
  }

  warn(issue: ImportIssue): void {
    this.summary.warningCount++;
    if (this.summary.warnings.length < MAX_SUMMARY_WARNINGS)
      this.summary.warnings.push({ ...issue, value: issue.value?.slice(0, 100) ?? null });
  }

  /** Writing stops at the first problem; validation goes on so that every problem is reported. */
  get writing(): boolean {
    return this.issueCount === 0;
  }

  /**
   * Reads a table's header and rows, calling `onRow` for every non-blank row. `countRows` is
   * false on a second pass over the same file.
   */
  async eachRow(
    table: DatasetTable,
    onRow: (row: RowReader) => Promise<void> | void,
    countRows = true,
  ): Promise<FileRead> {
    const spec = TABLE_SPECS[table.file];
    let columns: Map<string, number> | null = null;
    let bytesSeen = 0;
    try {
      for await (const batch of batchesOf(table)) {
        for (const record of batch) {
          if (record.bytesRead !== undefined) {
            this.bytesDone += record.bytesRead - bytesSeen;
            bytesSeen = record.bytesRead;
          }
          if (isBlankRow(record.cells)) continue;
          if (!columns) {
            columns = countRows ? this.readHeader(table.label, record, spec) : headerColumns(record);
            if (!columns) return 'no-header';
            continue;
          }
          if (countRows) this.currentFile.rows++;
          const row = new RowReader(this, table.label, record.line, record.cells, columns);
          // Most rows are handled synchronously: awaiting only a real promise spares a tick per row.
          const handled = onRow(row);
          if (handled) await handled;
          if (++this.rowsRead % PROGRESS_EVERY === 0) this.progress();
        }
      }
    } catch (error) {
      if (!(error instanceof DatasetSyntaxError)) throw error;
      const column = columns && error.cell !== null ? columnAt(columns, error.cell) : null;
      if (countRows)
        this.report({
          file: table.label,
          line: error.line,
          column,
          value: null,
          code: error.code,
          params: error.params,
        });
      this.progress();
      return columns ? 'cut' : 'no-header';
    }
    if (!columns && countRows)
      this.report({ file: table.label, line: 1, column: null, value: null, code: 'file.no_header' });
    this.progress();
    return columns ? 'read' : 'no-header';
  }

  /**
   * eachRow (counting rows) for a pass that handles only the rows whose cell in `column` passes
   * `keep`, the others being passed over: where the reader can sieve the file (a CSV file that
   * needs no quoting), only those rows are made, the others counted, and the result is the same.
   */
  async eachRowWhere(
    table: DatasetTable,
    column: string,
    keep: (cell: string) => boolean,
    onRow: (row: RowReader) => Promise<void> | void,
  ): Promise<FileRead> {
    const spec = TABLE_SPECS[table.file];
    // A header eachRow would refuse is left to it, which reads no further than the header.
    const choose = (header: SourceRecord) => {
      if (headerTooLong(header)) return null;
      const check = checkHeader(header, spec);
      return check.accepted ? (check.columns.get(column) ?? null) : null;
    };
    const bytesBefore = this.bytesDone;
    const rowsBefore = this.rowsRead;
    const sieved = table.sieve
      ? await table.sieve(choose, keep, (bytes, rows) => {
          this.bytesDone = bytesBefore + bytes;
          // Progress as eachRow gives it, every PROGRESS_EVERY rows.
          if (Math.floor((rowsBefore + rows) / PROGRESS_EVERY) > Math.floor(this.rowsRead / PROGRESS_EVERY)) {
            this.rowsRead = rowsBefore + rows;
            this.progress();
          }
        })
      : null;
    this.bytesDone = bytesBefore;
    this.rowsRead = rowsBefore;
    if (!sieved) return this.eachRow(table, (row) => (keep(row.raw(column)) ? onRow(row) : undefined));
    this.bytesDone += sieved.bytesRead;
    if (!sieved.header) {
      this.report({ file: table.label, line: 1, column: null, value: null, code: 'file.no_header' });
      this.progress();
      return 'no-header';
    }
    const columns = this.readHeader(table.label, sieved.header, spec)!;
    this.currentFile.rows += sieved.rows;
    for (const record of sieved.kept) {
      const handled = onRow(new RowReader(this, table.label, record.line, record.cells, columns));
      if (handled) await handled;
    }
    this.rowsRead += sieved.rows;
    this.progress();
    return 'read';
  }

  private progress(): void {
    this.options.onProgress?.({ rowsRead: this.rowsRead, bytesRead: this.bytesDone, bytesTotal: this.bytesTotal });
  }

  private readHeader(label: string, record: SourceRecord, spec: HeaderSpec): Map<string, number> | null {
    // Its unknown columns go into the summary the import run keeps: a header no one wrote by hand is refused first.
    if (headerTooLong(record)) {
      this.report({
        file: label,
        line: record.line,
        column: null,
        value: null,
        code: 'file.header_too_long',
        params: { max: DATASET_LIMITS.headerChars },
      });
      return null;
    }
    const { columns, duplicates, unknown, missing, accepted } = checkHeader(record, spec);
    for (const cell of duplicates)
      this.report({
        file: label,
        line: record.line,
        column: normaliseHeader(cell),
        value: cell,
        code: 'column.duplicate',
      });
    this.currentFile.unknownColumns.push(...unknown);
    for (const name of missing)
      this.report({ file: label, line: record.line, column: name, value: null, code: 'column.missing' });
    return accepted ? columns : null;
  }

  /** Flags a second row with the same natural key in one file. */
  duplicateCheck(): (row: RowReader, key: string, column: string, value: string) => boolean {
    const firstLines = new Map<string, number>();
    return (row, key, column, value) => {
      const first = firstLines.get(key);
      if (first !== undefined) {
        row.issue(column, value, 'row.duplicate_key', { first });
        return false;
      }
      firstLines.set(key, row.line);
      return true;
    };
  }

  /**
   * Collects rows into chunks and writes them: as multi-row upserts (UpsertChunks), or on MySQL
   * through LOAD DATA LOCAL (LoadDataWriter, which stores the same). Writes are pipelined: a full
   * chunk goes to the database while the next one is read and validated, and `add` waits only
   * when the chunks before it are still unfinished, so parsing (this process) and inserting (the
   * database) use both cores. `add` returns a promise only when the caller has to wait. `flush`
   * writes what is left and waits for every write.
   */
  batcher<T extends ObjectLiteral>(target: EntityTarget<T>, conflict: string[], update: string[]): Batch<T> {
    const upserter = new Upserter(this.manager, target, conflict, update);
    return this.loadData ? this.pipelined(new LoadDataWriter(upserter)) : this.pipelined(new UpsertChunks(upserter));
  }

  private pipelined<T extends ObjectLiteral, C>(writer: ChunkWriter<T, C>): Batch<T> {
    const inFlight: Array<Promise<void>> = [];
    const send = (): Promise<void> | undefined => {
      // Sent at once, queued on the connection behind the write before it. Should that one fail
      // in a way that ends the transaction (a deadlock), this one still runs: importDataset keeps
      // autocommit off, so it runs in a transaction the import then rolls back.
      const writing = writer.write(writer.take());
      inFlight.push(writing);
      this.writes.add(writing);
      // Awaited later (by a later add, by flush, or by settleWrites); a failure must not count as
      // unhandled before then.
      writing.finally(() => this.writes.delete(writing)).catch(() => undefined);
      return inFlight.length > WRITES_IN_FLIGHT ? inFlight.shift() : undefined;
    };
    return {
      add: (row: Partial<T>): Promise<void> | void => {
        if (!this.writing || !writer.add(row)) return;
        return send();
      },
      flush: async () => {
        if (writer.pending > 0 && this.writing) send();
        while (inFlight.length) await inFlight.shift();
      },
    };
  }
}
