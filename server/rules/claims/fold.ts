/**
 * Folding: one pass over a message that removes the disguises a sender can put between a reader
 * and a protected name, while remembering where each folded character came from so that a claim
 * found in the folded text can be reported at its place in the original (UTF-16 offsets).
 *
 * What folding does, in order, per character:
 *  - NFKC (full-width → half-width, compatibility ideographs and Kangxi radicals → ordinary ones,
 *    ① → 1, ideographic space → space);
 *  - Latin to lower case; Cyrillic/Greek lookalikes → the Latin letter they imitate;
 *  - traditional → simplified, with the character table OpenCC's own converters give;
 *  - Chinese confusables → the character protected names use (confusables.ts);
 *  - whitespace, format characters (zero-width space/joiners, U+FEFF, U+2060, soft hyphen, bidi
 *    marks), combining marks and emoji are dropped; line breaks are kept as boundaries;
 *    outside the BMP, CJK extensions pass and anything else is NFKC-folded (𝟏𝟐𝟏𝟐𝟑 → 12123);
 * and then, with both neighbours known:
 *  - separator punctuation and symbols (· . * _ - ~ | / ★ ☎ …) between two Chinese characters
 *    are dropped (济·南·交·警 → 济南交警);
 *  - i, l, |, o next to a digit become 1 or 0 (交管I2I23 → 交管12123).
 *
 * The per-character part is a 64K-entry table built once, so a message costs one table look-up
 * per UTF-16 unit; OpenCC's phrase converter is run only while building that table (running it
 * per message costs several microseconds, more than the whole claim detection).
 */
import * as OpenCC from 'opencc-js';
import { CHINESE_CONFUSABLES, DIGIT_LOOKALIKE_LETTERS, LATIN_LOOKALIKES } from './confusables.ts';

const UNCHANGED = 0;
const DROPPED = 0xffff;
const EXPANDED = 0xfffe;

/** Separators a sender inserts between characters of a name; dropped only between two Chinese characters. */
const SEPARATORS = new Set('·•‧・∙⋅.*_-~`\'"|/\\^+=#°˙…—–-'.split('').map((c) => c.charCodeAt(0)));

interface FoldTable {
  /** per UTF-16 unit: UNCHANGED, DROPPED, EXPANDED, or the unit it folds to */
  units: Uint16Array;
  /** per folded unit: 1 for a separator, 2 + digit for a letter that may stand in for that digit */
  contextual: Uint8Array;
  /** the folded text of units whose fold is more than one unit (NFKC's ㈱ → (株)) */
  expansions: Map<number, string>;
}

let table: FoldTable | null = null;

/** Traditional → simplified per character, as OpenCC's hk→cn and tw→cn converters give it. */
function traditionalToSimplified(): Map<string, string> {
  const characters = new Set<string>();
  const collect = (groups: readonly (readonly (string | readonly (readonly [string, string])[])[])[]) => {
    for (const group of groups) {
      for (const dict of group) {
        const pairs = typeof dict === 'string' ? dict.split('|').map((pair) => pair.split(' ')) : dict;
        for (const pair of pairs) for (const word of pair) if (word.length === 1) characters.add(word);
      }
    }
  };
  collect(OpenCC.Locale.from.hk);
  collect(OpenCC.Locale.from.tw);
  collect(OpenCC.Locale.to.cn);
  const converters = [OpenCC.Converter({ from: 'hk', to: 'cn' }), OpenCC.Converter({ from: 'tw', to: 'cn' })];
  const simplified = new Map<string, string>();
  for (const character of characters) {
    for (const convert of converters) {
      const converted = convert(character);
      if (converted !== character && converted.length === 1 && !simplified.has(character))
        simplified.set(character, converted);
    }
  }
  return simplified;
}

const DROP_CLASS = /^[\p{Mn}\p{Cf}]$|^\s$/u;
const SYMBOL = /^[\p{So}\p{Sk}]$/u;
const LINE_BREAK = /^[\n\r\u2028\u2029\u0085]$/;

