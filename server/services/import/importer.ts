import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, ObjectLiteral, EntityTarget } from 'typeorm';
import {
  Agent,
  Allocation,
  Carrier,
  Complaint,
  Issuer,
  Message,
  ProtectedSender,
  Signature,
  UrlListEntry,
  UsingEntity,
} from '../../entities/index.ts';
import type { LesseeKind } from '../../entities/Allocation.ts';
import { discardConnection } from '../../db/typeormAdapter.ts';
import { DatasetSyntaxError, type Dataset, type DatasetTable, type SourceRecord } from '../../dataset/readers.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { HashedKeySet } from '../../dataset/keySet.ts';
import { DATASET_LIMITS } from '../../dataset/limits.ts';
import { isBlankRow, TABLE_SPECS, type DatasetFile } from '../../dataset/tables.ts';
import { parse106 } from '../../numbering/number106.ts';
import { normaliseDomain } from '../../numbering/domain.ts';
import { compactPhone, normalisePhone } from '../../numbering/phone.ts';
import { parseDate, parseTimestamp } from '../../numbering/time.ts';
import { ENTITY_KINDS, isUsccShaped, normaliseUscc } from '../../numbering/uscc.ts';
import { pushTo } from '../../util/pushTo.ts';
import { attributeTraffic } from '../audit/attribution.ts';
import { invalidateAllocationIndex } from '../lookup/lookup.ts';
import { importIssuers } from './issuers.ts';
import { LoadDataWriter, loadDataUsable } from './loadData.ts';
import { type ChunkWriter, dialectOf, Upserter, UpsertChunks } from './upsert.ts';
import { logger } from '../../log.ts';

/** One thing wrong with a dataset: where (file, line, column), what was there, and why (an i18n code). */
export interface ImportIssue {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  code: string;
  params?: Record<string, string | number>;
}

/** What an issue says in `locale`: its code's message, filled from its params. */
export function issueMessage(issue: Pick<ImportIssue, 'code' | 'params'>, locale: Locale): string {
  const params = issue.params ?? {};
  // A fault (a CSV file's) names the finer text that fills the code's {detail}, in the same language.
  if (!('fault' in params)) return t(locale, `issue.${issue.code}`, params);
  return t(locale, `issue.${issue.code}`, { detail: t(locale, `issue.${issue.code}.${params.fault}`, params) });
}

export interface FileSummary {
  file: string;
  rows: number;
  /** Rows that were not in the store before (the rest updated or confirmed existing rows). */
  added: number;
  unknownColumns: string[];
}

export interface ImportSummary {
  dataset: string;
  files: FileSummary[];
  ignoredFiles: string[];
  /**
   * Optional cells kept although they do not parse (docs/dataset-format.md#values): the first
   * MAX_SUMMARY_WARNINGS, their values cut to 100 characters, so the summary stays small;
   * warningCount counts them all. Absent from runs recorded before warnings were kept.
   */
  warnings: ImportIssue[];
  warningCount: number;
}

/** Warnings listed in a summary (which import_runs keeps); the rest are counted. */
export const MAX_SUMMARY_WARNINGS = 100;

export interface ImportProgress {
  rowsRead: number;
  bytesRead: number;
  /** Bytes the import will read in all, when every file's size is known (CSV). */
  bytesTotal: number | null;
}

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
  /** Issues kept for the report; the rest are only counted. */
  maxReportedIssues?: number;
  /** A carrier user's import: confined to that carrier (ImportJob.checkScope). */
  carrier?: { id: number; code: string } | null;
}

/** The dataset was refused: nothing was written. */
export class ImportRefused extends Error {
  constructor(
    readonly issues: ImportIssue[],
    readonly issueCount: number,
  ) {
    super(`import refused: ${issueCount} problem(s) in the dataset`);
  }
}

/**
 * Problems kept for the report (CLI output and the web page); past this they are counted and the
 * report says how many more there are. 100,000 lines is more than anyone reads, and a broken
 * million-row file must not exhaust memory describing itself.
 */
export const MAX_REPORTED_ISSUES = 100_000;
const BATCH_ROWS = 500;
/**
 * Writes queued on the connection at once: the next statement is already waiting when the
 * database finishes one, so it never idles while this process gets round to sending it.
 */
const WRITES_IN_FLIGHT = 2;
const PROGRESS_EVERY = 1000;
const FAR_FUTURE = '9999-12-31';
/** messages.recipient holds 20 characters: E.164 has at most 16. */
const RECIPIENT_MAX = 20;

/**
 * Imports a dataset in one transaction
 * (docs/dataset-format.md#one-transaction-every-problem-reported): every bad row of every file is
 * reported, a refused import leaves the store exactly as it was, and re-importing the same dataset
 * changes nothing (rows are matched on their natural keys and updated in place).
 */
export async function importDataset(
  dataSource: DataSource,
  dataset: Dataset,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary = await inOneTransaction(dataSource, async (manager) => {
    const job = new ImportJob(manager, dataset, options);
    try {
      await job.run();
    } catch (error) {
      // Writes still queued on the connection, and the upserts a LOAD DATA chunk may still send,
      // must all be over before the rollback: one sent after it would run in a transaction of
      // its own, which resetting autocommit would then commit.
      await job.settleWrites();
      throw error;
    }
    if (job.issueCount > 0) throw new ImportRefused(job.issues, job.issueCount);
    if (dataset.tables.some((t) => t.file === 'allocations' || t.file === 'messages' || t.file === 'complaints'))
      await attributeTraffic(manager);
    return job.summary;
  });
  // The committed data is new: lookups must not answer from the index built before it.
  invalidateAllocationIndex(dataSource);
  return summary;
}

/**
 * Runs `work` in one transaction, committed if it returns and rolled back if it throws. On MySQL
 * the connection's autocommit is off meanwhile: the importer queues writes on the connection
 * (ImportJob.batcher), and when one fails in a way that ends the transaction (a deadlock: InnoDB
 * rolls it back), those queued behind it still run. With autocommit off they open a new
 * transaction, which the rollback here discards; with it on, each would commit on its own.
 * autocommit is turned back on only after the commit or rollback, when no transaction is open
 * (turning it on commits an open one).
 */
