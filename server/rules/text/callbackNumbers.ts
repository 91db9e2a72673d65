/**
 * Phone numbers quoted in message text ("请回电0755-12345678"): the numbers a victim is told to
 * call back, kept as evidence on a finding. Normalised like every ordinary phone number
 * (docs/domain.md#phone-numbers-in-messages: libphonenumber-js, default region CN, E.164 out).
 */
import { normalisePhone } from '../../numbering/phone.ts';
import { foldWidth } from './fold.ts';

export interface CallbackNumber {
  text: string;
  start: number;
  end: number;
  e164: string;
}

/** One optional separator between digit groups, as people type them (full-width ones are folded). */
const GAP = '[ \\u3000\\u2013-]?';
const COUNTRY_CODE = `(?:\\+|00)86${GAP}`;
/** 1[3-9]x xxxx xxxx: mobile ranges; "10…" is excluded here, so 106 sender numbers never match. */
const MOBILE = `(?:${COUNTRY_CODE})?1[3-9]\\d(?:${GAP}\\d{4}){2}`;
/**
 * Area code with its trunk 0 (0755, 010, "(0755)"), or after +86 without it; then a local number
 * of 7 or 8 digits. Requiring the 0 or +86 keeps bare digit runs (order, tracking and account
 * numbers) out.
 */
const LANDLINE = `(?:${COUNTRY_CODE}(?:\\(\\d{2,3}\\)|\\d{2,3})|\\(0\\d{2,3}\\)|0\\d{2,3})${GAP}\\d{3,4}${GAP}\\d{4}`;
/** 400 (shared cost) and 800 (toll free) service numbers: 10 digits. */
const SERVICE = `[48]00(?:${GAP}\\d){7}`;

/**
 * Not inside a longer run of digits or letters (a 12-digit tracking number, a QQ number, a
 * product code), not after a currency sign, and not an amount ("13800000000元") or a decimal.
 * Six-digit verification codes and dates fit none of the shapes above.
 */
const PHONE_PATTERN = new RegExp(
  `(?<![0-9A-Za-z+\\u00A5\\uFFE5$])(?:${MOBILE}|${LANDLINE}|${SERVICE})(?![0-9]|\\.[0-9]|\\s?[元万亿块%\\uFF05])`,
  'g',
);
const DIGIT = /[0-9\uFF10-\uFF19]/;

/** Phone numbers in the text, in order of appearance, each valid for libphonenumber-js and in E.164. */
export function findCallbackNumbers(content: string): CallbackNumber[] {
  if (!DIGIT.test(content)) return [];
  const folded = foldWidth(content);
  const numbers: CallbackNumber[] = [];
  PHONE_PATTERN.lastIndex = 0;
  for (let match = PHONE_PATTERN.exec(folded); match !== null; match = PHONE_PATTERN.exec(folded)) {
    const start = match.index;
    const end = start + match[0].length;
    const text = content.slice(start, end);
    // The shapes only say "looks like a phone number"; libphonenumber's metadata knows which
    // ranges exist (no 12345678901 mobiles, no 0000 area codes).
    const phone = normalisePhone(text);
    if (phone.ok) numbers.push({ text, start, end, e164: phone.value });
  }
  return numbers;
}
