/**
 * The dataset files (docs/dataset-format.md#files): names, columns and which are required. This is
 * a public interface: columns may be added, never renamed or removed.
 */
export const DATASET_FILES = [
  'carriers',
  'agents',
  'entities',
  'allocations',
  'messages',
  'complaints',
  'protected_senders',
  'url_lists',
  // Last: its `carrier` names carriers the same dataset may bring (docs/dataset-format.md#issuers).
  'issuers',
] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];

export interface TableSpec {
  required: readonly string[];
  optional: readonly string[];
}

export const TABLE_SPECS: Record<DatasetFile, TableSpec> = {
  carriers: { required: ['code', 'name'], optional: [] },
  agents: { required: ['uscc', 'name'], optional: ['licence_no', 'contact', 'address'] },
  entities: { required: ['uscc', 'name'], optional: ['signatures', 'kind'] },
  allocations: {
    required: ['prefix', 'holder', 'lessee', 'valid_from'],
    optional: ['valid_to', 'miit_filing_no', 'declared'],
  },
  messages: { required: ['sender', 'sent_at', 'content'], optional: ['id', 'recipient'] },
  complaints: {
    required: ['sender', 'reported_at'],
    optional: ['id', 'received_at', 'loss_yuan', 'region', 'summary'],
  },
  protected_senders: { required: ['name'], optional: ['uscc', 'aliases'] },
  url_lists: { required: ['domain', 'list'], optional: ['note'] },
  issuers: { required: ['code', 'name', 'signatory', 'printed_by'], optional: ['carrier', 'copy_to'] },
};

/** A row every cell of which is empty once trimmed: the importer passes over it, before the header and after. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/** Column order used when writing a dataset (export): required first, as docs/dataset-format.md#files lists them. */
export function exportColumns(file: DatasetFile): string[] {
  const order: Record<DatasetFile, string[]> = {
    carriers: ['code', 'name'],
    agents: ['uscc', 'name', 'licence_no', 'contact', 'address'],
    entities: ['uscc', 'name', 'signatures', 'kind'],
    allocations: ['prefix', 'holder', 'lessee', 'valid_from', 'valid_to', 'miit_filing_no', 'declared'],
    messages: ['id', 'sender', 'sent_at', 'content', 'recipient'],
    complaints: ['id', 'sender', 'reported_at', 'received_at', 'loss_yuan', 'region', 'summary'],
    protected_senders: ['name', 'uscc', 'aliases'],
    url_lists: ['domain', 'list', 'note'],
    issuers: ['code', 'name', 'carrier', 'signatory', 'copy_to', 'printed_by'],
  };
  return order[file];
}

/** `allocations.csv` or an XLSX sheet called `allocations` / `allocations.csv` → the file it is. */
export function datasetFileOf(name: string): DatasetFile | null {
  const base = name
    .trim()
    .toLowerCase()
    .replace(/\.csv$/, '');
  return (DATASET_FILES as readonly string[]).includes(base) ? (base as DatasetFile) : null;
}
