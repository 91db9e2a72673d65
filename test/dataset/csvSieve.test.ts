import { expect } from 'chai';
import fc from 'fast-check';
import { csvBatches, type CsvRecord } from '../../server/dataset/csvParser.ts';
import { sieveCsv } from '../../server/dataset/csvSieve.ts';

/** The bytes cut into chunks of the given sizes in turn; a size of 0 is an empty chunk. */
function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length];
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

const blank = (record: CsvRecord) => record.cells.every((cell) => cell.trim() === '');
const shape = (record: CsvRecord) => ({ line: record.line, cells: record.cells });

/** What the sieve must answer, worked out from the full parser's records. */
async function expected(bytes: Buffer, column: string, keep: (cell: string) => boolean) {
  const records: CsvRecord[] = [];
  for await (const batch of csvBatches([bytes])) records.push(...batch);
  const nonBlank = records.filter((r) => !blank(r));
  if (nonBlank.length === 0) return { header: null, kept: [], rows: 0 };
  const [header, ...rows] = nonBlank;
  const index = header.cells.indexOf(column);
  if (index < 0) return null;
  return { header: shape(header), kept: rows.filter((r) => keep(r.cells[index] ?? '')).map(shape), rows: rows.length };
}

async function sieved(chunks: Buffer[], column: string, keep: (cell: string) => boolean) {
  const result = await sieveCsv(
    chunks,
    (header) => (header.cells.includes(column) ? header.cells.indexOf(column) : null),
    keep,
  );
  if (result === null) return null;
  return { header: result.header && shape(result.header), kept: result.kept.map(shape), rows: result.rows };
}

// Cells of characters that matter to the sieve: commas, the spaces trim removes (ASCII and
// not), text past ASCII, invalid UTF-8, a BOM, and now and then a quote or a carriage return.
const piece = fc.constantFrom(
  'a',
  'B',
  '9',
  'x',
  ' ',
  '\t',
  '\u3000',
  '\u00a0',
  '中',
  'é',
  '\uFEFF',
  '\uFFFD',
  ',',
  '\n',
  '\n',
  '\n',
);
const rare = fc.constantFrom('"', '\r');

describe("sieveCsv (the importer's quick first pass)", () => {
  it('answers as the full parser reads the file: the header, the records kept, the others counted; null for a file with a quote or a CR', async () => {
    let compared = 0;
    let refused = 0;
    let headerless = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(' ', '\u3000', ',', '\n', '\t'), { maxLength: 6 }),
        fc.option(fc.tuple(fc.nat({ max: 3 }), fc.constantFrom('a', 'b', 'c', ' d ', '中')), { freq: 12 }),
        fc.array(piece, { maxLength: 120 }),
        fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: rare, weight: 1 }),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        fc
          .array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 4 })
          .filter((sizes) => sizes.some((size) => size > 0)),
        async (before, header, pieces, odd, at, bom, invalid, sizes) => {
          const body = pieces.join('');
          const text =
            odd === null ? body : body.slice(0, at % (body.length + 1)) + odd + body.slice(at % (body.length + 1));
          // The chosen column anywhere in the header, or no header line at all (the body's first
          // line that is not blank is then the header, and may not name it).
          const names = header === null ? null : ['x', header[1], 'y'].toSpliced(header[0] % 3, 0, 'lessee');
          let bytes = Buffer.from(
            `${bom ? '\uFEFF' : ''}${before.join('')}${names ? `${names.join(',')}\n` : ''}${text}`,
          );
          // A byte that is not UTF-8, and a sequence cut short before a comma and before a line break.
          if (invalid) bytes = Buffer.concat([bytes, Buffer.from([0xff, 0x61, 0xe4, 0xb8, 0x2c, 0xe4, 0x0a, 0x78])]);
          const keep = (cell: string) => cell.trim().startsWith('x') || cell.includes('中');
          const got = await sieved(chunked(bytes, sizes), 'lessee', keep);
          if (bytes.includes(0x22) || bytes.includes(0x0d)) {
            refused++;
            expect(got).to.equal(null);
            return;
          }
          const want = await expected(bytes, 'lessee', keep);
          if (want === null || want.header === null) headerless++;
          else compared++;
          expect(got).to.deep.equal(want);
        },
      ),
      { numRuns: 1500, seed: 20261203 },
    );
    expect(compared).to.be.above(800);
    expect(refused).to.be.above(100);
    expect(headerless).to.be.above(30);
  });

  it('reads a file too short to hold a BOM, and one whose BOM is cut across chunks', async () => {
    for (const bytes of [
      Buffer.from([0xef, 0x0a]),
      Buffer.from([0xef]),
      Buffer.from('\uFEFF'),
      Buffer.from('\uFEFFlessee\nx1\n'),
    ]) {
      for (const sizes of [[1], [2], [3], [64]]) {
        const records: CsvRecord[] = [];
        for await (const batch of csvBatches([bytes])) records.push(...batch);
        const result = await sieveCsv(
          chunked(bytes, sizes),
          () => 0,
          () => true,
        );
        const nonBlank = records.filter((r) => !blank(r));
        expect(result!.header && shape(result!.header), `${bytes.toString('hex')} in chunks of ${sizes}`).to.deep.equal(
          nonBlank[0] ? shape(nonBlank[0]) : null,
        );
        expect(result!.kept.map(shape)).to.deep.equal(nonBlank.slice(1).map(shape));
      }
    }
  });

  it("keeps the full parser's line numbers past blank lines and reads a last line without a line break", async () => {
    const bytes = Buffer.from('\n , ,\n\u3000\nlessee,name\nx1,一\n\n,\ny2,二\nx3,三');
    const result = await sieveCsv(
      [bytes],
      (header) => header.cells.indexOf('lessee'),
      (cell) => cell.startsWith('x'),
    );
    expect(result!.header).to.include({ line: 4 });
    expect(result!.kept.map(shape)).to.deep.equal([
      { line: 5, cells: ['x1', '一'] },
      { line: 9, cells: ['x3', '三'] },
    ]);
    expect(result!.rows).to.equal(3);
  });

  it('leaves a UTF-16 file to the full parser, its byte order mark cut across chunks or alone', async () => {
    const le = Buffer.from('\uFEFFlessee\nx1\n', 'utf16le');
    for (const bytes of [le, Buffer.from(le).swap16(), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff, 0x00])]) {
      for (const sizes of [[1], [2], [3], [64]]) {
        expect(
          await sieveCsv(
            chunked(bytes, sizes),
            () => 0,
            () => true,
          ),
          `${bytes.toString('hex')} in chunks of ${sizes}`,
        ).to.equal(null);
      }
    }
  });

  it('leaves a file without the chosen column to the full parser', async () => {
    expect(
      await sieveCsv(
        [Buffer.from('a,b\n1,2\n')],
        () => null,
        () => true,
      ),
    ).to.equal(null);
  });
});
