/**
 * Writes CSV records (RFC 4180) for every CSV the product produces: the dataset export and the
 * web app's CSV downloads. docs/dataset-format.md ("Opening an export in a spreadsheet") states
 * the spreadsheet-safe rule below.
 */

export interface CsvOptions {
  /** Neutralise cells a spreadsheet would run as formulas (see spreadsheetSafe). */
  safeForExcel: boolean;
  lineEnd?: '\n' | '\r\n';
}

/** Spreadsheets read a cell starting with one of these as a formula ("CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A signed decimal (a negative amount, an E.164 recipient +8613800138000): read as a number, nothing runs. */
const SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/;

/** The cell as a spreadsheet will show it as text: one starting like a formula gets a leading `'`. */
export function spreadsheetSafe(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_NUMBER.test(text) ? `'${text}` : text;
}

/** One record: a cell with a comma, quote or line break is quoted, its quotes doubled; null is empty. */
export function csvRecord(cells: ReadonlyArray<string | null>, options: CsvOptions): string {
  return (
    cells
      .map((cell) => {
        const text = options.safeForExcel ? spreadsheetSafe(cell ?? '') : (cell ?? '');
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(',') + (options.lineEnd ?? '\n')
  );
}
