import type { AuditSnapshot } from './types.ts';

export interface SignatureSpan {
  /** As written, without the brackets. */
  text: string;
  /** Folded for comparison (signatureKey). */
  normalised: string;
  /** The span of the whole 【…】 in the message. */
  start: number;
  end: number;
}

const OPEN = 0x3010; // 【
const CLOSE = 0x3011; // 】
const NEWLINE = 0x0a;
/** The longest signature text taken, in UTF-16 units. */
const MAX_SIGNATURE = 40;
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF]/g;
/** Common Han characters, digits and lower-case letters only: what NFKC, the spaces and the case leave alone. */
const ALREADY_FOLDED = /^[\u4e00-\u9fff0-9a-z]*$/;

/**
 * A signature as filing compares it: NFKC (full-width letters and digits to half-width), no
 * spaces or invisible characters, Latin letters in lower case. `【 顺丰速运 】` and `【顺丰速运】`
 * are one signature; disguises meant to dodge a protected name are LOOKALIKE_SIGNATURE's business.
 */
export function signatureKey(text: string): string {
  if (ALREADY_FOLDED.test(text)) return text;
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
}

/** A signature some entity filed, as signatureKey folds it, and who filed it. */
export interface FiledSignature {
  /** Its number among the snapshot's filed signatures (FiledSignatures.all). */
  n: number;
  key: string;
  /** The USCCs of the entities that filed it, and their numbers among all filers (FiledSignatures.filers). */
  owners: readonly string[];
  ownerNumbers: readonly number[];
}

/** Every signature filed in a snapshot, for the rules to look a message's signatures up once. */
export interface FiledSignatures {
  byKey: ReadonlyMap<string, FiledSignature>;
  all: readonly FiledSignature[];
  /** Every USCC that filed a signature, each once. */
  filers: readonly string[];
  /**
   * The filed keys that signatureKey leaves as they are (common Han characters, digits and
   * lower-case letters only) in an open-addressing table by the hash of their units (hashStep):
   * per slot, the key's number in `all` + 1, or 0. A power of two in size, at most half full.
   */
  plainSlots: Int32Array;
}

/** A hash of UTF-16 units, one unit at a time (FNV-1a's steps); signaturesOf computes it as it scans. */
const HASH_START = 0x811c9dc5 | 0;
const hashStep = (hash: number, unit: number) => Math.imul(hash ^ unit, 0x01000193);

/** A unit signatureKey leaves alone: a common Han character, a digit or a lower-case letter (ALREADY_FOLDED). */
function isPlainUnit(unit: number): boolean {
  return (unit >= 0x4e00 && unit <= 0x9fff) || (unit >= 0x30 && unit <= 0x39) || (unit >= 0x61 && unit <= 0x7a);
}

function plainSlotsOf(all: readonly FiledSignature[]): Int32Array {
  let size = 16;
  while (size < 2 * all.length) size *= 2;
  const slots = new Int32Array(size);
  for (const signature of all) {
    // Plain as signaturesOf decides it while scanning, so that a table key and a scanned text agree.
    let hash = HASH_START;
    let plain = true;
    for (let i = 0; i < signature.key.length; i++) {
      const unit = signature.key.charCodeAt(i);
      hash = hashStep(hash, unit);
      if (!isPlainUnit(unit)) plain = false;
    }
    if (!plain) continue;
    let slot = hash & (size - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (size - 1);
    slots[slot] = signature.n + 1;
  }
  return slots;
}

/**
 * The filed signature whose key is content[start, end), which is all plain units hashing to
 * `hash`; null when none is. Decides for such text alone: a plain text is its own key, and a key
 * with other units cannot equal it.
 */
function plainFiled(
  content: string,
  start: number,
  end: number,
  hash: number,
  filed: FiledSignatures,
): FiledSignature | null {
  const { plainSlots: slots, all } = filed;
  const mask = slots.length - 1;
  for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
    const candidate = all[slots[slot] - 1];
    const { key } = candidate;
    if (key.length !== end - start) continue;
    let i = 0;
    while (i < key.length && key.charCodeAt(i) === content.charCodeAt(start + i)) i++;
    if (i === key.length) return candidate;
  }
  return null;
}

/** A 【…】 signature in a message, with its filing when it was filed (MessageContext.signatures). */
export interface MessageSignature extends SignatureSpan {
  filed: FiledSignature | null;
}

/**
 * The 【…】 signatures in a message, wherever they stand, each with its filing: 1 to 40
 * characters between the brackets, no bracket or line break among them (as
 * /【([^【】\n]{1,40})】/g would find them; scanned by hand, which costs a quarter as much).
 */
export function signaturesOf(content: string, filed: FiledSignatures): MessageSignature[] {
  let open = content.indexOf('【');
  if (open < 0) return [];
  const spans: MessageSignature[] = [];
  while (open >= 0) {
    const limit = Math.min(content.length, open + MAX_SIGNATURE + 2);
    let close = open + 1;
    let unit = 0;
    let hash = HASH_START;
    let plain = true;
    for (; close < limit; close++) {
      unit = content.charCodeAt(close);
      if (unit === CLOSE || unit === OPEN || unit === NEWLINE) break;
      hash = hashStep(hash, unit);
      if (plain && !isPlainUnit(unit)) plain = false;
    }
    if (close === limit || unit !== CLOSE || close === open + 1) {
      open = content.indexOf('【', open + 1);
      continue;
    }
    if (plain) {
      // Nearly every signature: its text is its key. A filed one takes the filing's key as its
      // text (the same units), so it is neither cut out nor hashed by the Map.
      const plainFiling = plainFiled(content, open + 1, close, hash, filed);
      const text = plainFiling === null ? content.slice(open + 1, close) : plainFiling.key;
      spans.push({ text, normalised: text, start: open, end: close + 1, filed: plainFiling });
    } else {
      const text = content.slice(open + 1, close);
      const normalised = signatureKey(text);
      if (normalised !== '')
        spans.push({ text, normalised, start: open, end: close + 1, filed: filed.byKey.get(normalised) ?? null });
    }
    open = content.indexOf('【', close + 1);
  }
  return spans;
}

const filedCache = new WeakMap<AuditSnapshot, FiledSignatures>();

/** The signatures filed in a snapshot: who filed each (a signature may be filed by several entities). */
export function filedSignatures(snapshot: AuditSnapshot): FiledSignatures {
  let filed = filedCache.get(snapshot);
  if (!filed) {
    const byKey = new Map<string, FiledSignature & { owners: string[]; ownerNumbers: number[] }>();
    const filerNumbers = new Map<string, number>();
    for (const entity of snapshot.entities.values()) {
      for (const signature of entity.signatures) {
        const key = signatureKey(signature);
        let record = byKey.get(key);
        if (!record) byKey.set(key, (record = { n: byKey.size, key, owners: [], ownerNumbers: [] }));
        if (record.owners.includes(entity.uscc)) continue;
        let number = filerNumbers.get(entity.uscc);
        if (number === undefined) filerNumbers.set(entity.uscc, (number = filerNumbers.size));
        record.owners.push(entity.uscc);
        record.ownerNumbers.push(number);
      }
    }
    const all = [...byKey.values()];
    filed = { byKey, all, filers: [...filerNumbers.keys()], plainSlots: plainSlotsOf(all) };
    filedCache.set(snapshot, filed);
  }
  return filed;
}
