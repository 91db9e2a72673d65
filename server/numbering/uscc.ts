/**
 * Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters from
 * 0-9 and ABCDEFGHJKLMNPQRTUWXY (no I O Z S V), valued 0..30 in that order. The 18th is a check
 * character over the first 17 with weights 3^(i-1) mod 31.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_SHAPE = /^[0-9ABCDEFGHJKLMNPQRTUWXY]{18}$/;

/**
 * Classes of organisation a USCC's first two characters imply (an entity's `kind` may override).
 * `government` = 机关 (11), `institution` = 事业单位 (12): the only ones that may send as a
 * government department.
 */
export const ENTITY_KINDS = ['government', 'institution', 'social', 'enterprise', 'individual', 'other'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Trims and upper-cases a USCC as typed; does not judge it. */
const PLAIN_UPPER_ALNUM = /^[0-9A-Z]*$/;

export function normaliseUscc(raw: string): string {
  // Upper-case ASCII letters and digits are what NFKC, dropping spaces and upper-casing give back unchanged.
  if (PLAIN_UPPER_ALNUM.test(raw)) return raw;
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** 18 characters of the USCC alphabet: what an import accepts (the check is the audit's job). */
export function isUsccShaped(value: string): boolean {
  return USCC_SHAPE.test(value);
}

/** The check character for the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('a USCC check character is computed over exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new RangeError(`"${first17[i]}" is not a USCC character`);
    sum += value * WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** True when the USCC is well-formed and its check character is right. */
export function isValidUscc(value: string): boolean {
  return isUsccShaped(value) && usccCheckCharacter(value.slice(0, 17)) === value[17];
}

/** The class the registering authority and category characters imply. */
export function usccKind(uscc: string): EntityKind {
  const code = uscc.slice(0, 2);
  if (code === '11') return 'government';
  if (code === '12') return 'institution';
  if (code[0] === '5') return 'social';
  if (code === '91') return 'enterprise';
  if (code === '92') return 'individual';
  return 'other';
}
