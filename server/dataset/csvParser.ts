/**
 * A streaming CSV parser for dataset files (docs/dataset-format.md#files): RFC 4180 with a comma
 * separator, fields quoted with `"` and `""` inside them, records of any length. It replaces
 * csv-parse, whose per-record cost was the largest JavaScript cost of a million-row import, and
 * keeps the decisions the importer relied on (see test/dataset/csvParser.test.ts, which compares
 * the two).
 */
import { TextDecoder } from 'node:util';
import { DATASET_LIMITS } from './limits.ts';

/** One record: the 1-based line it starts on, its cells, and the bytes of the file read when it ended. */
export interface CsvRecord {
  line: number;
  cells: string[];
  bytesRead: number;
}

/**
 * Why text cannot be read as CSV: a quoted field whose closing quote never comes, a quote inside
 * a field that does not start with one, or a closing quote followed by something other than a
 * comma or a line break (a lone CR where CRs do not end records is told apart, being invisible).
 */
export type CsvFault =
  | 'unclosed_quote'
  | 'quote_in_field'
  | 'after_closing_quote'
  | 'cr_after_closing_quote'
  | 'cell_too_long'
  | 'record_too_long';

/**
 * The text cannot be read as CSV past `line`; `after` is the character after a closing quote,
 * where that is the fault; `cell` the 0-based position in its record of the cell at fault, where
 * the fault is a size (the record starting on `line` or that cell is too long).
 */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly fault: CsvFault,
    readonly after: string | null = null,
    readonly cell: number | null = null,
  ) {
    super(
      `line ${line}: ${fault}${after === null ? '' : ` ${JSON.stringify(after)}`}${cell === null ? '' : ` (cell ${cell + 1})`}`,
    );
  }
}

/** How long a cell and a record may be (limits.ts). */
export type CsvLimits = Pick<typeof DATASET_LIMITS, 'cellChars' | 'recordChars'>;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;

/**
 * The records of a CSV byte stream, one batch per chunk that completes a record: a million-row
 * file is then a few thousand awaits, not a million. The text is UTF-8, or UTF-16 where the file
 * starts with a UTF-16 byte order mark (Notepad's "Unicode" save; csv-parse, which the importer
 * used first, read those too). Undecodable bytes become U+FFFD (the importer reports such cells);
 * the byte order mark at the start is dropped.
 */
export async function* csvBatches(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limits: CsvLimits = DATASET_LIMITS,
): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(limits);
  // Chosen once the first two bytes are in: a streaming decoder keeps a character split between
  // two chunks whole, and drops its encoding's byte order mark at the start.
  let decoder: TextDecoder | null = null;
  let head: Uint8Array = new Uint8Array(0);
  let bytesRead = 0;
  for await (const chunk of chunks) {
    bytesRead += chunk.length;
    let bytes = chunk;
    if (decoder === null) {
      bytes = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (bytes.length < 2) {
        head = bytes;
        continue;
      }
      decoder = new TextDecoder(encodingOf(bytes));
    }
    const text = decoder.decode(bytes, { stream: true });
    yield* completed((batch) => parser.write(text, bytesRead, batch));
  }
  const rest = decoder === null ? new TextDecoder('utf-8').decode(head) : decoder.decode();
  yield* completed((batch) => parser.end(rest, bytesRead, batch));
}

