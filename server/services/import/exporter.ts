import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
import { csvRecord, type CsvOptions } from '../../dataset/csvWriter.ts';
import { DATASET_FILES, exportColumns, type DatasetFile } from '../../dataset/tables.ts';
import { formatShanghai } from '../../numbering/time.ts';
import { pushTo } from '../../util/pushTo.ts';
import { CORPUS_COLUMNS, labelRows } from '../audit/messageLabels.ts';
import { UserError } from '../../errors.ts';

const PAGE_ROWS = 5_000;

export interface ExportSummary {
  directory: string;
  files: Array<{ file: string; rows: number }>;
}

export interface ExportOptions {
  pageRows?: number;
  /** Write into a directory that already holds files, replacing the dataset files there. */
  force?: boolean;
  /** Neutralise formula-like cells (docs/dataset-format.md); the files then no longer round-trip exactly. */
  safeForExcel?: boolean;
}

/** The export was refused before anything was written; `code` is an i18n key under `export.`. */
export class ExportError extends UserError {
  constructor(
    readonly code: string,
    override readonly params: Record<string, string> = {},
  ) {
    super(400, code, params);
  }
}

/**
 * Writes the store as a dataset (docs/dataset-format.md) into `directory`, one CSV per file, rows
 * in natural-key order, so that importing the result into an empty store and exporting again gives
 * the same bytes. A directory that holds anything is refused unless `force`, so an earlier export
 * or someone's other files are not overwritten by mistake.
 */
export async function exportDataset(
  dataSource: DataSource,
  directory: string,
  options: ExportOptions = {},
): Promise<ExportSummary> {
  const pageRows = options.pageRows ?? PAGE_ROWS;
  const csv: CsvOptions = { safeForExcel: options.safeForExcel ?? false };
  await checkTarget(directory, options.force ?? false);
  await mkdir(directory, { recursive: true });
  const summary: ExportSummary = { directory, files: [] };
  const parties = await partyKeys(dataSource);
  const writers: Record<DatasetFile, (write: (cells: Array<string | null>) => Promise<void>) => Promise<void>> = {
    carriers: async (write) => {
      for (const c of await dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } }))
        await write([c.code, c.name]);
    },
    agents: async (write) => {
      for (const a of await dataSource.getRepository(Agent).find({ order: { uscc: 'ASC' } }))
        await write([a.uscc, a.name, a.licenceNo, a.contact, a.address]);
    },
    entities: async (write) => {
      const signatures = new Map<number, string[]>();
      for (const s of await dataSource.getRepository(Signature).find({ order: { id: 'ASC' } }))
        pushTo(signatures, s.entityId, s.text);
      for (const e of await dataSource.getRepository(UsingEntity).find({ order: { uscc: 'ASC' } })) {
        await write([e.uscc, e.name, (signatures.get(e.id) ?? []).join('|'), e.kind]);
      }
    },
    allocations: async (write) => {
      await pages(
        dataSource.getRepository(Allocation).createQueryBuilder('a'),
        ['a.prefix', 'a.lesseeUscc', 'a.validFrom'],
        pageRows,
        async (a: Allocation) => {
          const holder =
            a.holderCarrierId !== null
              ? parties.carriers.get(a.holderCarrierId)!
              : parties.agents.get(a.holderAgentId!)!;
          await write([
            a.prefix,
            holder,
            a.lesseeUscc,
            a.validFrom,
            a.validTo,
            a.miitFilingNo,
            a.declared ? 'true' : 'false',
          ]);
        },
      );
    },
    messages: async (write) => {
      await pages(
        dataSource.getRepository(Message).createQueryBuilder('m'),
        ['m.naturalKey'],
        pageRows,
        async (m: Message) => {
          await write([m.externalId, m.sender, formatShanghai(m.sentAt), m.content, m.recipient]);
        },
      );
    },
    complaints: async (write) => {
      await pages(
        dataSource.getRepository(Complaint).createQueryBuilder('c'),
        ['c.naturalKey'],
        pageRows,
        async (c: Complaint) => {
          await write([
            c.externalId,
            c.sender,
            formatShanghai(c.reportedAt),
            c.receivedAt ? formatShanghai(c.receivedAt) : null,
            c.lossYuan === null ? null : Number(c.lossYuan).toFixed(2),
            c.region,
            c.summary,
          ]);
        },
      );
    },
    protected_senders: async (write) => {
      for (const p of await dataSource.getRepository(ProtectedSender).find({ order: { name: 'ASC' } }))
        await write([p.name, p.uscc, p.aliases.join('|')]);
    },
    url_lists: async (write) => {
      for (const u of await dataSource.getRepository(UrlListEntry).find({ order: { domain: 'ASC' } }))
        await write([u.domain, u.list, u.note]);
    },
    issuers: async (write) => {
      for (const i of await dataSource.getRepository(Issuer).find({ order: { code: 'ASC' } })) {
        const carrier = i.carrierId === null ? null : parties.carriers.get(i.carrierId)!;
        await write([i.code, i.name, carrier, i.signatory, i.copyTo, i.printedBy]);
      }
    },
  };
  for (const file of DATASET_FILES) {
    summary.files.push({
      file: `${file}.csv`,
      rows: await writeCsvFile(path.join(directory, `${file}.csv`), exportColumns(file), csv, writers[file]),
    });
  }
  // Staff labels are not dataset data (the importer passes over the file): regression cases in
  // the real-world corpus's format, written only when there are any.
  const labels = await labelRows(dataSource);
  if (labels.length > 0) {
    const rows = await writeCsvFile(path.join(directory, LABELS_FILE), [...CORPUS_COLUMNS], csv, async (write) => {
      for (const row of labels) await write(CORPUS_COLUMNS.map((column) => row[column]));
    });
    summary.files.push({ file: LABELS_FILE, rows });
  } else {
    // Over an earlier export (force), an old labels file would read as this store's labels.
    await rm(path.join(directory, LABELS_FILE), { force: true });
  }
  return summary;
}