async function inOneTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const mysql = dialectOf(runner.manager) === 'mysql';
  // The first failure is the one reported (an ImportRefused stays one); any that follow it while
  // cleaning up are logged, not lost.
  const failures: unknown[] = [];
  let result: T | undefined;
  try {
    await runner.connect();
    if (mysql) await runner.query('SET SESSION autocommit = 0');
    await runner.startTransaction();
    try {
      result = await work(runner.manager);
      await runner.commitTransaction();
    } catch (error) {
      failures.push(error);
      await runner.rollbackTransaction().catch((rollbackError: unknown) => failures.push(rollbackError));
    }
  } catch (error) {
    failures.push(error);
  }
  if (mysql) {
    try {
      await runner.query('SET SESSION autocommit = 1');
    } catch (resetError) {
      failures.push(resetError);
      // Never back into the pool without autocommit: whatever ran on it next would not commit.
      discardConnection(runner);
    }
  }
  await runner.release();
  for (const later of failures.slice(1))
    logger().error({ err: later }, 'import: while ending its transaction after a failure');
  if (failures.length > 0) throw failures[0];
  return result as T;
}

/**
 * Duplicate keys among the grants pass 2 reads. They are found through hashes (HashedKeySet: a
 * million keys in 16 MB rather than the keys themselves), so a hit is only a suspicion: the row
 * is held back with what it would write, and once the file has been read the lines it may repeat
 * are read again and the real keys compared (settle). Held-back rows are compared with each
 * other too, as the key set keeps only the first line of a hash.
 */
class GrantRepeats<V> {
  private readonly seen = new HashedKeySet();
  private readonly held: Array<{ allocation: AllocationRow; first: number; value: V }> = [];

  /** Remembers the row's key; returns the line of an earlier row it may repeat, or null. */
  check(allocation: AllocationRow): number | null {
    return this.seen.add(allocation.key, allocation.line);
  }

  hold(allocation: AllocationRow, first: number, value: V): void {
    this.held.push({ allocation, first, value });
  }

  /** Reports each held-back row that repeats an earlier one; returns the others' values, in line order. */
  async settle(
    keysAt: (lines: Set<number>) => Promise<Map<number, string>>,
    reportRepeat: (allocation: AllocationRow, first: number) => void,
  ): Promise<V[]> {
    if (this.held.length === 0) return [];
    const keyAt = await keysAt(new Set(this.held.map((held) => held.first)));
    const heldLineOf = new Map<string, number>();
    const clear: V[] = [];
    for (const { allocation, first, value } of this.held) {
      const repeated = keyAt.get(first) === allocation.key ? first : heldLineOf.get(allocation.key);
      if (repeated !== undefined) {
        reportRepeat(allocation, repeated);
        continue;
      }
      heldLineOf.set(allocation.key, allocation.line);
      clear.push(value);
    }
    return clear;
  }
}

/** A validated allocations row, before it has a parent. */
interface AllocationRow {
  line: number;
  key: string;
  prefix: string;
  holderCarrier: string | null;
  holderAgent: string | null;
  lesseeKind: LesseeKind;
  lesseeUscc: string;
  validFrom: string;
  validTo: string | null;
  miitFilingNo: string | null;
  declared: boolean;
}

/** An allocation through which an agent holds a prefix: a possible parent for that agent's grants. */
interface Holding {
  key: string;
  prefix: string;
  validFrom: string;
  validTo: string;
  id: number | null;
  level: number | null;
  /** The carrier at the root of the holding's chain (null while only validated, not written). */
  rootCarrierId: number | null;
  row: AllocationRow | null;
  parentKey?: string | null;
}

/**
 * How far a pass got through a file: to its end, stopped by a syntax error after the header
 * (`cut`: the rows before it were read), or not past the header (missing, or missing columns).
 */
type FileRead = 'read' | 'cut' | 'no-header';

/** Access to the cells of one row, reporting problems against the row's line. */
class RowReader {
  constructor(
    private readonly job: ImportJob,
    private readonly label: string,
    readonly line: number,
    private readonly cells: string[],
    private readonly columns: Map<string, number>,
  ) {}

  bad = false;

  raw(column: string): string {
    const index = this.columns.get(column);
    return index === undefined ? '' : (this.cells[index] ?? '').trim();
  }

  issue(column: string | null, value: string | null, code: string, params?: Record<string, string | number>): null {
    this.bad = true;
    this.job.report({ file: this.label, line: this.line, column, value, code, params });
    return null;
  }

  /** An optional cell kept as it is although it does not parse: the row is imported, the import reports it. */
  warning(column: string, value: string, code: string, params?: Record<string, string | number>): void {
    this.job.warn({ file: this.label, line: this.line, column, value, code, params });
  }

  required(column: string, maxLength: number): string | null {
    const value = this.raw(column);
    if (value === '') return this.issue(column, null, 'cell.required');
    return this.checkLength(column, value, maxLength);
  }

  optional(column: string, maxLength: number): string | null {
    const value = this.raw(column);
    return value === '' ? null : this.checkLength(column, value, maxLength);
  }

  private checkLength(column: string, value: string, maxLength: number): string | null {
    if (value.includes('\uFFFD')) return this.issue(column, value, 'cell.not_utf8');
    if ([...value].length > maxLength) return this.issue(column, value, 'cell.too_long', { max: maxLength });
    return value;
  }

  uscc(column: string, required = true): string | null {
    const raw = this.raw(column);
    if (raw === '') return required ? this.issue(column, null, 'cell.required') : null;
    const value = normaliseUscc(raw);
    return isUsccShaped(value) ? value : this.issue(column, raw, 'uscc.bad_shape');
  }

  number106(column: string, kind: 'prefix' | 'number'): string | null {
    const raw = this.raw(column);
    if (raw === '') return this.issue(column, null, 'cell.required');
    const parsed = parse106(raw, kind);
    return parsed.ok ? parsed.value : this.issue(column, raw, parsed.code);
  }

  date(column: string, required: boolean): string | null {
    const raw = this.raw(column);
    if (raw === '') return required ? this.issue(column, null, 'cell.required') : null;
    const parsed = parseDate(raw);
    return parsed.ok ? parsed.value : this.issue(column, raw, parsed.code);
  }

