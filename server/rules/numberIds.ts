/**
 * Small dense ids (0, 1, 2…) for the sender numbers an audit meets, so that what a rule keeps per
 * number can live in typed arrays instead of an object and a Map entry per number: a sample of
 * traffic can show nearly as many distinct numbers as messages (the bench's does).
 *
 * A 106 number (digits only, `106` and at most 17 more) is kept as three small integers (its
 * length and the digits after `106` in two runs) in an open-addressing table; the strings
 * themselves are not kept. Anything else (the explorer may ask about any sender) goes to a Map.
 */
import { int32Column, uint8Column } from '../util/columns.ts';

const DIGIT_0 = 48;
const MAX_DIGITS = 20;
/** Digits 4 to 11 and 12 to 20 of a number: each run fits in an Int32. */
const SPLIT = 11;

export class NumberIds {
  /** Per id: the number's length and its two runs of digits (0, 0, 0 for a number kept in `others`). */
  private readonly lengths = uint8Column();
  private readonly highs = int32Column();
  private readonly lows = int32Column();
  /** id + 1 per slot, 0 when empty; a power of two in size, never more than half full. */
  private slots = new Int32Array(2048);
  private readonly others = new Map<string, number>();

  /** How many ids have been given. */
  get size(): number {
    return this.lengths.length;
  }

  /** The number's id, given now if the number is new (then it equals the previous `size`). */
  idOf(number: string): number {
    const length = number.length;
    if (
      length > MAX_DIGITS ||
      length < 3 ||
      number.charCodeAt(0) !== 49 ||
      number.charCodeAt(1) !== DIGIT_0 ||
      number.charCodeAt(2) !== 54
    ) {
      return this.other(number);
    }
    let high = 0;
    let low = 0;
    for (let i = 3; i < length; i++) {
      const digit = number.charCodeAt(i) - DIGIT_0;
      if (digit < 0 || digit > 9) return this.other(number);
      if (i < SPLIT) high = high * 10 + digit;
      else low = low * 10 + digit;
    }
    const mask = this.slots.length - 1;
    let slot = slotOf(high, low, length, mask);
    for (;;) {
      const held = this.slots[slot];
      if (held === 0) break;
      const id = held - 1;
      if (this.highs.data[id] === high && this.lows.data[id] === low && this.lengths.data[id] === length) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.add(length, high, low);
    this.slots[slot] = id + 1;
    if (2 * this.size > this.slots.length) this.rehash();
    return id;
  }

  private other(number: string): number {
    let id = this.others.get(number);
    if (id === undefined) this.others.set(number, (id = this.add(0, 0, 0)));
    return id;
  }

  private add(length: number, high: number, low: number): number {
    this.highs.push(high);
    this.lows.push(low);
    return this.lengths.push(length);
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (const held of this.slots) {
      if (held === 0) continue;
      const id = held - 1;
      let slot = slotOf(this.highs.data[id], this.lows.data[id], this.lengths.data[id], mask);
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = held;
    }
    this.slots = slots;
  }
}

function slotOf(high: number, low: number, length: number, mask: number): number {
  let hash = Math.imul(high, 0x85ebca6b) ^ Math.imul(low, 0x9e3779b1) ^ length;
  hash = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
  return (hash ^ (hash >>> 15)) & mask;
}
