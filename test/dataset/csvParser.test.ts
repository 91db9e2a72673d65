import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvBatches, CsvSyntaxError, type CsvFault, type CsvRecord } from '../../server/dataset/csvParser.ts';
import { DatasetSyntaxError, openDataset } from '../../server/dataset/readers.ts';

type Outcome = { records: CsvRecord[]; batches: number; error: CsvSyntaxError | null };

/** The input cut into chunks of the given sizes, taken in turn (the last size repeats). */
function chunked(input: string | Buffer, sizes: number[]): Buffer[] {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const chunks: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[Math.min(k, sizes.length - 1)];
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

async function read(chunks: Buffer[]): Promise<Outcome> {
  const records: CsvRecord[] = [];
  let batches = 0;
  try {
    for await (const batch of csvBatches(chunks)) {
      batches++;
      records.push(...batch);
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return { records, batches, error };
  }
  return { records, batches, error: null };
}

const parsed = (input: string | Buffer, chunkSize = 1 << 16) => read(chunked(input, [chunkSize]));
const cellsOf = (records: CsvRecord[]) => records.map((r) => r.cells);
const linesOf = (records: CsvRecord[]) => records.map((r) => r.line);

/**
 * What csv-parse made of the input with the options the importer used: records with start lines and end bytes, or null
 * where it refused the input.
 */
function reference(input: string | Buffer): Array<{ line: number; cells: string[]; bytes: number }> | null {
  let rows: Array<{ record: string[]; info: { lines: number; bytes: number } }>;
  try {
    rows = csvParse(Buffer.isBuffer(input) ? input : Buffer.from(input), {
      bom: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch {
    return null;
  }
  let previousEnd = 0;
  return rows.map(({ record, info }) => {
    const line = previousEnd + 1;
    previousEnd = info.lines;
    return { line, cells: record, bytes: info.bytes };
  });
}

async function expectError(input: string, line: number, fault: CsvFault, after: string | null = null): Promise<void> {
  for (const size of [1, 2, 3, 1 << 16]) {
    const { error } = await parsed(input, size);
    expect(error, `chunks of ${size}`).to.be.instanceOf(CsvSyntaxError);
    expect(error, `chunks of ${size}`).to.include({ line, fault, after });
  }
}

describe('csvBatches', () => {
  describe('reads what csv-parse read, in chunks of any size', () => {
    // [title, input, whether csv-parse counts its lines right]: it counts a CRLF inside quotes twice.
    const inputs: Array<[string, string | Buffer, boolean]> = [
      ['LF line endings', 'a,b\nc,d\n', true],
      ['CRLF line endings', 'a,b\r\nc,d\r\n', true],
      ['CR line endings', 'a,b\rc,d\r', true],
      ['no line break at the end', 'a,b\nc,d', true],
      ['a doubled quote', '"a""b",c\n', true],
      ['commas and quotes in quoted fields', 'code,name\n"x, y","He said ""hi"""\n', true],
      ['an LF inside quotes', '"a\nb",c\nd\n', true],
      ['a CRLF inside quotes in a CRLF file', 'h\r\n"a\r\nb"\r\nc\r\n', false],
      ['a lone CR inside quotes', 'h\n"a\rb"\nc', true],
      ['a lone CR inside quotes in a CR file', '"a\rb"\rc', true],
      ['an LF inside quotes in a CR file', '"a\nb"\rc\rd', true],
      ['a lone CR in an unquoted field of an LF file', 'h\na,b\rx,c\nd\n', true],
      ['a lone CR in an unquoted field of a CRLF file', 'h\r\na,b\rx,c\r\nd\r\n', true],
      ['a CR-ended file whose last line is a quoted field', 'h\r"a"\rb', true],
      ['a lone CR after a closing quote at the end of the file', '"a"\r', true],
      ['a blank line', 'a\n\nb\n', true],
      ['blank lines at the end', 'a\n\n\n', true],
      ['blank lines at the start', '\n\na', true],
      ['a blank CRLF line', 'a\r\n\r\nb', true],
      ['a line of commas', 'a\n,,\nb', true],
      ['a line of spaces', 'a\n  \nb', true],
      ['empty quoted fields', '"",""\n""', true],
      ['a quoted field at the end of the file', '"a"', true],
      ['a quoted field before a final CRLF', '"a"\r\n', true],
      ['a trailing comma', 'a,\n', true],
      ['a trailing comma at the end of the file', 'a,', true],
      ['records of different lengths', 'a,b,c\nd\ne,f\n', true],
      ['a BOM', '\uFEFFa,b\n', true],
      ['a BOM before a quoted field', '\uFEFF"a",b\n', true],
      ['a BOM alone', '\uFEFF', true],
      ['a second BOM, which is text', '\uFEFF\uFEFFa\n', true],
      ['a BOM on a later line, which is text', 'a\n\uFEFFb\n', true],
      ['an empty file', '', true],
      ['a lone line break', '\n', true],
      ['a lone CRLF', '\r\n', true],
      ['a space', ' ', true],
      ['multi-byte characters', 'é,中文,😀\n"中,文","😀\n😀"\n', true],
      [
        'invalid UTF-8',
        Buffer.from([0x61, 0x2c, 0xe4, 0x2c, 0xe4, 0xb8, 0x0a, 0xff, 0x62, 0x2c, 0xf0, 0x9f, 0x98, 0x0a]),
        true,
      ],
      ['a truncated character at the end of the file', Buffer.from([0x61, 0x2c, 0xe4, 0xb8]), true],
      ['UTF-16LE after its byte order mark', Buffer.from('\uFEFFcode,name\r\n"中,文",😀\r\n"a\nb",c', 'utf16le'), true],
    ];
    for (const [title, input, linesComparable] of inputs) {
      it(title, async () => {
        const expected = reference(input);
        expect(expected, 'csv-parse accepts it').to.not.equal(null);
        const size = Buffer.byteLength(input);
        for (let chunkSize = 1; chunkSize <= 8; chunkSize++) {
          const { records, error } = await parsed(input, chunkSize);
          const label = `chunks of ${chunkSize}`;
          expect(error, label).to.equal(null);
          expect(cellsOf(records), label).to.deep.equal(expected!.map((r) => r.cells));
          if (linesComparable) expect(linesOf(records), label).to.deep.equal(expected!.map((r) => r.line));
          records.forEach((record, i) => {
            expect(record.bytesRead, label).to.be.at.least(expected![i].bytes).and.at.most(size);
          });
          if (records.length > 0) expect(records.at(-1)!.bytesRead, label).to.equal(size);
        }
      });
    }
  });

  describe('refuses what csv-parse refused', () => {
    const inputs: Array<[string, string]> = [
      ['an unclosed quote', 'h\nx\n"abc\ndef\n'],
      ['an unclosed quote on the last line', 'h\n"a\nb\nc'],
      ['a lone quote', '"'],
      ['a doubled quote where the closing one should be', 'h\n"a""\n'],
      ['a quote inside an unquoted field', 'h\nx\na"b,c\n'],
      ['a quote at the end of an unquoted field', 'h\nab"\n'],
      ['a space before an opening quote', 'h\n "a",b\n'],
      ['a letter after a closing quote', 'h\nx\n"a"b,c\n'],
      ['a space after a closing quote', 'h\n"a" ,b\n'],
      ['a lone CR after a closing quote in an LF file', 'h\n"a"\rb\n'],
      ['a lone CR after a closing quote at the end of an LF file', 'h\n"a"\r'],
      ['a letter after a closing quote on a later line', 'h\n"a\nb\nc"x\n'],
    ];
    for (const [title, input] of inputs) {
      it(title, async () => {
        expect(reference(input), 'csv-parse refuses it').to.equal(null);
        for (let chunkSize = 1; chunkSize <= 8; chunkSize++) {
          expect((await parsed(input, chunkSize)).error, `chunks of ${chunkSize}`).to.be.instanceOf(CsvSyntaxError);
        }
      });
    }
  });

  it('agrees with csv-parse on generated files cut into chunks of 1 to 7 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        generatedCsv,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 50 }),
        async ({ text, linesComparable }, sizes) => {
          const input = Buffer.from(text);
          const expected = reference(input);
          const { records, error } = await read(chunked(input, sizes));
          if (expected === null) {
            expect(error).to.be.instanceOf(CsvSyntaxError);
            return;
          }
          expect(error).to.equal(null);
          expect(cellsOf(records)).to.deep.equal(expected.map((r) => r.cells));
          if (linesComparable) expect(linesOf(records)).to.deep.equal(expected.map((r) => r.line));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes bytes as csv-parse did, invalid UTF-8 included, in chunks of 1 to 7 bytes', async () => {
    // Bytes that are never CSV syntax, so that csv-parse accepts every input; not a UTF-16 byte
    // order mark at the start, after which both read UTF-16 (the next test).
    const startsUtf16 = (bytes: number[]) =>
      (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const text = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0x80, max: 0xff }),
          fc.constantFrom(0x61, 0x2c, 0x0a, 0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80),
        ),
        { maxLength: 60 },
      )
      .filter((bytes) => !startsUtf16(bytes));
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 30 }),
        async (bytes, sizes) => {
          const input = Buffer.from(bytes);
          const { records, error } = await read(chunked(input, sizes));
          expect(error).to.equal(null);
          expect(cellsOf(records)).to.deep.equal(reference(input)!.map((r) => r.cells));
        },
      ),
      { numRuns: 500 },
    );
  });

  describe('UTF-16', () => {
    const utf16 = (text: string, order: 'le' | 'be') => {
      const bytes = Buffer.from(`\uFEFF${text}`, 'utf16le');
      return order === 'le' ? bytes : bytes.swap16();
    };

    it('reads a file after a UTF-16 byte order mark (LE or BE) as the same text in UTF-8, in chunks of 1 to 7 bytes', async () => {
      await fc.assert(
        fc.asyncProperty(
          generatedCsv,
          fc.constantFrom('le' as const, 'be' as const),
          fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 50 }),
          async ({ text }, order, sizes) => {
            // With a UTF-8 byte order mark too, so that a BOM the text starts with is text in both.
            const want = await read(chunked(Buffer.from(`\uFEFF${text}`), [1 << 16]));
            const got = await read(chunked(utf16(text, order), sizes));
            expect(cellsOf(got.records)).to.deep.equal(cellsOf(want.records));
            expect(linesOf(got.records)).to.deep.equal(linesOf(want.records));
            expect(got.error?.line).to.equal(want.error?.line);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('reports with each record the bytes of the UTF-16 file read, up to its size', async () => {
      const input = utf16('code,name\nA,中文\nB,C', 'be');
      const { records } = await parsed(input, 1);
      expect(records.map((r) => r.bytesRead)).to.deep.equal([22, 32, input.length]);
    });

    it('makes U+FFFD of a lone surrogate and of an odd byte at the end, as of invalid UTF-8', async () => {
      const loneSurrogate = Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x2c, 0x00, 0x00, 0xd8, 0x62, 0x00, 0x0a, 0x00]);
      const oddByte = Buffer.from([0xfe, 0xff, 0x00, 0x61, 0x00, 0x2c, 0x00]);
      for (const size of [1, 2, 3, 64]) {
        expect(cellsOf((await parsed(loneSurrogate, size)).records)).to.deep.equal([['a', '\uFFFDb']]);
        expect(cellsOf((await parsed(oddByte, size)).records)).to.deep.equal([['a', '\uFFFD']]);
      }
    });

    it('reads a file of its byte order mark alone as empty, and one byte after it as U+FFFD', async () => {
      for (const size of [1, 2, 64]) {
        expect((await parsed(Buffer.from([0xff, 0xfe]), size)).records).to.deep.equal([]);
        expect(cellsOf((await parsed(Buffer.from([0xff, 0xfe, 0x61]), size)).records)).to.deep.equal([['\uFFFD']]);
        expect(cellsOf((await parsed(Buffer.from([0xff]), size)).records)).to.deep.equal([['\uFFFD']]);
      }
    });
  });

  describe('line numbers', () => {
    it('gives each record the line it starts on, counting the lines of quoted fields before it', async () => {
      const { records } = await parsed('h\n"a\nb",c\n"x\n\ny"\nlast\n');
      expect(linesOf(records)).to.deep.equal([1, 2, 4, 7]);
    });

    it('counts a CRLF inside quotes as one line (csv-parse counted two)', async () => {
      for (const size of [1, 2, 1 << 16]) {
        const { records } = await parsed('h\r\n"a\r\nb"\r\nc\r\n', size);
        expect(linesOf(records)).to.deep.equal([1, 2, 4]);
      }
    });

    it('counts a lone CR as a line, as an editor shows it, though it stays in the cell', async () => {
      const { records } = await parsed('h\na\rb\n"c\rd"\ne\n');
      expect(cellsOf(records)).to.deep.equal([['h'], ['a\rb'], ['c\rd'], ['e']]);
      expect(linesOf(records)).to.deep.equal([1, 2, 4, 6]);
    });
  });

  describe('line endings', () => {
    it('ends records at LF and at CRLF in one file (csv-parse kept the CR of a CRLF in an LF file)', async () => {
      const { records } = await parsed('a\nb\r\nc\nd');
      expect(cellsOf(records)).to.deep.equal([['a'], ['b'], ['c'], ['d']]);
      expect(linesOf(records)).to.deep.equal([1, 2, 3, 4]);
    });

    it('ends records at a lone CR in a file whose first line break is one', async () => {
      const { records } = await parsed('a,b\r"c\rd",e\rf');
      expect(cellsOf(records)).to.deep.equal([['a', 'b'], ['c\rd', 'e'], ['f']]);
      expect(linesOf(records)).to.deep.equal([1, 2, 4]);
    });

    it('decides on CR line endings by the first line break outside quotes, even split from its LF between chunks', async () => {
      for (const size of [1, 2, 3, 4]) {
        const { records } = await parsed('"x\ry"\r\nz\rw\n', size);
        expect(cellsOf(records), `chunks of ${size}`).to.deep.equal([['x\ry'], ['z\rw']]);
      }
    });
  });

  describe('syntax errors, at the line of the fault', () => {
    it('a quote inside an unquoted field', () => expectError('h\n"a\nb",c\nd,e"f\n', 4, 'quote_in_field'));

    it('a character after a closing quote, on the line of the closing quote', () =>
      expectError('h\n"a\nb\nc"x,d\n', 4, 'after_closing_quote', 'x'));

    it('a lone CR after a closing quote in an LF file', () => expectError('h\n"a"\rb\n', 2, 'cr_after_closing_quote'));

    it('a quote never closed, at the line where it opens', () => expectError('h\nx\n"abc\ndef\n', 3, 'unclosed_quote'));

    it('names a character past the BMP after a closing quote whole', () =>
      expectError('"a"😀\n', 1, 'after_closing_quote', '😀'));

    it('hands out the records before the fault first', async () => {
      const { records, error } = await parsed('h\na\nb"\nc\n');
      expect(cellsOf(records)).to.deep.equal([['h'], ['a']]);
      expect(error?.line).to.equal(3);
    });
  });

  describe('bytes read and batches', () => {
    it('reports with each record the bytes of the file read when it ended, up to the size at the end', async () => {
      const input = '\uFEFFcode,name\nA,中文\n"B\nC",D';
      const { records } = await parsed(input, 1);
      expect(records.map((r) => r.bytesRead)).to.deep.equal([13, 22, Buffer.byteLength(input)]);
    });

    it('yields one batch for each chunk that completes a record', async () => {
      const rows = Array.from({ length: 3000 }, (_, i) => `${i},row ${i}\n`).join('');
      const chunks = chunked(rows, [4096]);
      const { records, batches } = await read(chunks);
      expect(records).to.have.length(3000);
      expect(batches).to.equal(chunks.length);
      expect(new Set(records.map((r) => r.bytesRead)).size).to.equal(chunks.length);
    });
  });

  it('reads a quoted field that spans many chunks without scanning it again for each', async function () {
    this.timeout(10_000);
    const field = 'x'.repeat(300_000);
    const records: CsvRecord[] = [];
    for await (const batch of csvBatches(chunked(`"${field}",y\nz`, [1]), {
      cellChars: field.length,
      recordChars: field.length + 1,
    }))
      records.push(...batch);
    expect(records.map((r) => r.cells)).to.deep.equal([[field, 'y'], ['z']]);
  });

  it("stops at a cell or record past its limit, at the record's line and the cell's position, in chunks of any size", async () => {
    const limits = { cellChars: 5, recordChars: 12 };
    for (const size of [1, 2, 3, 1 << 16]) {
      const outcomes: Array<[string, number, CsvFault, number]> = [
        ['a,b\nc,123456,d\n', 2, 'cell_too_long', 1],
        ['a,b\n"x\ny","12\n3456"\n', 2, 'cell_too_long', 1],
        ['a\n12345,12345,123\n', 2, 'record_too_long', 2],
        ['"never closed\n', 1, 'cell_too_long', 0],
      ];
      for (const [input, line, fault, cell] of outcomes) {
        const found: CsvRecord[] = [];
        let error: unknown = null;
        try {
          for await (const batch of csvBatches(chunked(input, [size]), limits)) found.push(...batch);
        } catch (caught) {
          error = caught;
        }
        expect(error, `${JSON.stringify(input)} in chunks of ${size}`)
          .to.be.instanceOf(CsvSyntaxError)
          .and.include({ line, fault, cell });
        expect(
          found.map((r) => r.line),
          'the records before it',
        ).to.deep.equal(line === 1 ? [] : [1]);
      }
    }
  });
});

