import type { Parsed } from './parsed.ts';

/**
 * DOMAIN.md "Numbers": a 106 number is digits only, starts with 106, at most 20 digits. Input may
 * carry spaces, dashes, full-width digits or a +86 / 0086 / 86 prefix; it is normalised to bare
 * digits and anything else is refused with a reason.
 */
const SEPARATORS = /[\s\u00A0\u3000\u200B-\u200D\u2060\uFEFF\-\u2010-\u2015\u2212\uFE63\uFF0D]/g;
const LENGTHS = { prefix: { min: 5, max: 20 }, number: { min: 8, max: 20 } } as const;

export function parse106(raw: string, kind: 'prefix' | 'number' = 'number'): Parsed<string> {
  let text = String(raw).normalize('NFKC').replace(SEPARATORS, '');
  if (text === '') return { ok: false, code: 'number.empty' };
  if (text.startsWith('+86')) text = text.slice(3);
  else if (text.startsWith('0086') && text.slice(4).startsWith('106')) text = text.slice(4);
  else if (text.startsWith('86') && text.slice(2).startsWith('106')) text = text.slice(2);
  if (!/^[0-9]+$/.test(text)) return { ok: false, code: 'number.bad_chars' };
  if (!text.startsWith('106')) return { ok: false, code: 'number.not_106' };
  if (text.length > LENGTHS[kind].max) return { ok: false, code: 'number.too_long' };
  if (text.length < LENGTHS[kind].min) return { ok: false, code: 'number.too_short' };
  return { ok: true, value: text };
}

/** Every prefix of a normalised number from 3 digits to its full length (index-aware SQL uses them). */
export function prefixesOf(number: string): string[] {
  const prefixes: string[] = [];
  for (let length = 3; length <= number.length; length++) prefixes.push(number.slice(0, length));
  return prefixes;
}