function buildTable(): FoldTable {
  const simplified = traditionalToSimplified();
  const confusable = new Map<string, string>();
  for (const [canonical, ...lookalikes] of CHINESE_CONFUSABLES)
    for (const lookalike of lookalikes) confusable.set(lookalike, canonical);

  const foldCharacter = (character: string): string => {
    if (LINE_BREAK.test(character)) return '\n';
    if (DROP_CLASS.test(character)) return '';
    if (character >= 'A' && character <= 'Z') return character.toLowerCase();
    const latin = LATIN_LOOKALIKES[character];
    if (latin !== undefined) return latin;
    const simple = simplified.get(character) ?? character;
    return confusable.get(simple) ?? simple;
  };

  const units = new Uint16Array(0x10000);
  const expansions = new Map<number, string>();
  for (let unit = 0; unit < 0x10000; unit++) {
    if (unit >= 0xd800 && unit <= 0xdfff) continue; // surrogate halves pass through unchanged
    const original = String.fromCharCode(unit);
    let folded = '';
    for (const character of original.normalize('NFKC')) folded += foldCharacter(character);
    if (folded === original) continue;
    if (folded === '') units[unit] = DROPPED;
    else if (folded.length === 1) units[unit] = folded.charCodeAt(0);
    else {
      units[unit] = EXPANDED;
      expansions.set(unit, folded);
    }
  }
  const contextual = new Uint8Array(0x10000);
  for (const separator of SEPARATORS) contextual[separator] = 1;
  // Symbols (★ ☎ ♥ ✓ …) carry no part of a name: between two Chinese characters they are separators too.
  for (let unit = 0x80; unit < 0x10000; unit++) {
    if ((unit < 0xd800 || unit > 0xdfff) && units[unit] === UNCHANGED && SYMBOL.test(String.fromCharCode(unit)))
      contextual[unit] = 1;
  }
  for (const [letter, digit] of Object.entries(DIGIT_LOOKALIKE_LETTERS))
    contextual[letter.charCodeAt(0)] = 2 + Number(digit);
  return { units, expansions, contextual };
}

/** Builds the fold table (about 0.1 s, once per process); called by ClaimDetector's constructor. */
export function foldTable(): FoldTable {
  table ??= buildTable();
  return table;
}

/** True for a CJK unified ideograph (basic block, extension A) or a UTF-16 half of one in plane 2 (extensions B–F). */
export function isHan(unit: number): boolean {
  return (
    (unit >= 0x4e00 && unit <= 0x9fff) ||
    (unit >= 0x3400 && unit <= 0x4dbf) ||
    (unit >= 0xd840 && unit <= 0xd87f) ||
    (unit >= 0xdc00 && unit <= 0xdfff)
  );
}

/** High surrogates of the emoji planes (U+1F000–U+1FBFF): pictures inserted into a name are dropped. */
function isEmojiHighSurrogate(unit: number): boolean {
  return unit >= 0xd83c && unit <= 0xd83e;
}

function isAsciiDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

/**
 * The folded form of one message, reused from message to message by its owner (a ClaimDetector):
 * `units` (the first `length`) are the folded text, `text` the same as a string once asked for,
 * and `originAt(i)` the offset in the original content of folded character i. Not shared between
 * detectors, so concurrent use needs one detector per worker.
 */
export class FoldedMessage {
  /** true when folding changed nothing: folded offsets are original offsets */
  identity = true;
  /** The folded text's length in UTF-16 units. */
  length = 0;
  #content = '';
  #units = new Uint16Array(256);
  /** The folded text once asked for (`text`), null until then. */
  #text: string | null = null;
  /**
   * Per folded unit, its offset in the original, and at `length` the original's length.
   * Written only once folding may have moved units (`#shifted`: a unit dropped or expanded, a
   * pair outside the BMP, or the second pass over separators and digit lookalikes); until then
   * every folded unit sits where it was, as in a message that only swaps units (，→ ,).
   */
  #origins = new Int32Array(256);
  #shifted = false;

  /**
   * The folded text as a string, made on first asking: a message the detector finds no claim
   * in is read as units only (`units`), and most messages fold to a text of their own (，→ ,),
   * which would otherwise be a new string for each.
   */
  get text(): string {
    this.#text ??= this.identity ? this.#content : unitsToString(this.#units, this.length);
    return this.#text;
  }

  /** The folded text's UTF-16 units, the first `length` of them; overwritten by the next fold. */
  get units(): Uint16Array {
    return this.#units;
  }

  /** Offset in the original content of folded character `index` (0 ≤ index ≤ length). */
  originAt(index: number): number {
    return this.#shifted ? this.#origins[index] : index;
  }

  /** Offset in the original content just after folded span [.., end). */
  originalEnd(end: number): number {
    if (end === 0) return 0;
    const last = this.originAt(end - 1);
    const unit = this.#content.charCodeAt(last);
    return unit >= 0xd800 && unit <= 0xdbff ? last + 2 : last + 1; // do not split a surrogate pair
  }

