import { constants, createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

/** One part of a zip archive, already compressed (method 8) or stored (method 0). */
export interface ZipPart {
  name: string;
  method: 0 | 8;
  data: Buffer;
  /** What the archive says it inflates to; the truth unless a test lies. */
  size: number;
  crc: number;
}

export function deflatedPart(name: string, content: string | Buffer): ZipPart {
  const raw = Buffer.from(content);
  return { name, method: 8, data: deflateRawSync(raw), size: raw.length, crc: crc32(raw) };
}

/**
 * A deflate stream of `prefix`, then `mebibytes` MiB of "A", then `suffix`, made without ever
 * holding the inflated text: each MiB of "A" is deflated once after a full flush (which empties
 * the window), so its compressed bytes are the same every time and are repeated.
 */
async function repeatingDeflate(
  prefix: string,
  mebibytes: number,
  suffix: string,
): Promise<{ data: Buffer; size: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const flushed = async (text: string | Buffer): Promise<Buffer> => {
    chunks.length = 0;
    deflate.write(text);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_FULL_FLUSH, () => resolve()));
    return Buffer.concat(chunks);
  };
  const head = await flushed(prefix);
  const block = await flushed(Buffer.alloc(1024 * 1024, 'A'));
  chunks.length = 0;
  const ended = new Promise<void>((resolve) => deflate.on('end', () => resolve()));
  deflate.end(suffix);
  await ended;
  const tail = Buffer.concat(chunks);
  const data = Buffer.concat([head, ...Array<Buffer>(mebibytes).fill(block), tail]);
  return { data, size: Buffer.byteLength(prefix) + mebibytes * 1024 * 1024 + Buffer.byteLength(suffix) };
}

/** A zip archive of `parts` in order, local headers without data descriptors, as Excel writes them. */
export function zipArchive(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.crc >>> 0, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(Math.min(part.size, 0xffffffff), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc >>> 0, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(Math.min(part.size, 0xffffffff), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    centrals.push(central, name);
    offset += 30 + name.length + part.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The parts of a workbook with one sheet called `sheetName`, but for the sheet itself. */
export function workbookParts(sheetName: string): ZipPart[] {
  return [
    deflatedPart(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    deflatedPart(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    deflatedPart(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    deflatedPart(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
  ];
}

const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/** An inline-string cell of a sheet row. */
const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A sheet part from rows of cell texts. */
export function sheetPart(rows: string[][]): ZipPart {
  const xml = rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">${cells.map((text, c) => inlineCell(`${String.fromCharCode(65 + c)}${r + 1}`, text)).join('')}</row>`,
    )
    .join('');
  return deflatedPart('xl/worksheets/sheet1.xml', SHEET_HEAD + xml + SHEET_TAIL);
}

/**
 * A workbook whose `messages` sheet inflates to about `mebibytes` MiB: a header row, then one row
 * whose content cell is that many MiB of "A". `declaredSize` is what the archive claims the
 * sheet inflates to (the truth when left out).
 */
export async function bombWorkbook(mebibytes: number, declaredSize?: number): Promise<Buffer> {
  const header = `<row r="1">${['sender', 'sent_at', 'content'].map((name, c) => inlineCell(`${String.fromCharCode(65 + c)}1`, name)).join('')}</row>`;
  const prefix = `${SHEET_HEAD}${header}<row r="2">${inlineCell('A2', '10690123450188')}${inlineCell('B2', '2022-03-14T09:30:00+08:00')}<c r="C2" t="inlineStr"><is><t>`;
  const suffix = `</t></is></c></row>${SHEET_TAIL}`;
  const { data, size } = await repeatingDeflate(prefix, mebibytes, suffix);
  // The checksum would take inflating it all to compute; nothing reads that far.
  const sheet: ZipPart = { name: 'xl/worksheets/sheet1.xml', method: 8, data, size: declaredSize ?? size, crc: 0 };
  return zipArchive([...workbookParts('messages'), sheet]);
}
