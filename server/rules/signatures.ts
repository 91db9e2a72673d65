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

const SIGNATURE = /【([^【】\n]{1,40})】/g;
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

/** The 【…】 signatures in a message, wherever they stand. */
export function signaturesOf(content: string): SignatureSpan[] {
  if (!content.includes('【')) return [];
  const spans: SignatureSpan[] = [];
  for (const match of content.matchAll(SIGNATURE)) {
    const normalised = signatureKey(match[1]);
    if (normalised === '') continue;
    spans.push({ text: match[1], normalised, start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

const ownersCache = new WeakMap<AuditSnapshot, Map<string, string[]>>();

/** Filed signature (signatureKey) → the USCCs of the entities that filed it. */
export function signatureOwners(snapshot: AuditSnapshot): Map<string, string[]> {
  let owners = ownersCache.get(snapshot);
  if (!owners) {
    owners = new Map();
    for (const entity of snapshot.entities.values()) {
      for (const signature of entity.signatures) {
        const key = signatureKey(signature);
        const list = owners.get(key);
        if (!list) owners.set(key, [entity.uscc]);
        else if (!list.includes(entity.uscc)) list.push(entity.uscc);
      }
    }
    ownersCache.set(snapshot, owners);
  }
  return owners;
}

const filedCache = new WeakMap<EntityInfo, ReadonlySet<string>>();

/** The signatures an entity filed, as signatureKey folds them. */
export function filedSignatureKeys(entity: EntityInfo): ReadonlySet<string> {
  let keys = filedCache.get(entity);
  if (!keys) filedCache.set(entity, (keys = new Set(entity.signatures.map(signatureKey))));
  return keys;
}
