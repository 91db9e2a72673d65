/**
 * A quick read of a CSV file for the few records whose cell in one column passes a test, without
 * making the others' cells: the importer's first pass over a million allocations wants only the
 * thousand granted to agents, and making every cell of every row was nearly all of its time
 * (docs/performance.md, Import).
 *
 * It reads only UTF-8 files that need none of CSV's quoting: a UTF-16 file, or a file with a
 * quote or a carriage return anywhere, or a line longer in bytes than a cell may be in characters
 * (which the full parser measures), is left to the full parser (csvParser.ts), and the answer
 * is then null. In any other file a record is a line and a cell is what lies between commas,
 * which is exactly what the full parser makes of it; the records it gives back are the full
 * parser's, line numbers included.
 */
import { encodingOf, type CsvRecord } from './csvParser.ts';
import { DATASET_LIMITS } from './limits.ts';
import { isBlankRow } from './tables.ts';

export interface SievedCsv {
  /** The first record that is not blank, null when every line is blank. */
  header: CsvRecord | null;
  /** After the header, in file order: the records whose chosen cell passed, whole. */
  kept: CsvRecord[];
  /** After the header, how many records are not blank (those kept among them). */
  rows: number;
  bytesRead: number;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const SPACE = 32;

/** ASCII characters String.prototype.trim removes: tab, LF, vertical tab, form feed, CR, space. */
const isAsciiSpace = (c: number) => c === SPACE || (c >= 9 && c <= 13);

/** A UTF-8 line has no more characters than bytes: one within this cannot hold a cell too long. */
const MAX_LINE_BYTES = DATASET_LIMITS.cellChars;

/**
 * The file's header and the records after it whose cell in column `choose(header)` passes
 * `keep`; null when the file needs the full parser (UTF-16, or a quote or a carriage return in
 * it), or `choose` names no column. `keep` is given the cell as the full parser would have made it
 * (invalid UTF-8 as U+FFFD), untrimmed. A record is blank as the importer decides it
 * (isBlankRow); blank records count nowhere. `progress` hears of the bytes
 * read and the rows counted as the file is read.
 */
export async function sieveCsv(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  choose: (header: CsvRecord) => number | null,
  keep: (cell: string) => boolean,
  progress?: (bytesRead: number, rows: number) => void,
): Promise<SievedCsv | null> {
  // A line is decoded alone; the stream's decoder drops a BOM only at the start of the file, so
  // the line decoder keeps one found anywhere else, as that decoder does.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const result: SievedCsv = { header: null, kept: [], rows: 0, bytesRead: 0 };
  let column = -1;
  let line = 0;

  /** A line's cells, as the full parser makes them of a line without quotes. */
  const cellsOf = (bytes: Buffer, start: number, end: number) => decoder.decode(bytes.subarray(start, end)).split(',');

  /** One line's bytes, `start` to `end` (no LF, no quote, no CR): false when `choose` names no column. */
  const onLine = (bytes: Buffer, start: number, end: number): boolean => {
    line++;
    // Where the chosen cell lies, and whether the line can be blank (only commas and spaces,
    // or characters past ASCII, which may be spaces too and are then decided on the text).
    let cell = 0;
    let cellStart = column === 0 ? start : -1;
    let cellEnd = -1;
    let cellAscii = true;
    let plain = true;
    let wide = false;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c === COMMA) {
        // Past the chosen cell in a line known not to be blank, the rest does not matter.
        if (cell > column && !plain) break;
        cell++;
        if (cell === column) cellStart = i + 1;
        else if (cell === column + 1) cellEnd = i;
        continue;
      }
      if (c >= 0x80) {
        wide = true;
        if (cell === column) cellAscii = false;
      } else if (!isAsciiSpace(c)) {
        plain = false;
      }
    }
    let cells: string[] | null = null;
    if (plain) {
      if (!wide) return true;
      cells = cellsOf(bytes, start, end);
      if (isBlankRow(cells)) return true;
    }
    if (result.header === null) {
      result.header = { line, cells: cells ?? cellsOf(bytes, start, end), bytesRead: result.bytesRead };
      const chosen = choose(result.header);
      if (chosen === null) return false;
      column = chosen;
      return true;
    }
    result.rows++;
    let text = '';
    if (cellStart >= 0) {
      const stop = cellEnd >= 0 ? cellEnd : end;
      text = cellAscii ? bytes.toString('latin1', cellStart, stop) : decoder.decode(bytes.subarray(cellStart, stop));
    }
    if (keep(text)) result.kept.push({ line, cells: cells ?? cellsOf(bytes, start, end), bytesRead: result.bytesRead });
    return true;
  };

  /** Every whole line of `bytes` from `start` on; returns where the unfinished last line starts. */
  const lines = (bytes: Buffer, start: number): number | null => {
    for (let lf = bytes.indexOf(LF, start); lf >= 0; lf = bytes.indexOf(LF, start)) {
      if (lf - start > MAX_LINE_BYTES || !onLine(bytes, start, lf)) return null;
      start = lf + 1;
    }
    return start;
  };
  /**
   * The start of a line that has not ended yet, kept as pieces: a line longer than a chunk is copied once, when it
   * ends.
   */
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  /** The file's first bytes, until there are three to tell a BOM by. */
  let head: Buffer[] | null = [];
  let headLength = 0;
  /** Reads `bytes` on from the pending pieces; false when the file needs the full parser. */
  const take = (bytes: Buffer): boolean => {
    let start = 0;
    const lf = bytes.indexOf(LF);
    if (lf < 0) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      return pendingBytes <= MAX_LINE_BYTES;
    }
    if (pending.length > 0) {
      const line = Buffer.concat([...pending, bytes.subarray(0, lf)]);
      pending.length = 0;
      pendingBytes = 0;
      if (line.length > MAX_LINE_BYTES || !onLine(line, 0, line.length)) return false;
      start = lf + 1;
    }
    const rest = lines(bytes, start);
    if (rest === null) return false;
    if (rest < bytes.length) {
      pending.push(bytes.subarray(rest));
      pendingBytes = bytes.length - rest;
    }
    return true;
  };
  /** Reads the file's first bytes, without a UTF-8 BOM; false for a UTF-16 file, which the full parser reads. */
  const begin = (first: Buffer): boolean => {
    if (encodingOf(first) !== 'utf-8') return false;
    const bom = first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
    return take(bom ? first.subarray(3) : first);
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    result.bytesRead += chunk.length;
    const bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    // Searched for natively, chunk by chunk: the line loop then looks only at what it needs.
    if (bytes.indexOf(QUOTE) >= 0 || bytes.indexOf(CR) >= 0) return null;
    if (head !== null) {
      head.push(bytes);
      headLength += bytes.length;
      if (headLength < 3) continue;
      const first = Buffer.concat(head);
      head = null;
      if (!begin(first)) return null;
    } else if (!take(bytes)) {
      return null;
    }
    progress?.(result.bytesRead, result.rows);
  }
  if (head !== null && headLength > 0 && !begin(Buffer.concat(head))) return null;
  // A last line without a line break is a record unless it is empty.
  if (pending.length > 0) {
    const line = Buffer.concat(pending);
    if (line.length > 0 && !onLine(line, 0, line.length)) return null;
  }
  return result;
}
