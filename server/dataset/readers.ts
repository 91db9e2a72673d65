import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { CsvSyntaxError, csvBatches } from './csvParser.ts';
import { sieveCsv, type SievedCsv } from './csvSieve.ts';
import { DATASET_LIMITS } from './limits.ts';
import { checkWorkbookArchive, WorkbookArchiveRefused } from './xlsxArchive.ts';
import { DATASET_FILES, datasetFileOf, type DatasetFile } from './tables.ts';
import { UserError } from '../errors.ts';
import { t, type Locale } from '../i18n/index.ts';

/** One record of a dataset file: its 1-based first line (CSV) or row number (XLSX). */
export interface SourceRecord {
  line: number;
  cells: string[];
  /** Bytes of the file read so far, where the reader knows it (CSV): drives the progress bar. */
  bytesRead?: number;
}

/** A file (or sheet) of a dataset that can be read from the start as often as needed. */
export interface DatasetTable {
  file: DatasetFile;
  /** How the user knows it: `allocations.csv`, or `demo.xlsx: allocations`. */
  label: string;
  sizeBytes: number | null;
  /** The header first, then the rows. Throws DatasetSyntaxError where the file cannot be parsed. */
  records(): AsyncIterable<SourceRecord>;
  /**
   * The same records, as many at a time as the reader has ready (CSV): a million-row file is
   * then a few thousand awaits instead of a million.
   */
  recordBatches?(): AsyncIterable<SourceRecord[]>;
  /**
   * Only the records whose cell in one column passes a test, the others counted (CSV: see
   * sieveCsv, which answers null for a file it leaves to the full parser).
   */
  sieve?(
    choose: (header: SourceRecord) => number | null,
    keep: (cell: string) => boolean,
    progress?: (bytesRead: number, rows: number) => void,
  ): Promise<SievedCsv | null>;
}

export interface Dataset {
  name: string;
  tables: DatasetTable[];
  /** Files present that are not part of the format: reported, not refused. */
  ignoredFiles: string[];
}

/**
 * The file cannot be read as CSV/XLSX past `line`: the rest of that file is not examined. `params`
 * fill the code's message: a CSV fault (csvParser.ts) and the character it names, or the
 * workbook reader's own words. `cell`: the 0-based position in its row of the cell at fault, for
 * a cell or row too long (limits.ts).
 */
export class DatasetSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly code: string,
    readonly params: Record<string, string>,
    readonly cell: number | null = null,
  ) {
    super(`${code} at line ${line}: ${JSON.stringify(params)}`);
  }
}

/** A cell or a row past limits.ts: the reader stops there, before it holds more of it. */
function tooLong(line: number, what: 'cell' | 'record', cell: number): DatasetSyntaxError {
  const max = what === 'cell' ? DATASET_LIMITS.cellChars : DATASET_LIMITS.recordChars;
  return new DatasetSyntaxError(line, `${what}.over_limit`, { max: String(max), position: String(cell + 1) }, cell);
}

/** The dataset as a whole cannot be opened (no such path, no dataset files, a workbook that cannot be read, …). */
export class DatasetOpenError extends UserError {
  constructor(
    readonly code: string,
    readonly subject: string,
    override readonly params: Record<string, string> = {},
  ) {
    super(400, `issue.${code}`, params, {
      message: `${code}: ${subject}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`,
    });
  }

  /** The catalogue's message names the file or folder. */
  override text(locale: Locale): string {
    return t(locale, this.messageKey, { ...this.params, subject: this.subject });
  }
}

/** A directory of CSV files, or one .xlsx workbook. */
export async function openDataset(location: string): Promise<Dataset> {
  let info;
  try {
    info = await stat(location);
  } catch {
    throw new DatasetOpenError('dataset.not_found', location);
  }
  if (info.isDirectory()) return openCsvDirectory(location);
  if (location.toLowerCase().endsWith('.xlsx')) return openWorkbook(location);
  if (location.toLowerCase().endsWith('.csv')) return openCsvFiles([location], path.basename(location));
  throw new DatasetOpenError('dataset.unsupported', location);
}