/** The file's encoding by its first two bytes (or more): neither FF FE nor FE FF can start UTF-8 text. */
export function encodingOf(start: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (start.length >= 2 && start[0] === 0xff && start[1] === 0xfe) return 'utf-16le';
  if (start.length >= 2 && start[0] === 0xfe && start[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** The records one step of the parser completes, if any, also those before a syntax error it then throws. */
function* completed(step: (batch: CsvRecord[]) => void): Generator<CsvRecord[]> {
  const batch: CsvRecord[] = [];
  try {
    step(batch);
  } catch (error) {
    // The records before the error are still checked, so their own faults are reported too.
    if (batch.length > 0) yield batch;
    throw error;
  }
  if (batch.length > 0) yield batch;
}

/**
 * The parser itself, fed decoded text in pieces of any size. A field may span pieces; its text so
 * far is kept, never scanned again, so an unclosed quote early in a large file costs one pass.
 *
 * Records end at LF or CRLF. A lone CR ends records only in a file whose first line break is a lone
 * CR (classic Mac spreadsheet exports); elsewhere it stays in the cell, as csv-parse decided
 * (it takes the first line break it meets as the file's only one). Line numbers count LF, CRLF and
 * lone CR once each, as a text editor shows the file, inside quoted fields too.
 */
export class CsvParser {
  private state = FIELD_START;
  private cells: string[] = [];
  /** The current field's text from earlier pieces, quotes already undoubled. */
  private field = '';
  /** A quote or CR at the end of the last piece, whose meaning depends on the character after it. */
  private pending = '';
  private line = 1;
  private recordLine = 1;
  /** Where the current quoted field opened: an unclosed quote is reported there, where it can be fixed. */
  private quoteLine = 1;
  private crEndsRecords: boolean | undefined = undefined;
  private bytesRead = 0;
  /** Characters in the current record's finished cells. */
  private recordChars = 0;

  constructor(private readonly limits: CsvLimits = DATASET_LIMITS) {}

  /** Parses the next piece of text; complete records go to `out`, carrying `bytesRead`. */
  write(text: string, bytesRead: number, out: CsvRecord[]): void {
    this.bytesRead = bytesRead;
    this.parse(this.pending === '' ? text : this.pending + text, false, out);
  }

  /** Parses the last piece of text and ends the record it leaves open; `bytesRead` is the whole file's. */
  end(text: string, bytesRead: number, out: CsvRecord[]): void {
    this.bytesRead = bytesRead;
    this.parse(this.pending + text, true, out);
    if (this.state === QUOTED) {
      throw new CsvSyntaxError(this.quoteLine, 'unclosed_quote');
    }
    // "a," ends with an empty cell; "a\n" has no record after its line break.
    if (this.state === UNQUOTED || this.cells.length > 0) this.endRecord(ownCopy(this.takeField('')), out);
  }

  private parse(text: string, final: boolean, out: CsvRecord[]): void {
    this.pending = '';
    const length = text.length;
    let i = 0;
    while (i < length) {
      if (this.state === FIELD_START) {
        if (text.charCodeAt(i) === QUOTE) {
          this.state = QUOTED;
          this.quoteLine = this.line;
          i++;
        } else {
          this.state = UNQUOTED;
        }
      }
      i = this.state === UNQUOTED ? this.unquoted(text, i, final, out) : this.quoted(text, i, final, out);
    }
    // A field still open grows piece by piece: it is measured here, before it is all in memory.
    this.checkSize(this.field.length);
  }

  /** Refuses a cell of `chars` characters, or a record the current cell would make too long. */
  private checkSize(chars: number): void {
    if (chars > this.limits.cellChars)
      throw new CsvSyntaxError(this.recordLine, 'cell_too_long', null, this.cells.length);
    if (this.recordChars + chars > this.limits.recordChars)
      throw new CsvSyntaxError(this.recordLine, 'record_too_long', null, this.cells.length);
  }

  private pushCell(value: string): void {
    this.checkSize(value.length);
    this.recordChars += value.length;
    this.cells.push(value);
  }

  /** Reads an unquoted field from `start` to its end or the end of the text; returns where to go on. */
  private unquoted(text: string, start: number, final: boolean, out: CsvRecord[]): number {
    const length = text.length;
    for (let i = start; i < length; i++) {
      const c = text.charCodeAt(i);
      // Every character with a meaning here sorts at or below the comma.
      if (c > COMMA) continue;
      if (c === COMMA) {
        this.pushCell(ownCopy(this.takeField(text.slice(start, i))));
        this.state = FIELD_START;
        return i + 1;
      }
      if (c === LF) {
        this.crEndsRecords ??= false;
        this.endRecord(ownCopy(this.takeField(text.slice(start, i))), out);
        return i + 1;
      }
      if (c === CR) {
        if (i + 1 === length && !final) return this.holdBack(text, start, i);
        if (i + 1 < length && text.charCodeAt(i + 1) === LF) {
          this.crEndsRecords ??= false;
          this.endRecord(ownCopy(this.takeField(text.slice(start, i))), out);
          return i + 2;
        }
        this.crEndsRecords ??= true;
        if (this.crEndsRecords) {
          this.endRecord(ownCopy(this.takeField(text.slice(start, i))), out);
          return i + 1;
        }
        this.line++;
      } else if (c === QUOTE) {
        throw new CsvSyntaxError(this.line, 'quote_in_field');
      }
    }
    this.field += text.slice(start, length);
    return length;
  }

  /** Reads a quoted field's text from `start` (past the opening quote) to its closing quote or the end of the text. */
  private quoted(text: string, start: number, final: boolean, out: CsvRecord[]): number {
    const length = text.length;
    for (let i = start; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        if (i + 1 === length) {
          if (!final) return this.holdBack(text, start, i);
          this.endRecord(ownCopy(this.takeField(text.slice(start, i))), out);
          return length;
        }
        if (text.charCodeAt(i + 1) === QUOTE) {
          this.field += text.slice(start, i + 1);
          start = i + 2;
          i++;
          continue;
        }
        return this.afterClosingQuote(text, i, final, out, ownCopy(this.takeField(text.slice(start, i))));
      }
      if (c === LF) {
        this.line++;
      } else if (c === CR) {
        if (i + 1 === length) {
          if (!final) return this.holdBack(text, start, i);
          this.line++;
        } else if (text.charCodeAt(i + 1) !== LF) {
          this.line++;
        }
      }
    }
    this.field += text.slice(start, length);
    return length;
  }

  /** After the closing quote at `quote` only a comma or a line break may come. */
  private afterClosingQuote(text: string, quote: number, final: boolean, out: CsvRecord[], value: string): number {
    const next = quote + 1;
    const c = text.charCodeAt(next);
    if (c === COMMA) {
      this.pushCell(value);
      this.state = FIELD_START;
      return next + 1;
    }
    if (c === LF) {
      this.crEndsRecords ??= false;
      this.endRecord(value, out);
      return next + 1;
    }
    if (c === CR) {
      if (next + 1 === text.length && !final) {
        // Whether this CR ends the record depends on the next piece: read the quote again then.
        this.field = value;
        return this.holdBack(text, quote, quote);
      }
      if (next + 1 < text.length && text.charCodeAt(next + 1) === LF) {
        this.crEndsRecords ??= false;
        this.endRecord(value, out);
        return next + 2;
      }
      this.crEndsRecords ??= true;
      if (this.crEndsRecords) {
        this.endRecord(value, out);
        return next + 1;
      }
    }
    if (c === CR) throw new CsvSyntaxError(this.line, 'cr_after_closing_quote');
    throw new CsvSyntaxError(this.line, 'after_closing_quote', String.fromCodePoint(text.codePointAt(next)!));
  }

  /** Keeps the field's text before `from`, and the text from `from` on to be read with the next piece. */
  private holdBack(text: string, start: number, from: number): number {
    this.field += text.slice(start, from);
    this.pending = text.slice(from);
    return text.length;
  }

  private takeField(rest: string): string {
    if (this.field === '') return rest;
    const value = this.field + rest;
    this.field = '';
    return value;
  }

  private endRecord(lastCell: string, out: CsvRecord[]): void {
    this.pushCell(lastCell);
    out.push({ line: this.recordLine, cells: this.cells, bytesRead: this.bytesRead });
    this.cells = [];
    this.recordChars = 0;
    this.state = FIELD_START;
    this.line++;
    this.recordLine = this.line;
  }
}

/**
 * The cell as a string of its own. V8 makes a slice of 13 characters or more a view into the string
 * it was cut from, which then lives as long as the slice: one cell kept by the importer (in a
 * duplicate check's keys, say) would keep its whole chunk alive, and a file's worth of such keys
 * the whole file. Joining two pieces of it makes V8 copy the text into a new flat string. With
 * the lessee of each of a million allocations kept: 127 MB of heap as views, 62 MB as copies
 * (61 MB with csv-parse); reading the file takes ≈ 0.15 s longer.
 */
function ownCopy(cell: string): string {
  return cell.length < 13 ? cell : [cell.slice(0, 1), cell.slice(1)].join('');
}
