/**
 * An .xlsx workbook is a zip archive, and a few megabytes of zip can inflate to gigabytes. Before
 * exceljs reads one, this reads it the way exceljs's unzipper will (local headers one after the
 * other from the start) and the way a zip's own directory describes it, refuses an archive on
 * which the two disagree, and inflates every part once, counting: a part may not inflate past
 * the size the directory declares for it, nor the declared sizes past limits.ts. The counting
 * stops at the first byte too many, so a bomb costs what its declared size allows, not what it
 * would inflate to.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { DATASET_LIMITS } from './limits.ts';

/** Why the archive is refused: an i18n code under `issue.` and what fills its message. */
export class WorkbookArchiveRefused extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string>,
  ) {
    super(`${code}: ${JSON.stringify(params)}`);
  }
}

interface Part {
  name: string;
  nameBytes: Buffer;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const DESCRIPTOR_BYTES = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** Bit 3: sizes follow the data in a descriptor. */
const HAS_DESCRIPTOR = 0x08;
const MiB = 1024 * 1024;

const unreadable = (detail: string) => new WorkbookArchiveRefused('dataset.xlsx_unreadable', { detail });

/** Checks the archive at `file`; throws WorkbookArchiveRefused where it must not be read. */
export async function checkWorkbookArchive(file: string, limits = DATASET_LIMITS): Promise<void> {
  const handle = await open(file, 'r');
  let parts: Part[];
  let directoryOffset: number;
  try {
    ({ parts, directoryOffset } = await readDirectory(handle, limits));
    let total = 0;
    for (const part of parts) {
      if (part.size > limits.xlsxPartBytes)
        throw new WorkbookArchiveRefused('dataset.xlsx_part_too_large', {
          part: part.name,
          max: String(limits.xlsxPartBytes / MiB),
        });
      total += part.size;
    }
    if (total > limits.xlsxTotalBytes)
      throw new WorkbookArchiveRefused('dataset.xlsx_too_large', { max: String(limits.xlsxTotalBytes / MiB) });
    let expected = 0;
    for (const part of [...parts].sort((a, b) => a.offset - b.offset)) {
      if (part.offset !== expected) throw unreadable(`${part.name} does not follow the part before it`);
      expected = await checkLocalPart(handle, file, part, limits);
    }
    if (expected !== directoryOffset) throw unreadable('data between the last part and the directory');
  } finally {
    await handle.close();
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead < length) throw unreadable('the archive ends early');
  return buffer;
}

async function readDirectory(
  handle: FileHandle,
  limits: typeof DATASET_LIMITS,
): Promise<{ parts: Part[]; directoryOffset: number }> {
  const { size } = await handle.stat();
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(handle, size - tailLength, tailLength);
  let end = -1;
  for (let at = tailLength - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) throw unreadable('not a zip archive');
  let count = tail.readUInt16LE(end + 10);
  let directorySize = tail.readUInt32LE(end + 12);
  let directoryOffset = tail.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locatorAt = size - tailLength + end - 20;
    const locator = locatorAt >= 0 ? await readAt(handle, locatorAt, 20) : null;
    if (!locator || locator.readUInt32LE(0) !== ZIP64_END_LOCATOR)
      throw unreadable('a ZIP64 archive without its locator');
    const zip64 = await readAt(handle, Number(locator.readBigUInt64LE(8)), 56);
    if (zip64.readUInt32LE(0) !== ZIP64_END) throw unreadable('a ZIP64 archive without its directory end');
    count = Number(zip64.readBigUInt64LE(32));
    directorySize = Number(zip64.readBigUInt64LE(40));
    directoryOffset = Number(zip64.readBigUInt64LE(48));
  }
  if (count > limits.xlsxParts)
    throw new WorkbookArchiveRefused('dataset.xlsx_too_many_parts', { max: String(limits.xlsxParts) });
  // Each entry is at most 46 bytes and three 64 KiB fields.
  if (directorySize > count * (46 + 3 * 0xffff)) throw unreadable('a directory larger than its entries');
  const directory = await readAt(handle, directoryOffset, directorySize);
  const parts: Part[] = [];
  const names = new Set<string>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_ENTRY)
      throw unreadable('a broken directory');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
    const part: Part = {
      name: nameBytes.toString('utf8'),
      nameBytes,
      flags: directory.readUInt16LE(at + 8),
      method: directory.readUInt16LE(at + 10),
      compressedSize: directory.readUInt32LE(at + 20),
      size: directory.readUInt32LE(at + 24),
      offset: directory.readUInt32LE(at + 42),
    };
    readZip64Sizes(part, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    if (names.has(part.name)) throw unreadable(`${part.name} appears twice`);
    names.add(part.name);
    parts.push(part);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return { parts, directoryOffset };
}

/** The ZIP64 extra field holds, in this order, each of the sizes and offset that read 0xFFFFFFFF. */
function readZip64Sizes(part: Part, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        if (field + 8 > at + 4 + length) throw unreadable(`${part.name}: a broken ZIP64 field`);
        const value = Number(extra.readBigUInt64LE(field));
        field += 8;
        return value;
      };
      if (part.size === 0xffffffff) part.size = next();
      if (part.compressedSize === 0xffffffff) part.compressedSize = next();
      if (part.offset === 0xffffffff) part.offset = next();
      return;
    }
    at += 4 + length;
  }
}

