import type { DatasetTable, SourceRecord } from '../../../dataset/readers.ts';
import { DATASET_LIMITS } from '../../../dataset/limits.ts';

/** The columns a file must have and those it may have (dataset/tables.ts TABLE_SPECS). */
export interface HeaderSpec {
  required: readonly string[];
  optional: readonly string[];
}

/** A table's records, a batch at a time where the reader gives batches. */
export async function* batchesOf(table: DatasetTable): AsyncIterable<SourceRecord[]> {
  if (table.recordBatches) {
    yield* table.recordBatches();
    return;
  }
  for await (const record of table.records()) yield [record];
}

/** A header longer than limits.ts allows, its cells and the commas between them counted. */
export function headerTooLong(record: SourceRecord): boolean {
  return record.cells.reduce((chars, cell) => chars + cell.length + 1, -1) > DATASET_LIMITS.headerChars;
}

/** The header's name of the column at `index`, null where the header names none there. */
export function columnAt(columns: Map<string, number>, index: number): string | null {
  for (const [name, at] of columns) if (at === index) return name;
  return null;
}

export function headerColumns(record: SourceRecord): Map<string, number> {
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
export function checkHeader(record: SourceRecord, spec: HeaderSpec) {
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

export function normaliseHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}