async function openCsvDirectory(directory: string): Promise<Dataset> {
  const names = (await readdir(directory)).sort();
  const workbooks = names.filter((name) => name.toLowerCase().endsWith('.xlsx'));
  const csvs = names.filter((name) => name.toLowerCase().endsWith('.csv'));
  if (csvs.length === 0 && workbooks.length === 1) return openWorkbook(path.join(directory, workbooks[0]));
  return openCsvFiles(
    names.map((name) => path.join(directory, name)),
    path.basename(path.resolve(directory)),
  );
}

/** Several CSV files, named as docs/dataset-format.md#files says (an upload, or a directory's contents). */
export async function openCsvFiles(files: string[], name: string): Promise<Dataset> {
  const tables: DatasetTable[] = [];
  const ignoredFiles: string[] = [];
  for (const file of files) {
    const base = path.basename(file);
    const datasetFile = base.toLowerCase().endsWith('.csv') ? datasetFileOf(base) : null;
    if (!datasetFile) {
      ignoredFiles.push(base);
      continue;
    }
    if (tables.some((t) => t.file === datasetFile)) throw new DatasetOpenError('dataset.duplicate_file', base);
    const { size } = await stat(file);
    tables.push({
      file: datasetFile,
      label: base,
      sizeBytes: size,
      records: () => csvRecords(file),
      recordBatches: () => csvRecordBatches(file),
      sieve: (choose, keep, progress) => sieveCsv(createReadStream(file), choose, keep, progress),
    });
  }
  if (tables.length === 0) throw new DatasetOpenError('dataset.no_files', name);
  return { name, tables: sortTables(tables), ignoredFiles };
}

function sortTables(tables: DatasetTable[]): DatasetTable[] {
  return tables.sort((a, b) => DATASET_FILES.indexOf(a.file) - DATASET_FILES.indexOf(b.file));
}

async function* csvRecords(file: string): AsyncIterable<SourceRecord> {
  for await (const batch of csvRecordBatches(file)) yield* batch;
}

async function* csvRecordBatches(file: string): AsyncIterable<SourceRecord[]> {
  try {
    yield* csvBatches(createReadStream(file));
  } catch (error) {
    if (error instanceof CsvSyntaxError && (error.fault === 'cell_too_long' || error.fault === 'record_too_long')) {
      throw tooLong(error.line, error.fault === 'cell_too_long' ? 'cell' : 'record', error.cell ?? 0);
    }
    if (error instanceof CsvSyntaxError) {
      throw new DatasetSyntaxError(
        error.line,
        'csv.syntax',
        error.after === null ? { fault: error.fault } : { fault: error.fault, after: JSON.stringify(error.after) },
      );
    }
    throw error;
  }
}

/**
 * A workbook is read as a stream when its parts are in the usual order (workbook.xml before the
 * sheets). exceljs's streaming reader cannot name the sheets of a file whose sheets come first
 * (exceljs's own writer produces such files), so those are read whole instead.
 */
async function openWorkbook(file: string): Promise<Dataset> {
  const label = path.basename(file);
  try {
    await checkWorkbookArchive(file);
    try {
      return await openWorkbookStreaming(file);
    } catch (error) {
      if (!cannotNameSheets(error)) throw error;
      return await openWorkbookWhole(file);
    }
  } catch (error) {
    // Nothing of the workbook was read: the dataset cannot be opened, rather than one of its files read.
    if (error instanceof WorkbookArchiveRefused) throw new DatasetOpenError(error.code, label, error.params);
    if (error instanceof DatasetSyntaxError && error.code === 'xlsx.unreadable')
      throw new DatasetOpenError('dataset.xlsx_unreadable', label, error.params);
    throw error;
  }
}

/** exceljs, loaded for a workbook only: a CSV dataset, and the command line, do not pay for it. */
const excel = async (): Promise<typeof ExcelJS> => (await import('exceljs')).default;

