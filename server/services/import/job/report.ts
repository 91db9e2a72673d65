/**
 * What an import reports: its issues, the summary kept of an accepted dataset, its progress, and
 * the options it is run with. importer.ts exports these to the rest of the code; the passes in
 * this folder fill them.
 */

/** One thing wrong with a dataset: where (file, line, column), what was there, and why (an i18n code). */
export interface ImportIssue {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  code: string;
  params?: Record<string, string | number>;
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
  /**
   * A carrier user's import: confined to that carrier (the scope.* issues: its own carrier's
   * rows and chains only, no change to the shared registry, no reference data).
   */
  carrier?: { id: number; code: string } | null;
}

/**
 * Problems kept for the report (CLI output and the web page); past this they are counted and the
 * report says how many more there are. 100,000 lines is more than anyone reads, and a broken
 * million-row file must not exhaust memory describing itself.
 */
export const MAX_REPORTED_ISSUES = 100_000;
