/**
 * Width folding for scanning message text. Senders write `ｔ．ｃｎ／Ａ６ｘ` or `t。cn` so that
 * keyword filters miss the address while phones still open it (browsers map full-width forms and
 * 。 to ASCII, as UTS #46 does for host names).
 */

/**
 * Full-width letters, digits and the characters that build URLs and dial strings
 * (＃％＆（）＊＋－．／＝＠＿), and the ideographic full stops 。 ｡. Full-width ，：；！？～ stay as
 * they are: in Chinese text they are prose punctuation, and folding them would glue a
 * following clause onto a URL's path.
 */
const FOLDABLE = /[\uFF03\uFF05\uFF06\uFF08-\uFF0B\uFF0D-\uFF19\uFF1D\uFF20-\uFF3A\uFF3F\uFF41-\uFF5A\u3002\uFF61]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

function foldOne(char: string): string {
  if (char === '\u3002' || char === '\uFF61') return '.';
  return String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET);
}

/**
 * The text with those characters mapped to ASCII. Every mapping is one UTF-16 unit to one, so an
 * offset in the folded text is the same offset in the original: spans found in one apply to the
 * other.
 */
export function foldWidth(text: string): string {
  return text.replace(FOLDABLE, foldOne);
}

/** Invisible characters inserted to break up a host name or number (ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen). */
export const ZERO_WIDTH_CLASS = '\\u200B-\\u200D\\u2060\\uFEFF\\u00AD';
export const ZERO_WIDTH = new RegExp(`[${ZERO_WIDTH_CLASS}]`, 'g');
