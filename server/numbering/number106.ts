/**
 * 106 numbers (docs/domain.md#106-numbers): digits only, starting with `106`, at most 20 digits
 * (base code + extension code). Input may carry spaces, dashes, full-width digits, zero-width
 * characters and a `+86`/`0086`/`86` country prefix; all of that is normalised to bare ASCII
 * digits, anything else is rejected with a stable error code (an i18n key).
 */
import { accepted, rejected, type Parsed } from './parsed.ts';

export type { Parsed } from './parsed.ts';

/** `prefix`: an allocation segment or extension prefix; `number`: a sender number. */
export type Number106Kind = 'prefix' | 'number';

export const NUMBER_106_ERRORS = [
  'number.empty',
  'number.bad_chars',
  'number.not_106',
  'number.too_short',
  'number.too_long',
] as const;

const MAX_DIGITS = 20;
const MIN_DIGITS: Record<Number106Kind, number> = { prefix: 5, number: 8 };

const DASHES = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\uFF0D']);
const ZERO_WIDTH = new Set(['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF']);
const PLUS_SIGNS = new Set(['+', '\uFF0B']);
const WHITESPACE = /^\s$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const ASCII_DIGIT = /^[0-9]$/;
const ASCII_DIGITS = /^[0-9]*$/;

/**
 * Drops spaces, dashes and zero-width characters and maps every digit (full-width included) to
 * ASCII, keeping `+`; null when any other character is present. Shared with phone numbers.
 * NFKC is applied per decimal digit rather than to the whole string: over the whole string it
 * would also turn ① ¹ ⑩ into digits, which nobody means when typing a number.
 */
export function compactDialString(raw: string): string | null {
  // Nearly every imported or typed number is already bare ASCII digits: nothing to drop or map.
  if (ASCII_DIGITS.test(raw)) return raw;
  let out = '';
  for (const char of raw) {
    if (WHITESPACE.test(char) || ZERO_WIDTH.has(char) || DASHES.has(char)) continue;
    if (PLUS_SIGNS.has(char)) {
      out += '+';
      continue;
    }
    const digit = DECIMAL_DIGIT.test(char) ? char.normalize('NFKC') : '';
    if (!ASCII_DIGIT.test(digit)) return null;
    out += digit;
  }
  return out;
}

/**
 * The national digits once a country prefix is gone. After `+` the digits are a country code, so
 * only +86 can lead to a 106 number; a bare `86`/`0086` is stripped only before `106`, since a
 * number may itself begin with 86.
 */
function nationalDigits(digits: string, international: boolean): string | null {
  if (international) return digits.startsWith('86') ? digits.slice(2) : null;
  if (digits.startsWith('0086106')) return digits.slice(4);
  if (digits.startsWith('86106')) return digits.slice(2);
  return digits;
}

/** Normalises a 106 number or prefix as typed or imported; never throws. */
export function parse106(raw: string, kind: Number106Kind = 'number'): Parsed<string> {
  const compacted = compactDialString(raw);
  if (compacted === null) return rejected('number.bad_chars');
  if (compacted === '') return rejected('number.empty');

  const international = compacted.startsWith('+');
  const digits = international ? compacted.slice(1) : compacted;
  // A plus sign is only meaningful in front of a country code.
  if (digits === '' || digits.includes('+')) return rejected('number.bad_chars');

  const national = nationalDigits(digits, international);
  if (national === null) return rejected('number.not_106');
  if (!national.startsWith('106')) {
    // "1" or "10" could still become a 106 number: the honest complaint is that it is short.
    return rejected('106'.startsWith(national) ? 'number.too_short' : 'number.not_106');
  }
  if (national.length < MIN_DIGITS[kind]) return rejected('number.too_short');
  if (national.length > MAX_DIGITS) return rejected('number.too_long');
  return accepted(national);
}

/**
 * Every prefix of a normalised number from 3 digits (`106`) to the whole number, shortest
 * first: the candidates for a longest-prefix match, usable as an indexed `IN (…)` list.
 */
export function prefixesOf(number: string): string[] {
  const prefixes: string[] = [];
  for (let length = 3; length <= number.length; length++) prefixes.push(number.slice(0, length));
  return prefixes;
}
