/**
 * How large the parts of a dataset may be. A few megabytes of upload can otherwise become
 * gigabytes in memory (a zip bomb, a one-line "header" of 50 MB) before a single row is checked,
 * and a summary too large for import_runs. Each limit is far above what any dataset file needs
 * (the longest stored cell is a 5,000-character message text).
 */
export const DATASET_LIMITS = {
  /** Characters in one cell: what Excel itself holds in a cell. */
  cellChars: 32_767,
  /** Characters in one record, all its cells together. */
  recordChars: 1024 * 1024,
  /** Characters in a header row: its unknown columns are listed in the import's summary. */
  headerChars: 4096,
  /** Bytes one part of an .xlsx archive (a sheet, the shared strings) may inflate to. */
  xlsxPartBytes: 512 * 1024 * 1024,
  /** Bytes all parts of an .xlsx archive may inflate to together. */
  xlsxTotalBytes: 1024 * 1024 * 1024,
  /** Parts of an .xlsx archive: a workbook of a hundred sheets has a few hundred. */
  xlsxParts: 10_000,
  /**
   * Bytes of XML between two `<`: a cell's text, escaped (up to 6 bytes a character, `&quot;`),
   * fits well inside; a longer run is no cell exceljs should build a string of.
   */
  xlsxTextBytes: 256 * 1024,
};