  timestamp(column: string, required: boolean): Date | null {
    const raw = this.raw(column);
    if (raw === '') return required ? this.issue(column, null, 'cell.required') : null;
    const parsed = parseTimestamp(raw);
    if (!parsed.ok) return this.issue(column, raw, parsed.code);
    // Stored as DATETIME, which keeps whole seconds: drop the rest now so keys built from it match later.
    return new Date(Math.floor(parsed.value.getTime() / 1000) * 1000);
  }
}

class ImportJob {
  readonly issues: ImportIssue[] = [];
  issueCount = 0;
  readonly summary: ImportSummary;
  private readonly maxReportedIssues: number;
  private rowsRead = 0;
  private bytesDone = 0;
  private readonly bytesTotal: number | null;

  /** Known parties by natural key → database id (null while only validated, not written). */
  private readonly carriers = new Map<string, number | null>();
  private readonly agents = new Map<string, number | null>();
  private readonly entities = new Map<string, number | null>();

  /** Set for a carrier user's import; see checkScope. */
  private readonly carrier: { id: number; code: string } | null;
  /** Under a carrier scope: the stored agents and entities, which that import may add to but not change. */
  private readonly sharedRegistry = new Map<string, Record<string, string | null>>();
  /** Rows are written through LOAD DATA LOCAL (MySQL, where the server takes it: loadDataUsable). */
  private loadData = false;
  /** Writes sent and not yet over, of every table (settleWrites). */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly manager: EntityManager,
    private readonly dataset: Dataset,
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
  private get writing(): boolean {
    return this.issueCount === 0;
  }

  async run(): Promise<void> {
    await this.loadParties();
    this.loadData = dialectOf(this.manager) === 'mysql' && (await loadDataUsable(this.manager));
    const handlers: Record<DatasetFile, (table: DatasetTable) => Promise<void>> = {
      carriers: (t) => this.importCarriers(t),
      agents: (t) => this.importAgents(t),
      entities: (t) => this.importEntities(t),
      allocations: (t) => this.importAllocations(t),
      messages: (t) => this.importMessages(t),
      complaints: (t) => this.importComplaints(t),
      protected_senders: (t) => this.importProtectedSenders(t),
      url_lists: (t) => this.importUrlLists(t),
      issuers: (t) =>
        importIssuers(t, {
          manager: this.manager,
          eachRow: (table, onRow) => this.eachRow(table, onRow),
          unique: this.duplicateCheck(),
          carriers: this.carriers,
          carrierScope: this.carrier,
          report: (issue) => this.report(issue),
          writing: () => this.writing,
        }),
    };
    if (this.carrier) await this.loadSharedRegistry();
    for (const table of this.dataset.tables) {
      const before = await this.count(table.file);
      const fileSummary: FileSummary = { file: table.label, rows: 0, added: 0, unknownColumns: [] };
      this.summary.files.push(fileSummary);
      this.currentFile = fileSummary;
      if (this.carrier && (table.file === 'protected_senders' || table.file === 'url_lists')) {
        this.report({ file: table.label, line: 1, column: null, value: null, code: 'scope.reference_data' });
        continue;
      }
      const firstIssue = this.issues.length;
      await handlers[table.file](table);
      // A file read in two passes reports in the order it found things; the report reads top to bottom.
      const fileIssues = this.issues.splice(firstIssue).sort((a, b) => a.line - b.line);
      for (const issue of fileIssues) this.issues.push(issue);
      // Into an empty table every row of an accepted file is new (its keys are unique): counting
      // a million freshly written rows again would take seconds.
      fileSummary.added = before === 0 ? fileSummary.rows : (await this.count(table.file)) - before;
    }
  }

  private currentFile!: FileSummary;

  private async count(file: DatasetFile): Promise<number> {
    const target: Record<DatasetFile, EntityTarget<ObjectLiteral>> = {
      carriers: Carrier,
      agents: Agent,
      entities: UsingEntity,
      allocations: Allocation,
      messages: Message,
      complaints: Complaint,
      protected_senders: ProtectedSender,
      url_lists: UrlListEntry,
      issuers: Issuer,
    };
    return this.manager.count(target[file]);
  }

  private async loadParties(): Promise<void> {
    for (const c of await this.manager.find(Carrier, { select: { id: true, code: true } }))
      this.carriers.set(c.code, c.id);
    for (const a of await this.manager.find(Agent, { select: { id: true, uscc: true } })) this.agents.set(a.uscc, a.id);
    for (const e of await this.manager.find(UsingEntity, { select: { id: true, uscc: true } }))
      this.entities.set(e.uscc, e.id);
  }