async function checkTarget(directory: string, force: boolean): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new ExportError('export.not_a_directory', { directory });
    throw error;
  }
  if (entries.length > 0 && !force)
    throw new ExportError('export.directory_not_empty', { directory, count: String(entries.length) });
}

/** Writes one CSV file: the header, then every row `writeRows` hands over; returns the row count. */
async function writeCsvFile(
  target: string,
  header: string[],
  csv: CsvOptions,
  writeRows: (write: (cells: Array<string | null>) => Promise<void>) => Promise<void>,
): Promise<number> {
  const handle = await open(target, 'w');
  let rows = 0;
  try {
    await handle.write(csvRecord(header, csv));
    await writeRows(async (cells) => {
      rows++;
      await writeBuffered(handle, csvRecord(cells, csv));
    });
    await flushBuffered(handle);
  } finally {
    await handle.close();
  }
  return rows;
}

/** The file `exportDataset` writes staff labels to. */
export const LABELS_FILE = 'message_labels.csv';

async function partyKeys(dataSource: DataSource) {
  const carriers = new Map<number, string>();
  const agents = new Map<number, string>();
  for (const c of await dataSource.getRepository(Carrier).find()) carriers.set(c.id, c.code);
  for (const a of await dataSource.getRepository(Agent).find({ select: { id: true, uscc: true } }))
    agents.set(a.id, a.uscc);
  return { carriers, agents };
}

/**
 * Walks a table in the order of a unique key, a page at a time (keyset pagination: no OFFSET,
 * so the millionth row costs what the first did).
 */
async function pages<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  keyColumns: string[],
  pageRows: number,
  each: (row: T) => Promise<void>,
): Promise<void> {
  const alias = query.alias;
  const properties = keyColumns.map((c) => c.slice(alias.length + 1));
  let last: unknown[] | null = null;
  for (;;) {
    const page = query.clone();
    keyColumns.forEach((column, i) => (i === 0 ? page.orderBy(column, 'ASC') : page.addOrderBy(column, 'ASC')));
    if (last) {
      // (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …: "after the last row" for a composite key.
      const params: Record<string, unknown> = {};
      const alternatives = keyColumns.map((_, i) => {
        const parts = keyColumns.slice(0, i).map((column, j) => {
          params[`k${j}`] = last![j];
          return `${column} = :k${j}`;
        });
        params[`k${i}`] = last![i];
        return `(${[...parts, `${keyColumns[i]} > :k${i}`].join(' AND ')})`;
      });
      page.where(alternatives.join(' OR '), params);
    }
    const rows = await page.take(pageRows).getMany();
    for (const row of rows) await each(row);
    if (rows.length < pageRows) return;
    const lastRow = rows[rows.length - 1] as Record<string, unknown>;
    last = properties.map((p) => lastRow[p]);
  }
}

const buffers = new WeakMap<FileHandle, string[]>();

async function writeBuffered(handle: FileHandle, text: string): Promise<void> {
  const buffer = buffers.get(handle) ?? [];
  buffers.set(handle, buffer);
  buffer.push(text);
  if (buffer.length >= 1000) await flushBuffered(handle);
}

async function flushBuffered(handle: FileHandle): Promise<void> {
  const buffer = buffers.get(handle);
  if (buffer?.length) await handle.write(buffer.join(''));
  buffers.set(handle, []);
}
