/**
 * The canonical form a name is compared in: folded (fold.ts), then letters and digits only, so
 * that 【济南，交警】, 【济南 交警】 and 【濟南交警】 compare equal to 济南交警.
 */
import { FoldedMessage } from './fold.ts';

const NOT_NAME = /[^\p{L}\p{N}]+/gu;
const HAS_NOT_NAME = /[^\p{L}\p{N}]/u;

/** A folder of its own: canonicalising a name must not disturb a detector's current message. */
const names = new FoldedMessage();

/** `text` in canonical form; `folded` when the text is already folded (a span of a folded message). */
export function canonicalise(text: string, folded = false): string {
  const foldedText = folded ? text : names.fold(text).text;
  return HAS_NOT_NAME.test(foldedText) ? foldedText.replace(NOT_NAME, '') : foldedText;
}