  /**
   * Reads a table's header and rows, calling `onRow` for every non-blank row. `countRows` is
   * false on a second pass over the same file.
   */
  private async eachRow(
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
  private async eachRowWhere(
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

  private readHeader(
    label: string,
    record: SourceRecord,
    spec: { required: readonly string[]; optional: readonly string[] },
  ): Map<string, number> | null {
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
  private duplicateCheck(): (row: RowReader, key: string, column: string, value: string) => boolean {
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
  private batcher<T extends ObjectLiteral>(target: EntityTarget<T>, conflict: string[], update: string[]) {
    const upserter = new Upserter(this.manager, target, conflict, update);
    return this.loadData ? this.pipelined(new LoadDataWriter(upserter)) : this.pipelined(new UpsertChunks(upserter));
  }

  private pipelined<T extends ObjectLiteral, C>(writer: ChunkWriter<T, C>) {
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

  private async importCarriers(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.batcher(Carrier, ['code'], ['name']);
    await this.eachRow(table, (row) => {
      const code = row.required('code', 16);
      const name = row.required('name', 100);
      if (code !== null && !/^[A-Za-z0-9_-]+$/.test(code)) row.issue('code', code, 'carrier.bad_code');
      if (this.carrier && code !== null && code !== this.carrier.code)
        row.issue('code', code, 'scope.other_carrier', { carrier: this.carrier.code });
      if (row.bad || code === null || name === null || !unique(row, code, 'code', code)) return;
      if (!this.carriers.has(code)) this.carriers.set(code, null);
      return batch.add({ code, name } as Carrier);
    });
    await batch.flush();
    if (this.writing) for (const c of await this.manager.find(Carrier)) this.carriers.set(c.code, c.id);
  }

  private async importAgents(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.batcher(Agent, ['uscc'], ['name', 'licence_no', 'contact', 'address']);
    await this.eachRow(table, (row) => {
      const uscc = row.uscc('uscc');
      const name = row.required('name', 200);
      const licenceNo = row.optional('licence_no', 64);
      const contact = row.optional('contact', 200);
      const address = row.optional('address', 300);
      if (uscc !== null) this.checkSharedRegistry(row, `a:${uscc}`, { name, licence_no: licenceNo, contact, address });
      if (row.bad || uscc === null || name === null || !unique(row, uscc, 'uscc', uscc)) return;
      if (!this.agents.has(uscc)) this.agents.set(uscc, null);
      return batch.add({ uscc, name, licenceNo, contact, address } as Agent);
    });
    await batch.flush();
    if (this.writing)
      for (const a of await this.manager.find(Agent, { select: { id: true, uscc: true } }))
        this.agents.set(a.uscc, a.id);
  }

  private async importEntities(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.batcher(UsingEntity, ['uscc'], ['name', 'kind']);
    const signaturesByUscc = new Map<string, string[]>();
    await this.eachRow(table, (row) => {
      const uscc = row.uscc('uscc');
      const name = row.required('name', 200);
      const kind = row.optional('kind', 20);
      if (kind !== null && !(ENTITY_KINDS as readonly string[]).includes(kind))
        row.issue('kind', kind, 'entity.bad_kind', { kinds: ENTITY_KINDS.join(', ') });
      const signatures = splitList(row.raw('signatures'))
        .map(stripSignatureBrackets)
        .filter((s) => s !== '');
      for (const signature of signatures) {
        if ([...signature].length > 100) row.issue('signatures', signature, 'cell.too_long', { max: 100 });
      }
      if (uscc !== null)
        this.checkSharedRegistry(row, `e:${uscc}`, {
          name,
          kind,
          signatures: [...new Set(signatures)].sort().join('|'),
        });
      if (row.bad || uscc === null || name === null || !unique(row, uscc, 'uscc', uscc)) return;
      if (!this.entities.has(uscc)) this.entities.set(uscc, null);
      signaturesByUscc.set(uscc, [...new Set(signatures)]);
      return batch.add({ uscc, name, kind } as UsingEntity);
    });
    await batch.flush();
    if (!this.writing) return;
    for (const e of await this.manager.find(UsingEntity, { select: { id: true, uscc: true } }))
      this.entities.set(e.uscc, e.id);
    await this.replaceSignatures(signaturesByUscc);
  }

  /** An entity row lists its whole set of signatures: add the new ones, drop the ones it no longer lists. */
  private async replaceSignatures(signaturesByUscc: Map<string, string[]>): Promise<void> {
    const ids = [...signaturesByUscc.keys()].map((uscc) => this.entities.get(uscc)!);
    const existing = new Map<number, Signature[]>();
    for (let i = 0; i < ids.length; i += BATCH_ROWS) {
      const chunk = ids.slice(i, i + BATCH_ROWS);
      const rows = await this.manager
        .createQueryBuilder(Signature, 's')
        .where('s.entity_id IN (:...chunk)', { chunk })
        .getMany();
      for (const s of rows) pushTo(existing, s.entityId, s);
    }
    const toInsert: Array<Partial<Signature>> = [];
    const toDelete: number[] = [];
    for (const [uscc, wanted] of signaturesByUscc) {
      const entityId = this.entities.get(uscc)!;
      const have = existing.get(entityId) ?? [];
      for (const text of wanted) if (!have.some((s) => s.text === text)) toInsert.push({ entityId, text });
      for (const s of have) if (!wanted.includes(s.text)) toDelete.push(s.id);
    }
    for (let i = 0; i < toDelete.length; i += BATCH_ROWS)
      await this.manager.delete(Signature, toDelete.slice(i, i + BATCH_ROWS));
    for (let i = 0; i < toInsert.length; i += BATCH_ROWS) {
      await this.manager
        .createQueryBuilder()
        .insert()
        .into(Signature)
        .values(toInsert.slice(i, i + BATCH_ROWS))
        .updateEntity(false)
        .execute();
    }
  }

  /** Validates one allocations row; null when it has a problem (already reported). */
  private readAllocation(row: RowReader): AllocationRow | null {
    const prefix = row.number106('prefix', 'prefix');
    const holderRaw = row.raw('holder');
    let holderCarrier: string | null = null;
    let holderAgent: string | null = null;
    if (holderRaw === '') row.issue('holder', null, 'cell.required');
    else if (this.carriers.has(holderRaw)) {
      holderCarrier = holderRaw;
      if (this.carrier && holderRaw !== this.carrier.code)
        row.issue('holder', holderRaw, 'scope.other_carrier', { carrier: this.carrier.code });
    } else {
      const uscc = normaliseUscc(holderRaw);
      if (this.agents.has(uscc)) holderAgent = uscc;
      else if (this.entities.has(uscc)) row.issue('holder', holderRaw, 'allocation.holder_is_entity');
      else row.issue('holder', holderRaw, 'allocation.holder_unknown');
    }
    const lesseeUscc = row.uscc('lessee');
    let lesseeKind: LesseeKind | null = null;
    if (lesseeUscc !== null) {
      const isAgent = this.agents.has(lesseeUscc);
      const isEntity = this.entities.has(lesseeUscc);
      if (isAgent && isEntity) row.issue('lessee', lesseeUscc, 'allocation.lessee_ambiguous');
      else if (isAgent) lesseeKind = 'agent';
      else if (isEntity) lesseeKind = 'entity';
      else row.issue('lessee', lesseeUscc, 'allocation.lessee_unknown');
    }
    const validFrom = row.date('valid_from', true);
    const validTo = row.date('valid_to', false);
    if (validFrom !== null && validTo !== null && validTo < validFrom)
      row.issue('valid_to', validTo, 'allocation.ends_before_start', { from: validFrom });
    const miitFilingNo = row.optional('miit_filing_no', 64);
    const declaredRaw = row.raw('declared').toLowerCase();
    const declared = declaredRaw === '' || declaredRaw === 'true' ? true : declaredRaw === 'false' ? false : null;
    if (declared === null) row.issue('declared', row.raw('declared'), 'allocation.bad_declared');
    if (row.bad) return null;
    return {
      line: row.line,
      key: `${prefix}|${lesseeUscc}|${validFrom}`,
      prefix: prefix!,
      holderCarrier,
      holderAgent,
      lesseeKind: lesseeKind!,
      lesseeUscc: lesseeUscc!,
      validFrom: validFrom!,
      validTo,
      miitFilingNo,
      declared: declared!,
    };
  }

  /**
   * Allocations refer to each other: a child's parent is the allocation through which its holder
   * held an enclosing prefix at the child's valid_from, and it may come later in the file. Pass 1
   * reads only the rows granted to agents (the possible parents, few), validates them, and links
   * and writes them level by level. Pass 2 streams the file again, validates every other row (the
   * grants to using entities, the bulk) and writes it with its parent known. Pass 1 looks at one
   * cell of the other rows, so the database starts writing the bulk early (docs/performance.md).
   */
  private async importAllocations(table: DatasetTable): Promise<void> {
    const badLines = new Set<number>();
    /** Every line pass 1 took as a grant to an agent, good or bad: pass 2 skips them. */
    const agentLines = new Set<number>();
    const agentRows: AllocationRow[] = [];
    const agentKeys = new Map<string, number>();
    // A lessee known as an agent makes the row pass 1's; readAllocation says the rest (a
    // lessee that is also a using entity, say, is refused there).
    const read = await this.eachRowWhere(
      table,
      'lessee',
      (lessee) => this.agents.has(normaliseUscc(lessee.trim())),
      (row) => {
        agentLines.add(row.line);
        const allocation = this.readAllocation(row);
        if (!allocation) {
          badLines.add(row.line);
          return;
        }
        const first = agentKeys.get(allocation.key);
        if (first !== undefined) {
          this.reportDuplicate(table.label, allocation, first);
          badLines.add(row.line);
          return;
        }
        agentKeys.set(allocation.key, row.line);
        agentRows.push(allocation);
      },
    );
    if (read !== 'read') {
      // A broken header or syntax has been reported, and the rows cannot be linked. The rows
      // before a syntax error are still each checked on their own, as in any other file.
      if (read === 'cut') {
        const repeats = new GrantRepeats<null>();
        await this.eachRow(
          table,
          (row) => {
            if (agentLines.has(row.line)) return;
            const allocation = this.readAllocation(row);
            if (!allocation) return;
            const first = repeats.check(allocation);
            if (first !== null) repeats.hold(allocation, first, null);
          },
          false,
        );
        await this.settleRepeats(table, repeats);
      }
      return;
    }
    const holdings = await this.loadHoldings(agentRows);
    this.linkAgentRows(table.label, agentRows, holdings, badLines);
    await this.writeAgentRows(
      agentRows.filter((r) => !badLines.has(r.line)),
      holdings,
    );
    await this.withoutForeignKeyChecks(() => this.writeEntityRows(table, holdings, agentLines));
  }

  /**
   * Pass 2 of importAllocations: validates the rows that are not pass 1's and writes each with
   * its parent. Every reference in these rows (holder, lessee, parent, root carrier) is one this
   * import has just resolved against the store or written itself, in this transaction; MySQL's
   * own check of each foreign key, row by row, only repeated that work (withoutForeignKeyChecks).
   * A row that may repeat an earlier one waits until the file is read (GrantRepeats).
   */
  private async writeEntityRows(
    table: DatasetTable,
    holdings: Map<string, Holding[]>,
    agentLines: Set<number>,
  ): Promise<void> {
    const batch = this.batcher(Allocation, ['prefix', 'lessee_uscc', 'valid_from'], ALLOCATION_UPDATE_COLUMNS);
    const repeats = new GrantRepeats<Partial<Allocation>>();
    await this.eachRow(
      table,
      (row) => {
        if (agentLines.has(row.line)) return;
        const allocation = this.readAllocation(row);
        if (!allocation) return;
        const first = repeats.check(allocation);
        let parent: Holding | null = null;
        if (allocation.holderAgent) {
          parent = findParent(holdings, allocation);
          if (!parent) {
            row.issue('prefix', allocation.prefix, 'allocation.not_within_holder', {
              holder: allocation.holderAgent,
              date: allocation.validFrom,
            });
            return;
          }
        }
        const rootCarrierId = parent ? parent.rootCarrierId! : this.carriers.get(allocation.holderCarrier!)!;
        if (parent && !this.inScope(parent.rootCarrierId)) {
          this.reportOutOfScope(table.label, allocation);
          return;
        }
        const values = this.allocationValues(allocation, parent?.id ?? null, parent?.level ?? 0, rootCarrierId);
        if (first !== null) {
          repeats.hold(allocation, first, values);
          return;
        }
        return batch.add(values);
      },
      false,
    );
    for (const values of await this.settleRepeats(table, repeats)) await batch.add(values);
    await batch.flush();
  }

  /**
   * Settles the rows held back on a hash hit: reads the lines they may repeat again (read as valid
   * rows before, so reading them again reports nothing), reports the repeats and returns the
   * others' values.
   */
  private settleRepeats<V>(table: DatasetTable, repeats: GrantRepeats<V>): Promise<V[]> {
    return repeats.settle(
      async (lines) => {
        const keys = new Map<number, string>();
        await this.eachRow(
          table,
          (row) => {
            if (lines.has(row.line)) keys.set(row.line, this.readAllocation(row)!.key);
          },
          false,
        );
        return keys;
      },
      (allocation, first) => this.reportDuplicate(table.label, allocation, first),
    );
  }

  /**
   * Runs `write` with MySQL's foreign-key checks off for this transaction's connection, and puts
   * them back before anything else uses it. For a bulk load whose references are already
   * resolved this is what MySQL's manual advises (and what mysqldump's output does): with a
   * million grants the checks cost MariaDB about 2 µs a row, an eighth of the import
   * (docs/performance.md). Safe here because the import itself proves every reference it
   * writes, and nothing in the product deletes the carriers, agents, entities or allocations
   * referred to. SQLite is left alone: its foreign_keys pragma cannot change inside a transaction.
   */
  private async withoutForeignKeyChecks(write: () => Promise<void>): Promise<void> {
    if (dialectOf(this.manager) !== 'mysql') {
      await write();
      return;
    }
    await this.manager.query('SET SESSION foreign_key_checks = 0');
    try {
      await write();
    } catch (error) {
      // The write's failure is the one reported; one in putting the checks back is logged.
      await this.restoreForeignKeyChecks().catch((restoreError: unknown) =>
        logger().error({ err: restoreError }, 'import: turning foreign-key checks back on after a failure'),
      );
      throw error;
    }
    await this.restoreForeignKeyChecks();
  }

  /**
   * Tried twice (a statement killed or timed out on a live connection is worth one more try);
   * after that the connection is closed, so the pool never hands it out without the checks.
   */
  private async restoreForeignKeyChecks(): Promise<void> {
    try {
      await this.manager.query('SET SESSION foreign_key_checks = 1');
    } catch {
      try {
        await this.manager.query('SET SESSION foreign_key_checks = 1');
      } catch (error) {
        if (this.manager.queryRunner) discardConnection(this.manager.queryRunner);
        throw error;
      }
    }
  }

  /** Whether a chain rooted at this carrier may be written by this import (always, unless confined to a carrier). */
  private inScope(rootCarrierId: number | null): boolean {
    return this.carrier === null || rootCarrierId === this.carrier.id;
  }

  private reportOutOfScope(label: string, row: AllocationRow): void {
    this.report({
      file: label,
      line: row.line,
      column: 'holder',
      value: row.holderAgent,
      code: 'scope.outside_chain',
      params: { carrier: this.carrier!.code },
    });
  }

  /**
   * Agents and entities are one registry shared by every carrier: a carrier user's import may add
   * new ones, but a change to one already stored would change what other carriers see, so it is
   * refused (an administrator makes it).
   */
  private async loadSharedRegistry(): Promise<void> {
    for (const a of await this.manager.find(Agent)) {
      this.sharedRegistry.set(`a:${a.uscc}`, {
        name: a.name,
        licence_no: a.licenceNo,
        contact: a.contact,
        address: a.address,
      });
    }
    const signatures = new Map<number, string[]>();
    for (const s of await this.manager.find(Signature)) pushTo(signatures, s.entityId, s.text);
    for (const e of await this.manager.find(UsingEntity)) {
      this.sharedRegistry.set(`e:${e.uscc}`, {
        name: e.name,
        kind: e.kind,
        signatures: [...(signatures.get(e.id) ?? [])].sort().join('|'),
      });
    }
  }

  private checkSharedRegistry(row: RowReader, key: string, values: Record<string, string | null>): void {
    const stored = this.sharedRegistry.get(key);
    if (!stored) return;
    const changed = Object.keys(values).find((column) => values[column] !== stored[column]);
    if (changed) row.issue(changed, values[changed], 'scope.shared_registry', { stored: stored[changed] ?? '' });
  }

  private reportDuplicate(label: string, row: AllocationRow, firstLine: number): void {
    this.report({
      file: label,
      line: row.line,
      column: 'prefix',
      value: row.prefix,
      code: 'row.duplicate_key',
      params: { first: firstLine },
    });
  }

  /** Every agent's holdings: those already stored, overridden by this file's rows with the same key. */
  private async loadHoldings(agentRows: AllocationRow[]): Promise<Map<string, Holding[]>> {
    const byKey = new Map<string, Holding & { holder: string }>();
    const stored = await this.manager
      .createQueryBuilder(Allocation, 'a')
      .select(['a.id', 'a.prefix', 'a.lesseeUscc', 'a.validFrom', 'a.validTo', 'a.level', 'a.rootCarrierId'])
      .where("a.lessee_kind = 'agent'")
      .getMany();
    for (const a of stored) {
      const key = `${a.prefix}|${a.lesseeUscc}|${a.validFrom}`;
      byKey.set(key, {
        key,
        holder: a.lesseeUscc,
        prefix: a.prefix,
        validFrom: a.validFrom,
        validTo: a.validTo ?? FAR_FUTURE,
        id: a.id,
        level: a.level,
        rootCarrierId: a.rootCarrierId,
        row: null,
      });
    }
    for (const row of agentRows) {
      const storedId = byKey.get(row.key)?.id ?? null;
      byKey.set(row.key, {
        key: row.key,
        holder: row.lesseeUscc,
        prefix: row.prefix,
        validFrom: row.validFrom,
        validTo: row.validTo ?? FAR_FUTURE,
        id: storedId,
        level: null,
        rootCarrierId: null,
        row,
      });
    }
    const holdings = new Map<string, Holding[]>();
    for (const holding of byKey.values()) pushTo(holdings, holding.holder, holding);
    return holdings;
  }

  /** Gives each agent-held row of the file its parent and level, parents first. */
  private linkAgentRows(
    label: string,
    agentRows: AllocationRow[],
    holdings: Map<string, Holding[]>,
    badLines: Set<number>,
  ): void {
    const holdingOf = new Map<string, Holding>();
    for (const list of holdings.values()) for (const h of list) if (h.row) holdingOf.set(h.key, h);
    let unresolved = agentRows.filter((r) => !badLines.has(r.line));
    for (const row of unresolved) {
      if (row.holderCarrier)
        Object.assign(holdingOf.get(row.key)!, {
          level: 1,
          parentKey: null,
          rootCarrierId: this.carriers.get(row.holderCarrier) ?? null,
        });
    }
    unresolved = unresolved.filter((r) => !r.holderCarrier);
    let progressed = true;
    while (unresolved.length && progressed) {
      progressed = false;
      const waiting: AllocationRow[] = [];
      for (const row of unresolved) {
        const parent = findParent(holdings, row);
        if (!parent) {
          badLines.add(row.line);
          this.report({
            file: label,
            line: row.line,
            column: 'prefix',
            value: row.prefix,
            code: 'allocation.not_within_holder',
            params: { holder: row.holderAgent!, date: row.validFrom },
          });
          progressed = true;
        } else if (parent.level !== null && (parent.row === null || !badLines.has(parent.row.line))) {
          Object.assign(holdingOf.get(row.key)!, {
            level: parent.level + 1,
            parentKey: parent.key,
            rootCarrierId: parent.rootCarrierId,
          });
          if (!this.inScope(parent.rootCarrierId)) {
            badLines.add(row.line);
            this.reportOutOfScope(label, row);
          }
          progressed = true;
        } else if (parent.row && badLines.has(parent.row.line)) {
          // Its parent is itself refused: that report names the cause; do not pile on.
          badLines.add(row.line);
          progressed = true;
        } else {
          waiting.push(row);
        }
      }
      unresolved = waiting;
    }
    for (const row of unresolved) {
      badLines.add(row.line);
      this.report({ file: label, line: row.line, column: 'holder', value: row.holderAgent, code: 'allocation.cycle' });
    }
  }

  private async writeAgentRows(rows: AllocationRow[], holdings: Map<string, Holding[]>): Promise<void> {
    if (!this.writing || rows.length === 0) return;
    const byKey = new Map<string, Holding>();
    for (const list of holdings.values()) for (const h of list) byKey.set(h.key, h);
    const levels = [...new Set(rows.map((r) => byKey.get(r.key)!.level!))].sort((a, b) => a - b);
    for (const level of levels) {
      const atLevel = rows.filter((r) => byKey.get(r.key)!.level === level);
      for (let i = 0; i < atLevel.length; i += BATCH_ROWS) {
        const chunk = atLevel.slice(i, i + BATCH_ROWS);
        const values = chunk.map((r) => {
          const holding = byKey.get(r.key)!;
          const parentId = holding.parentKey ? byKey.get(holding.parentKey)!.id : null;
          return this.allocationValues(r, parentId, level, holding.rootCarrierId!);
        });
        await this.manager
          .createQueryBuilder()
          .insert()
          .into(Allocation)
          .values(values)
          .orUpdate(ALLOCATION_UPDATE_COLUMNS, ['prefix', 'lessee_uscc', 'valid_from'])
          .updateEntity(false)
          .execute();
        const prefixes = [...new Set(chunk.map((r) => r.prefix))];
        const written = await this.manager
          .createQueryBuilder(Allocation, 'a')
          .select(['a.id', 'a.prefix', 'a.lesseeUscc', 'a.validFrom'])
          .where('a.prefix IN (:...prefixes)', { prefixes })
          .getMany();
        for (const a of written) {
          const holding = byKey.get(`${a.prefix}|${a.lesseeUscc}|${a.validFrom}`);
          if (holding) holding.id = a.id;
        }
      }
    }
  }

  private allocationValues(
    row: AllocationRow,
    parentId: number | null,
    level: number,
    rootCarrierId: number,
  ): Partial<Allocation> {
    return {
      prefix: row.prefix,
      holderCarrierId: row.holderCarrier ? this.carriers.get(row.holderCarrier)! : null,
      holderAgentId: row.holderAgent ? this.agents.get(row.holderAgent)! : null,
      lesseeKind: row.lesseeKind,
      lesseeUscc: row.lesseeUscc,
      lesseeAgentId: row.lesseeKind === 'agent' ? this.agents.get(row.lesseeUscc)! : null,
      lesseeEntityId: row.lesseeKind === 'entity' ? this.entities.get(row.lesseeUscc)! : null,
      validFrom: row.validFrom,
      validTo: row.validTo,
      miitFilingNo: row.miitFilingNo,
      declared: row.declared,
      parentId,
      level,
      rootCarrierId,
    };
  }

  private async importMessages(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.batcher(Message, ['natural_key'], ['external_id', 'sender', 'sent_at', 'content', 'recipient']);
    await this.eachRow(table, (row) => {
      const externalId = row.optional('id', 64);
      const sender = row.number106('sender', 'number');
      const sentAt = row.timestamp('sent_at', true);
      const content = row.required('content', 5000);
      let recipient: string | null = null;
      const recipientRaw = row.raw('recipient');
      if (recipientRaw !== '') {
        const phone = normalisePhone(recipientRaw);
        if (phone.ok) {
          recipient = phone.value;
        } else {
          // docs/dataset-format.md#values: an optional field that does not parse is kept,
          // normalised where it can be, and reported.
          const kept = compactPhone(recipientRaw);
          if ([...kept].length <= RECIPIENT_MAX) {
            recipient = kept;
            row.warning('recipient', recipientRaw, phone.code);
          } else {
            row.warning('recipient', recipientRaw, 'recipient.not_kept', { max: RECIPIENT_MAX });
          }
        }
      }
      if (row.bad) return;
      const naturalKey =
        externalId !== null ? `id:${externalId}` : `h:${sha256([sender!, sentAt!.toISOString(), content!])}`;
      if (!unique(row, naturalKey, externalId !== null ? 'id' : 'content', externalId ?? content!)) return;
      return batch.add({
        externalId,
        naturalKey,
        sender: sender!,
        sentAt: sentAt!,
        content: content!,
        recipient,
      } as Message);
    });
    await batch.flush();
  }

  private async importComplaints(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.batcher(
      Complaint,
      ['natural_key'],
      ['external_id', 'sender', 'reported_at', 'received_at', 'loss_yuan', 'region', 'summary'],
    );
    await this.eachRow(table, (row) => {
      const externalId = row.optional('id', 64);
      const sender = row.number106('sender', 'number');
      const reportedAt = row.timestamp('reported_at', true);
      const receivedAt = row.timestamp('received_at', false);
      const lossRaw = row.raw('loss_yuan');
      let lossYuan: string | null = null;
      if (lossRaw !== '') {
        if (/^\d{1,12}(\.\d{1,2})?$/.test(lossRaw)) lossYuan = Number(lossRaw).toFixed(2);
        else row.issue('loss_yuan', lossRaw, 'complaint.bad_amount');
      }
      const region = row.optional('region', 100);
      const summary = row.optional('summary', 5000);
      if (row.bad) return;
      const naturalKey =
        externalId !== null
          ? `id:${externalId}`
          : `h:${sha256([sender!, reportedAt!.toISOString(), receivedAt?.toISOString() ?? '', lossYuan ?? '', region ?? '', summary ?? ''])}`;
      if (!unique(row, naturalKey, externalId !== null ? 'id' : 'sender', externalId ?? sender!)) return;
      return batch.add({
        externalId,
        naturalKey,
        sender: sender!,
        reportedAt: reportedAt!,
        receivedAt,
        lossYuan,
        region,
        summary,
      } as Complaint);
    });
    await batch.flush();
  }

  /**
   * Reference data is also edited in the browser under optimistic locking, so an import that
   * changes a row must bump its version (an edit form made before the import is then refused)
   * and one that changes nothing must not. These tables are small: rows are compared one by one.
   */
  private referenceBatcher<T extends ObjectLiteral>(target: EntityTarget<T>, key: string, fields: string[]) {
    const batch = this.batcher(target, [key], fields);
    let pending: T[] = [];
    const flush = async () => {
      if (!this.writing || pending.length === 0) {
        pending = [];
        return;
      }
      const stored = await this.manager
        .getRepository(target)
        .createQueryBuilder('r')
        .where(`r.${key} IN (:...keys)`, { keys: pending.map((row) => row[key]) })
        .getMany();
      const byKey = new Map(stored.map((row) => [row[key], row]));
      for (const row of pending) {
        const current = byKey.get(row[key]);
        if (!current) await batch.add(row);
        else if (fields.some((field) => JSON.stringify(current[field]) !== JSON.stringify(row[field]))) {
          const values = Object.fromEntries(fields.map((field) => [field, row[field]]));
          await this.manager
            .createQueryBuilder()
            .update(target)
            .set({ ...values, version: () => 'version + 1' } as never)
            .where('id = :id', { id: current.id })
            .execute();
        }
      }
      await batch.flush();
      pending = [];
    };
    return {
      add: async (row: T) => {
        pending.push(row);
        if (pending.length >= BATCH_ROWS) await flush();
      },
      flush,
    };
  }

  private async importProtectedSenders(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.referenceBatcher(ProtectedSender, 'name', ['uscc', 'aliases']);
    await this.eachRow(table, async (row) => {
      const name = row.required('name', 100);
      const uscc = row.uscc('uscc', false);
      const aliases = [...new Set(splitList(row.raw('aliases')))];
      for (const alias of aliases)
        if ([...alias].length > 100) row.issue('aliases', alias, 'cell.too_long', { max: 100 });
      if (row.bad || name === null || !unique(row, name, 'name', name)) return;
      await batch.add({ name, uscc, aliases } as ProtectedSender);
    });
    await batch.flush();
  }

  private async importUrlLists(table: DatasetTable): Promise<void> {
    const unique = this.duplicateCheck();
    const batch = this.referenceBatcher(UrlListEntry, 'domain', ['list', 'note']);
    await this.eachRow(table, async (row) => {
      const raw = row.required('domain', 253);
      const domain = raw === null ? null : normaliseDomain(raw);
      if (raw !== null && domain === null) row.issue('domain', raw, 'url_list.bad_domain');
      const list = row.required('list', 5);
      if (list !== null && list !== 'allow' && list !== 'block') row.issue('list', list, 'url_list.bad_list');
      const note = row.optional('note', 500);
      if (row.bad || domain === null || !unique(row, domain, 'domain', raw!)) return;
      await batch.add({ domain, list: list as 'allow' | 'block', note } as UrlListEntry);
    });
    await batch.flush();
  }
}

const ALLOCATION_UPDATE_COLUMNS = [
  'holder_carrier_id',
  'holder_agent_id',
  'lessee_kind',
  'lessee_agent_id',
  'lessee_entity_id',
  'valid_to',
  'miit_filing_no',
  'declared',
  'parent_id',
  'level',
  'root_carrier_id',
];

/**
 * The allocation through which the row's holder held an enclosing prefix on its valid_from:
 * the most specific one (longest prefix), and among equals the latest granted.
 */
function findParent(holdings: Map<string, Holding[]>, row: AllocationRow): Holding | null {
  let best: Holding | null = null;
  for (const h of holdings.get(row.holderAgent!) ?? []) {
    if (h.key === row.key || !row.prefix.startsWith(h.prefix)) continue;
    if (h.validFrom > row.validFrom || h.validTo < row.validFrom) continue;
    if (
      !best ||
      h.prefix.length > best.prefix.length ||
      (h.prefix.length === best.prefix.length && h.validFrom > best.validFrom)
    )
      best = h;
  }
  return best;
}

async function* batchesOf(table: DatasetTable): AsyncIterable<SourceRecord[]> {
  if (table.recordBatches) {
    yield* table.recordBatches();
    return;
  }
  for await (const record of table.records()) yield [record];
}

/** A header longer than limits.ts allows, its cells and the commas between them counted. */
function headerTooLong(record: SourceRecord): boolean {
  return record.cells.reduce((chars, cell) => chars + cell.length + 1, -1) > DATASET_LIMITS.headerChars;
}

/** The header's name of the column at `index`, null where the header names none there. */
function columnAt(columns: Map<string, number>, index: number): string | null {
  for (const [name, at] of columns) if (at === index) return name;
  return null;
}

function headerColumns(record: SourceRecord): Map<string, number> {
  const columns = new Map<string, number>();
  record.cells.forEach((cell, index) => {
    const name = normaliseHeader(cell);
    if (name !== '' && !columns.has(name)) columns.set(name, index);
  });
  return columns;
}

/**
 * What readHeader reports of a header, found without reporting it: its duplicate cells, unknown columns (trimmed) and
 * missing required ones, and whether it is accepted (none duplicated, none missing).
 */
function checkHeader(record: SourceRecord, spec: { required: readonly string[]; optional: readonly string[] }) {
  const columns = headerColumns(record);
  const duplicates: string[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const cell of record.cells) {
    const name = normaliseHeader(cell);
    if (name === '') continue;
    if (seen.has(name)) duplicates.push(cell);
    seen.add(name);
    if (!spec.required.includes(name) && !spec.optional.includes(name)) unknown.push(cell.trim());
  }
  const missing = spec.required.filter((name) => !columns.has(name));
  return { columns, duplicates, unknown, missing, accepted: duplicates.length === 0 && missing.length === 0 };
}

function normaliseHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

function splitList(value: string): string[] {
  return value
    .split('|')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function stripSignatureBrackets(signature: string): string {
  return signature
    .replace(/^[【[]/, '')
    .replace(/[】\]]$/, '')
    .trim();
}

function sha256(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