  fold(content: string): this {
    this.#content = content;
    const { units: foldUnits, expansions, contextual: contextualUnits } = foldTable();
    const capacity = content.length * 4 + 8; // an NFKC expansion is at most a few units (㍻ → 平成)
    if (this.#units.length < capacity) {
      this.#units = new Uint16Array(capacity);
      this.#origins = new Int32Array(capacity);
    }
    const units = this.#units;
    const origins = this.#origins;
    let length = 0;
    let changed = false;
    let shifted = false;
    let contextual = false; // a separator or a digit-lookalike letter was seen: second pass needed
    for (let i = 0; i < content.length; i++) {
      const unit = content.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < content.length) {
        if (!shifted) shifted = alignedOrigins(origins, length);
        // Outside the BMP the table has no entry: CJK extensions pass, emoji go, and the rest
        // (mathematical 𝟏𝟐𝟏𝟐𝟑, enclosed 🄰) is NFKC-folded here, which is rare enough to be slow.
        const pair = content.slice(i, i + 2);
        if (isHan(unit)) {
          units[length] = unit;
          origins[length++] = i;
          units[length] = content.charCodeAt(i + 1);
          origins[length++] = i + 1;
        } else {
          changed = true;
          if (!isEmojiHighSurrogate(unit)) {
            for (const character of pair.normalize('NFKC')) {
              const folded = character.length === 1 ? foldUnits[character.charCodeAt(0)] : UNCHANGED;
              const replacement =
                folded === UNCHANGED
                  ? character
                  : folded === DROPPED
                    ? ''
                    : folded === EXPANDED
                      ? expansions.get(character.charCodeAt(0))!
                      : String.fromCharCode(folded);
              for (let k = 0; k < replacement.length; k++) {
                units[length] = replacement.charCodeAt(k);
                origins[length++] = i;
              }
            }
          }
        }
        i++;
        if (length > 0 && contextualUnits[units[length - 1]] !== 0) contextual = true;
        continue;
      }
      const fold = foldUnits[unit];
      if (fold === UNCHANGED) {
        units[length] = unit;
        if (shifted) origins[length] = i;
        length++;
        if (contextualUnits[unit] !== 0) contextual = true;
      } else if (fold === DROPPED) {
        if (!shifted) shifted = alignedOrigins(origins, length);
        changed = true;
      } else if (fold === EXPANDED) {
        if (!shifted) shifted = alignedOrigins(origins, length);
        const expansion = expansions.get(unit)!;
        for (let k = 0; k < expansion.length; k++) {
          units[length] = expansion.charCodeAt(k);
          origins[length++] = i;
        }
        if (length > 0 && contextualUnits[units[length - 1]] !== 0) contextual = true;
        changed = true;
      } else {
        units[length] = fold;
        if (shifted) origins[length] = i;
        length++;
        if (contextualUnits[fold] !== 0) contextual = true;
        changed = true;
      }
    }
    if (contextual) {
      if (!shifted) shifted = alignedOrigins(origins, length);
      const before = length;
      length = applyContext(units, origins, length, contextualUnits);
      if (length !== before) changed = true;
      else for (let k = 0; k < length && !changed; k++) if (units[k] !== content.charCodeAt(origins[k])) changed = true;
    }
    if (shifted) origins[length] = content.length;
    // A folded text made into a string has U+FFFD for a lone surrogate (unitsToString); the
    // units read in its place must say the same. No stored message holds one (UTF-8 cannot).
    if (changed) replaceLoneSurrogates(units, length);
    this.identity = !changed;
    this.#shifted = shifted;
    this.length = length;
    this.#text = null;
    return this;
  }
}

/**
 * U+FFFD for each surrogate half of the first `length` units that is not part of a pair, as a UTF-16 decoder reads
 * them.
 */
function replaceLoneSurrogates(units: Uint16Array, length: number): void {
  for (let k = 0; k < length; k++) {
    const unit = units[k];
    if ((unit & 0xf800) !== 0xd800) continue; // not a surrogate half: nearly every unit
    if (unit <= 0xdbff && k + 1 < length && (units[k + 1] & 0xfc00) === 0xdc00) k++;
    else units[k] = 0xfffd;
  }
}

/**
 * Writes the origins of the first `length` folded units, each where it was, before folding
 * moves any; returns true, to be kept as the `shifted` flag.
 */
function alignedOrigins(origins: Int32Array, length: number): true {
  for (let k = 0; k < length; k++) origins[k] = k;
  return true;
}

/** Drops separators between Chinese characters and turns digit-lookalike letters next to digits into digits. */
function applyContext(units: Uint16Array, origins: Int32Array, length: number, contextual: Uint8Array): number {
  let kept = 0;
  for (let k = 0; k < length; k++) {
    const unit = units[k];
    const previous = kept > 0 ? units[kept - 1] : 0;
    const role = contextual[unit];
    if (role === 1 && isHan(previous)) {
      let next = k + 1;
      while (next < length && contextual[units[next]] === 1) next++;
      if (next < length && isHan(units[next])) {
        k = next - 1; // the whole run of separators goes
        continue;
      }
    }
    const digitNearby = isAsciiDigit(previous) || (k + 1 < length && isAsciiDigit(units[k + 1]));
    units[kept] = role >= 2 && digitNearby ? 0x30 + role - 2 : unit;
    origins[kept++] = origins[k];
  }
  return kept;
}

/**
 * UTF-16 units as a string; the decoder does it natively, at two thirds of String.fromCharCode's
 * cost. A lone surrogate (no stored message can hold one) comes out as U+FFFD, also one unit, so
 * the offsets into the original still hold.
 */
const UTF16 = new TextDecoder('utf-16le');

function unitsToString(units: Uint16Array, length: number): string {
  return UTF16.decode(units.subarray(0, length));
}