async function openWorkbookWhole(file: string): Promise<Dataset> {
  const label = path.basename(file);
  const workbook = new (await excel()).Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch (error) {
    throw new DatasetSyntaxError(0, 'xlsx.unreadable', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  const tables: DatasetTable[] = [];
  const ignoredFiles: string[] = [];
  for (const sheet of workbook.worksheets) {
    const datasetFile = datasetFileOf(sheet.name);
    if (!datasetFile) {
      ignoredFiles.push(`${label}: ${sheet.name}`);
      continue;
    }
    if (tables.some((t) => t.file === datasetFile))
      throw new DatasetOpenError('dataset.duplicate_file', `${label}: ${sheet.name}`);
    tables.push({
      file: datasetFile,
      label: `${label}: ${sheet.name}`,
      sizeBytes: null,
      records: async function* () {
        for (let number = 1; number <= sheet.rowCount; number++) {
          yield rowRecord(number, sheet.getRow(number).values as unknown[]);
        }
      },
    });
  }
  if (tables.length === 0) throw new DatasetOpenError('dataset.no_sheets', label);
  return { name: label, tables: sortTables(tables), ignoredFiles };
}

/**
 * exceljs rows are 1-based sparse arrays: values[0] is always empty. Cells and rows are held to limits.ts as CSV's are.
 */
function rowRecord(line: number, values: unknown[]): SourceRecord {
  const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => cellText(values[i + 1]));
  let chars = 0;
  for (const [i, cell] of cells.entries()) {
    if (cell.length > DATASET_LIMITS.cellChars) throw tooLong(line, 'cell', i);
    chars += cell.length;
    if (chars > DATASET_LIMITS.recordChars) throw tooLong(line, 'record', i);
  }
  return { line, cells };
}

async function openWorkbookStreaming(file: string): Promise<Dataset> {
  const label = path.basename(file);
  const tables: DatasetTable[] = [];
  const ignoredFiles: string[] = [];
  for await (const sheet of workbookReader(file)) {
    const datasetFile = datasetFileOf(sheet.name);
    // Each sheet is read to the end to reach the next one; the rows are read again on demand.
    for await (const _ of sheet) {
      /* skip */
    }
    if (!datasetFile) {
      ignoredFiles.push(`${label}: ${sheet.name}`);
      continue;
    }
    if (tables.some((t) => t.file === datasetFile))
      throw new DatasetOpenError('dataset.duplicate_file', `${label}: ${sheet.name}`);
    const sheetName = sheet.name;
    tables.push({
      file: datasetFile,
      label: `${label}: ${sheetName}`,
      sizeBytes: null,
      records: () => sheetRecords(file, sheetName),
    });
  }
  if (tables.length === 0) throw new DatasetOpenError('dataset.no_sheets', label);
  return { name: label, tables: sortTables(tables), ignoredFiles };
}

interface SheetReader extends AsyncIterable<{ number: number; values: unknown[] }> {
  name: string;
}

async function* workbookReader(file: string): AsyncIterable<SheetReader> {
  const reader = new (await excel()).stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookReader>[1]);
  try {
    for await (const sheet of reader as unknown as AsyncIterable<SheetReader>) yield sheet;
  } catch (error) {
    if (error instanceof DatasetSyntaxError) throw error;
    throw new DatasetSyntaxError(0, 'xlsx.unreadable', {
      detail: error instanceof Error ? error.message : String(error),
    });
  }
}

/** exceljs's streaming reader cannot always name sheets (see openWorkbook): then read the whole file. */
const cannotNameSheets = (error: unknown) =>
  error instanceof DatasetSyntaxError && /reading 'sheets'/.test(error.params.detail);

async function* sheetRecords(file: string, sheetName: string): AsyncIterable<SourceRecord> {
  let yielded = 0;
  try {
    for await (const record of streamedSheetRecords(file, sheetName)) {
      yielded++;
      yield record;
    }
  } catch (error) {
    if (yielded > 0 || !cannotNameSheets(error)) throw error;
    const dataset = await openWorkbookWhole(file);
    const table = dataset.tables.find((t) => t.label === `${path.basename(file)}: ${sheetName}`);
    if (table) yield* table.records();
  }
}

async function* streamedSheetRecords(file: string, sheetName: string): AsyncIterable<SourceRecord> {
  for await (const sheet of workbookReader(file)) {
    if (sheet.name !== sheetName) {
      for await (const _ of sheet) {
        /* skip */
      }
      continue;
    }
    for await (const row of sheet) yield rowRecord(row.number, row.values);
  }
}

/** A spreadsheet cell as the text a CSV would hold. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Spreadsheet dates carry no zone: exceljs gives their wall-clock time as UTC fields.
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
  }
  if (typeof value === 'object') {
    const cell = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: string };
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if (cell.text !== undefined) return cellText(cell.text);
    if (cell.result !== undefined) return cellText(cell.result);
    if (cell.error !== undefined) return String(cell.error);
  }
  return String(value);
}