/**
 * Checks one part where its local header stands and inflates it, counting; returns where the
 * next part must start. unzipper takes the compressed size from the local header unless it is
 * zero with a descriptor, when it reads up to the first descriptor signature: either way it
 * must find the extent the directory gives.
 */
async function checkLocalPart(
  handle: FileHandle,
  file: string,
  part: Part,
  limits: typeof DATASET_LIMITS,
): Promise<number> {
  const header = await readAt(handle, part.offset, 30);
  if (header.readUInt32LE(0) !== LOCAL_HEADER)
    throw unreadable(`${part.name}: no local header where the directory says`);
  const flags = header.readUInt16LE(6);
  const method = header.readUInt16LE(8);
  const localCompressed = header.readUInt32LE(18);
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  const name = await readAt(handle, part.offset + 30, nameLength);
  if (!name.equals(part.nameBytes) || method !== part.method)
    throw unreadable(`${part.name}: its local header differs from the directory`);
  if (method !== 0 && method !== 8) throw unreadable(`${part.name}: compression method ${method}`);
  const scansForDescriptor = (flags & HAS_DESCRIPTOR) !== 0 && localCompressed === 0;
  if (!scansForDescriptor && localCompressed !== part.compressedSize && localCompressed !== 0xffffffff) {
    throw unreadable(`${part.name}: its local header differs from the directory`);
  }
  const start = part.offset + 30 + nameLength + extraLength;
  const end = start + part.compressedSize;
  await inflateCounting(file, part, start, end, scansForDescriptor, limits);
  if ((flags & HAS_DESCRIPTOR) === 0) return end;
  // unzipper reads 16 bytes of descriptor, its signature first.
  const descriptor = await readAt(handle, end, 4);
  if (descriptor.readUInt32LE(0) !== DESCRIPTOR) throw unreadable(`${part.name}: no data descriptor after it`);
  return end + 16;
}

async function inflateCounting(
  file: string,
  part: Part,
  start: number,
  end: number,
  scansForDescriptor: boolean,
  limits: typeof DATASET_LIMITS,
): Promise<void> {
  if (part.method === 0 && part.compressedSize !== part.size)
    throw new WorkbookArchiveRefused('dataset.xlsx_size_mismatch', { part: part.name, size: String(part.size) });
  const counter = new InflatedText(part, limits);
  const compressed =
    end > start ? createReadStream(file, { start, end: end - 1, highWaterMark: MiB }) : Readable.from([]);
  let tail = Buffer.alloc(0);
  const scanned = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      if (scansForDescriptor) {
        const seen = Buffer.concat([tail, chunk]);
        if (seen.includes(DESCRIPTOR_BYTES))
          throw unreadable(`${part.name}: a data descriptor signature inside its data`);
        tail = seen.subarray(Math.max(0, seen.length - 3));
      }
      yield chunk;
    }
  };
  const count = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) counter.add(chunk);
  };
  try {
    // Throwing in count ends the pipeline: the inflater stops at the first byte too many.
    if (part.method === 8) await pipeline(compressed, scanned, createInflateRaw(), count);
    else await pipeline(compressed, scanned, count);
  } catch (error) {
    if (error instanceof WorkbookArchiveRefused) throw error;
    throw unreadable(`${part.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The inflated bytes of one part, counted against its declared size; in the XML parts exceljs
 * parses, the longest run between two `<` is measured too (a cell's text or a tag).
 */
class InflatedText {
  private count = 0;
  private readonly xml: boolean;
  /** Where (in inflated bytes) the last `<` seen was. */
  private lastTag = 0;

  constructor(
    private readonly part: Part,
    private readonly limits: typeof DATASET_LIMITS,
  ) {
    this.xml = /\.(xml|rels)$/i.test(part.name);
  }

  add(bytes: Buffer): void {
    const base = this.count;
    this.count += bytes.length;
    if (this.count > this.part.size)
      throw new WorkbookArchiveRefused('dataset.xlsx_size_mismatch', {
        part: this.part.name,
        size: String(this.part.size),
      });
    if (!this.xml) return;
    const last = bytes.lastIndexOf(60);
    if (last < 0) {
      if (this.count - this.lastTag > this.limits.xlsxTextBytes) this.refuseText();
      return;
    }
    // A run longer than the limit holds a whole stretch of `step` bytes: one look per stretch finds it.
    const step = this.limits.xlsxTextBytes;
    for (let at = 0; at < bytes.length; at += step) {
      const before = bytes.lastIndexOf(60, at);
      const after = bytes.indexOf(60, at);
      const from = before < 0 ? this.lastTag : base + before;
      const to = after < 0 ? this.count : base + after;
      if (to - from > step) this.refuseText();
    }
    this.lastTag = base + last;
  }

  private refuseText(): never {
    throw new WorkbookArchiveRefused('dataset.xlsx_text_too_long', {
      part: this.part.name,
      max: String(this.limits.xlsxTextBytes / 1024),
    });
  }
}
