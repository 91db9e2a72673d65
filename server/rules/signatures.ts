import type { AuditSnapshot, EntityInfo } from './types.ts';

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
    for (; close < limit; close++) {
      unit = content.charCodeAt(close);
      if (unit === CLOSE || unit === OPEN || unit === NEWLINE) break;
    }
    if (close === limit || unit !== CLOSE || close === open + 1) {
      open = content.indexOf('【', open + 1);
      continue;
    }
    const text = content.slice(open + 1, close);
    const normalised = signatureKey(text);
    if (normalised !== '') spans.push({ text, normalised, start: open, end: close + 1, filed: filed.byKey.get(normalised) ?? null });
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
    filed = { byKey, all: [...byKey.values()], filers: [...filerNumbers.keys()] };
    filedCache.set(snapshot, filed);
  }
  return filed;
}
