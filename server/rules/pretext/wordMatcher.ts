/**
 * Finds any of a list of words in a text, faster than one regular expression alternating them:
 * the words are grouped by their first UTF-16 unit, so a position whose unit starts no word costs
 * one table look-up, and only the few words that start with it are compared there. Every message
 * of the audit is read this way (OFFICIAL_PRETEXT, BRAND_IMPERSONATION), and nearly all of them
 * hold no cue at all.
 */
export interface WordMatch {
  index: number;
  word: string;
}

export class WordMatcher {
  /** Per first unit: the words starting with it, longest first. */
  readonly #byFirst = new Map<number, string[]>();
  readonly #starts = new Uint8Array(0x10000);

  constructor(words: Iterable<string>) {
    for (const word of new Set(words)) {
      if (word.length === 0) continue;
      const first = word.charCodeAt(0);
      const list = this.#byFirst.get(first);
      if (list === undefined) this.#byFirst.set(first, [word]);
      else list.push(word);
      this.#starts[first] = 1;
    }
    for (const list of this.#byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  /**
   * The first word at or after `from` (the longest where several start at one place) that
   * `accept` takes, or null. `accept` sees the word and where it stands.
   */
  find(text: string, from = 0, to = text.length, accept?: (word: string, index: number) => boolean): WordMatch | null {
    const starts = this.#starts;
    for (let i = from; i < to; i++) {
      if (starts[text.charCodeAt(i)] === 0) continue;
      for (const word of this.#byFirst.get(text.charCodeAt(i))!) {
        if (i + word.length > to || !text.startsWith(word, i)) continue;
        if (accept !== undefined && !accept(word, i)) continue;
        return { index: i, word };
      }
    }
    return null;
  }

  /**
   * True when any word stands in the first `length` of `units` (a folded message's units,
   * claims/fold.ts): the gate every message passes, read without making the folded text a string.
   */
  inUnits(units: Uint16Array, length: number): boolean {
    const starts = this.#starts;
    for (let i = 0; i < length; i++) {
      if (starts[units[i]] === 0) continue;
      for (const word of this.#byFirst.get(units[i])!) {
        if (i + word.length > length) continue;
        let k = 1;
        while (k < word.length && units[i + k] === word.charCodeAt(k)) k++;
        if (k === word.length) return true;
      }
    }
    return false;
  }

  /** Every match from left to right, the next search starting after the last match. */
  *all(text: string): Generator<WordMatch> {
    let from = 0;
    for (let match = this.find(text, from); match !== null; match = this.find(text, from)) {
      yield match;
      from = match.index + match.word.length;
    }
  }

  test(text: string): boolean {
    return this.find(text) !== null;
  }
}