describe('openDataset: CSV tables', () => {
  it('turns a CSV fault into a csv.syntax error of the dataset, a quote inside a field included', async () => {
    // csv-parse named that fault INVALID_OPENING_QUOTE, outside the CSV_ codes the reader mapped: the import crashed.
    const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-csv-'));
    await writeFile(path.join(directory, 'carriers.csv'), 'code,name\nA,B\nC,D"E\n');
    const [table] = (await openDataset(directory)).tables;
    const read: string[][] = [];
    let failure: unknown = null;
    try {
      for await (const record of table.records()) read.push(record.cells);
    } catch (error) {
      failure = error;
    }
    expect(read).to.deep.equal([
      ['code', 'name'],
      ['A', 'B'],
    ]);
    expect(failure).to.be.instanceOf(DatasetSyntaxError);
    expect(failure).to.include({ line: 3, code: 'csv.syntax' });
    expect((failure as DatasetSyntaxError).params).to.deep.equal({ fault: 'quote_in_field' });
  });
});

/**
 * CSV text as a spreadsheet writes it, with one kind of line ending, now and then broken by a
 * stray or missing quote. It avoids what csv-parse read differently on purpose: a line ending of
 * another kind outside quotes (csv-parse took the first one it met as the only one).
 */
const generatedCsv = (() => {
  const plain = fc.constantFrom('a', 'b', ' ', 'é', '中', '😀', '\uFEFF');
  const anyText = fc.oneof(plain, fc.constantFrom(',', '"', '\n', '\r\n', '\r'));
  return fc
    .record({
      ending: fc.constantFrom('\n', '\r\n', '\r'),
      rows: fc.array(
        fc.array(
          fc.record({ quoted: fc.boolean(), parts: fc.array(anyText, { maxLength: 6 }), strayCr: fc.boolean() }),
          { minLength: 1, maxLength: 4 },
        ),
        { maxLength: 6 },
      ),
      finalBreak: fc.boolean(),
      damage: fc.oneof(
        { arbitrary: fc.constant(null), weight: 2 },
        { arbitrary: fc.record({ at: fc.nat(), insert: fc.boolean() }), weight: 1 },
      ),
    })
    .map(({ ending, rows, finalBreak, damage }) => {
      let crlfInQuotes = false;
      const lines = rows.map((fields, row) =>
        fields
          .map(({ quoted, parts, strayCr }) => {
            if (quoted) {
              const text = parts.join('');
              if (text.includes('\r\n')) crlfInQuotes = true;
              return `"${text.replaceAll('"', '""')}"`;
            }
            // A lone CR inside an unquoted field, after the first line (whose break decides the file's kind).
            const text = parts.filter((p) => !/[,"\r\n]/.test(p)).join('');
            return strayCr && row > 0 && ending !== '\r' ? `${text}\rb` : text;
          })
          .join(','),
      );
      let text = lines.join(ending) + (finalBreak && lines.length > 0 ? ending : '');
      if (damage) {
        const at = damage.at % (text.length + 1);
        const quote = text.indexOf('"', at);
        text = damage.insert
          ? `${text.slice(0, at)}"${text.slice(at)}`
          : quote === -1
            ? text
            : text.slice(0, quote) + text.slice(quote + 1);
      }
      // csv-parse counted a CRLF inside quotes as two lines; a damaged file may put one there.
      return { text, linesComparable: !text.includes('\r\n') || (!crlfInQuotes && damage === null) };
    });
})();
