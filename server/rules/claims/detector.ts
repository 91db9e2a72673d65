/**
 * Which bodies an SMS presents itself as. A claim is a claim of identity, not a mention:
 *  - a signature: 【…】 or 〖…〗 wherever it stands, or a substitute bracket ([…] (…) 〔…〕 「…」
 *    『…』 <…> 〈…〉) at the very start or end of the message, where a signature goes;
 *  - a self-identification in the text: 这里是X / 我是X / 我们是X / 本人系X …, X提醒您 / X提示：/
 *    X通知您 / X温馨提示 …, a leading "X：" label, or X alone after the last sentence.
 * "谨防冒充公检法诈骗", "如遇冒充公安的电话请挂断", "请登录交管12123 App", "到税务局官网查询" are
 * mentions: no identity pattern around them, or a warning word (冒充, 谨防, 自称…) in the same
 * clause, or inside quotation marks.
 *
 * The message is folded once (fold.ts); the patterns below run on the folded text, read as UTF-16
 * units where they can be (the brackets, the speaker words, the labels: a message with no claim
 * in its text never becomes a folded string), and every claim is mapped back to its span in the
 * original.
 */
import { canonicalise } from './canonical.ts';
import { FoldedMessage, foldTable, isHan } from './fold.ts';
import {
  BODY_NAME_LAST_UNITS,
  GOVERNMENT_BODY,
  GOVERNMENT_BODY_AT_END,
  GOVERNMENT_BODY_AT_START,
  GOVERNMENT_LABEL,
  UNIT_AT_END,
  publicServiceOf,
} from './governmentPattern.ts';
import { ProtectedNames, type ProtectedForm } from './protectedNames.ts';
import { senderKind } from './senderKind.ts';
import type { Claim, KnownSignature, ProtectedSenderRef } from './types.ts';

/**
 * 【】 and 〖〗 are signature brackets wherever they stand, also when the other half is a plain
 * square bracket (【济南交警] slips past a filter that pairs 【 with 】): what
 * /[【〖]([^【】〖〗[\]\n]{1,40})[】〗\]]|\[([^【】〖〗[\]\n]{1,40})[】〗]/g finds, scanned by hand
 * (signatureEnd) rather than by that expression, whose match arrays cost more than the scan.
 */
const LENTICULAR_OPEN = 0x3010; // 【
const LENTICULAR_CLOSE = 0x3011; // 】
const WHITE_LENTICULAR_OPEN = 0x3016; // 〖
const WHITE_LENTICULAR_CLOSE = 0x3017; // 〗
const SQUARE_OPEN = 0x5b; // [
const SQUARE_CLOSE = 0x5d; // ]
const LINE_FEED = 0x0a;
const COLON = 0x3a;
const COMMA = 0x2c;
const FULL_STOP = 0x2e;
const EXCLAMATION = 0x21;
const IDEOGRAPHIC_FULL_STOP = 0x3002; // 。
/** What a body's name alone after the last sentence must follow: 。 . ! ? ; a line break, — or -. */
const LABEL_AFTER = [...'。.!?;\n—-,'].map((character) => character.charCodeAt(0));
/** The most units between a signature's brackets. */
const MAX_SIGNATURE_TEXT = 40;

/** A unit that cannot stand inside a signature: any signature bracket, [ ], or a line break. */
function isSignatureStop(unit: number): boolean {
  return (
    unit === LENTICULAR_OPEN ||
    unit === LENTICULAR_CLOSE ||
    unit === WHITE_LENTICULAR_OPEN ||
    unit === WHITE_LENTICULAR_CLOSE ||
    unit === SQUARE_OPEN ||
    unit === SQUARE_CLOSE ||
    unit === LINE_FEED
  );
}

/**
 * Where the signature opened at `open` closes (the closing bracket's index), or -1 when no
 * signature opens there: 【 or 〖 closed by 】 〗 or ], or [ closed by 】 or 〗, around 1 to 40
 * units none of which is a stop. The text (the first `length` of `units`) runs up to the first
 * stop, so that stop decides.
 */
function signatureEnd(units: Uint16Array, length: number, open: number): number {
  const opener = units[open];
  const square = opener === SQUARE_OPEN;
  if (!square && opener !== LENTICULAR_OPEN && opener !== WHITE_LENTICULAR_OPEN) return -1;
  const limit = Math.min(length, open + 2 + MAX_SIGNATURE_TEXT);
  let close = open + 1;
  while (close < limit && !isSignatureStop(units[close])) close++;
  if (close === open + 1 || close === limit) return -1;
  const closer = units[close];
  return closer === LENTICULAR_CLOSE || closer === WHITE_LENTICULAR_CLOSE || (closer === SQUARE_CLOSE && !square)
    ? close
    : -1;
}
/** Other brackets are a signature only where a signature goes: first or last in the message. */
const SUBSTITUTE_OPENERS = '[(〔「『<〈{';
const SUBSTITUTE_CLOSERS = '])〕」』>〉}';
const BRACKETS = '【】〖〗' + SUBSTITUTE_OPENERS + SUBSTITUTE_CLOSERS + '\n';
/** The same as UTF-16 units, an opener's closer at the same place. */
const SUBSTITUTE_OPENER_UNITS = [...SUBSTITUTE_OPENERS].map((bracket) => bracket.charCodeAt(0));
const SUBSTITUTE_CLOSER_UNITS = [...SUBSTITUTE_CLOSERS].map((bracket) => bracket.charCodeAt(0));
const MAX_SIGNATURE = 30;

/** Words after a body's name inside a signature that do not change the body: 【济南交警温馨提示】. */
const NOTICE_ENDING =
  /(?:温馨提示|温馨提醒|友情提示|友情提醒|重要通知|紧急通知|特别通知|温馨告知|告知书|通知书|提醒函|提醒|提示|通知|公告|通告|公示|告知|服务号)$/;

/** X + one of these: X is the body speaking. */
const SPEAKER_BEFORE = [
  '温馨提示',
  '温馨提醒',
  '友情提示',
  '友情提醒',
  '郑重提醒',
  '郑重提示',
  '特别提醒',
  '特别提示',
  '重要提醒',
  '重要提示',
  '提醒您',
  '提醒你',
  '提示您',
  '提示你',
  '提醒:',
  '提示:',
  '通知您',
  '通知你',
  '通知:',
  '告知您',
  '正式通知',
  '敬告',
  '提醒广大',
  '提醒各位',
  '的工作人员',
  '工作人员',
  '重要通知',
  '紧急通知',
  '特别通知',
  '告知:',
];
/** One of these + X: X is the body speaking. */
const SPEAKER_AFTER = [
  '这里是',
  '这边是',
  '我这边是',
  '我们是',
  '我是',
  '本人是',
  '本人系',
  '我系',
  '我方是',
  '我单位是',
];
/** The speaker words in the order /(before…)|(after…)/ tries them, each with the side its name stands on. */
const SPEAKER_WORDS: ReadonlyArray<{ word: string; before: boolean }> = [
  ...SPEAKER_BEFORE.map((word) => ({ word, before: true })),
  ...SPEAKER_AFTER.map((word) => ({ word, before: false })),
];
/** Per UTF-16 unit: 1 when a speaker word starts with it. */
const SPEAKER_STARTS = new Uint8Array(0x10000);
for (const { word } of SPEAKER_WORDS) SPEAKER_STARTS[word.charCodeAt(0)] = 1;

/**
 * The speaker word at `at` in the first `length` of `units`, or null: the first of SPEAKER_WORDS
 * that stands there, as the alternation of them all would match it. Scanning the folded units
 * for these from left to right, each search going on after the last word found, finds what
 * that expression's global search finds, without the folded text as a string.
 */
function speakerAt(units: Uint16Array, length: number, at: number): { word: string; before: boolean } | null {
  if (SPEAKER_STARTS[units[at]] === 0) return null;
  for (const speaker of SPEAKER_WORDS) {
    const { word } = speaker;
    if (at + word.length > length || units[at] !== word.charCodeAt(0)) continue;
    let i = 1;
    while (i < word.length && units[at + i] === word.charCodeAt(i)) i++;
    if (i === word.length) return speaker;
  }
  return null;
}

/**
 * In the same clause as a body's name, these make it a mention or a warning, not the sender's
 * identity: 冒充公安局通知您, 谨防自称法院工作人员, 如遇“这里是交警支队”的来电.
 */
const MENTION_CUE =
  /冒充|假冒|仿冒|伪装|假扮|谎称|自称|声称|冒用|假借|谨防|警惕|提防|防范|如遇|若遇|如有|接到|骗子|不法分子|诈骗分子|不会/;
/** A warning word counts within its clause; a quotation within its sentence. */
const CLAUSE_END = /[。.!?;\n,、:]/;
const SENTENCE_END = /[。.!?;\n]/;
const OPENING_QUOTES = '“"「『‘\'';
const CLOSING_QUOTES = '”"」』’\'';

/**
 * A self-identification that names no government body is reported only when it names an
 * organisation (招商银行提醒您), so that 停水通知: or 开庭提醒您 is not taken for a body.
 */
const ORGANISATION_ENDING =
  /(?:银行|公司|集团|医院|大学|学院|学校|快递|速运|物流|电力|燃气|水务|自来水|移动|联通|电信|保险|证券|人寿|商城|平台|客服|中心)$/;

/** A province written before a city's name. */
const PROVINCE_FIRST = /^(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,5}自治区)(?=[\u4e00-\u9fff]{2,4}市)/;

/** Longest self-identified name considered, before and after the speaker words. */
const MAX_NAME_BEFORE = 20;
const MAX_NAME_AFTER = 24;
const MAX_LABEL = 16;

/** Index of the first bracket at or after `from` within a signature's length, or -1. */
function closingBracket(text: string, from: number): number {
  for (let i = from; i < text.length && i - from <= MAX_SIGNATURE; i++) if (BRACKETS.includes(text[i])) return i;
  return -1;
}

/** Index of the last bracket at or before `from` within a signature's length, or -1. */
function openingBracket(text: string, from: number): number {
  for (let i = from; i >= 0 && from - i <= MAX_SIGNATURE; i--) if (BRACKETS.includes(text[i])) return i;
  return -1;
}

/** A signature's claim apart from where it stands: the rest of a Claim. Shared: never written to. */
type SignatureReading = Readonly<Pick<Claim, 'protectedSender' | 'match' | 'government' | 'brand'>>;

/** The reading of a signature that names no protected sender and no government body. */
const NAMES_NOBODY: SignatureReading = Object.freeze({
  protectedSender: null,
  match: 'none',
  government: false,
  brand: false,
});

/** How many signature readings a detector keeps before it starts again. */
const MAX_REMEMBERED_SIGNATURES = 50_000;
/**
 * A signature written longer than this (at most 40 units fold into a signature, but the dropped
 * characters in between count here) is read afresh each time: a key never holds on to more.
 */
const MAX_REMEMBERED_LENGTH = 64;

const NONE_KNOWN: readonly KnownSignature[] = Object.freeze([]);

function readingOf(claim: Claim): SignatureReading {
  // Most signatures name nobody: they share one reading.
  if (claim.protectedSender === null && claim.match === 'none' && !claim.government) return NAMES_NOBODY;
  return {
    protectedSender: claim.protectedSender,
    match: claim.match,
    government: claim.government,
    brand: claim.brand,
  };
}

/** True when units[start, end) and text[textStart, textEnd) are the same units. */
function sameUnits(
  units: Uint16Array,
  start: number,
  end: number,
  text: string,
  textStart: number,
  textEnd: number,
): boolean {
  if (end - start !== textEnd - textStart) return false;
  for (let i = 0; i < end - start; i++) if (units[start + i] !== text.charCodeAt(textStart + i)) return false;
  return true;
}

/**
 * Of the caller's signatures, the one at exactly [start, end) (its text that long), when it is written as a filed
 * signature.
 */
function filedSignatureAt(
  known: readonly KnownSignature[],
  start: number,
  end: number,
): (KnownSignature & { filed: NonNullable<KnownSignature['filed']> }) | null {
  for (const signature of known) {
    if (signature.start !== start || signature.end !== end) continue;
    const { filed } = signature;
    const asFiled = filed !== null && signature.text.length === end - start - 2 && signature.text === filed.key;
    return asFiled ? (signature as KnownSignature & { filed: NonNullable<KnownSignature['filed']> }) : null;
  }
  return null;
}

function isNameUnit(unit: number): boolean {
  return isHan(unit) || (unit >= 0x30 && unit <= 0x39) || (unit >= 0x61 && unit <= 0x7a);
}

export class ClaimDetector {
  readonly #names: ProtectedNames;
  /** Per UTF-16 unit: 1 when a protected name or a government body's name can end with it (#label's tail). */
  readonly #nameEnds = new Uint8Array(0x10000);
  readonly #folded = new FoldedMessage();
  #lastContent: string | null = null;
  /** The content #folded holds. */
  #foldedFor: string | null = null;
  #lastClaims: readonly Claim[] = [];
  /** Signature readings by the text as written: of signatures, and of substitute brackets at the end. */
  readonly #signatureReadings = new Map<string, SignatureReading | null>();
  readonly #endReadings = new Map<string, SignatureReading | null>();
  /**
   * Readings of signatures written exactly as a filed signature, by that signature's number
   * (KnownSignature.filed.n): an array read instead of a hash of the text. The numbers are the
   * caller's, so each reading is kept with the text it was read from and used only for that
   * text: callers numbering their signatures differently get the readings right, only slower.
   */
  readonly #filedReadings: Array<SignatureReading | null> = [];
  readonly #filedTexts: string[] = [];

  constructor(protectedSenders: readonly ProtectedSenderRef[]) {
    foldTable();
    this.#names = new ProtectedNames(protectedSenders, canonicalise);
    for (const unit of [...BODY_NAME_LAST_UNITS, ...this.#names.lastUnits()]) this.#nameEnds[unit] = 1;
  }

  /**
   * Every body the message presents itself as: each 【…】 signature wherever it stands (start,
   * middle, end; also common bracket substitutes like [..] 〖..〗 when used as a signature), and
   * self-identification in the text ("这里是…交警支队", "…法院通知您", "…提醒您", "我是…工作人员" …).
   * In order of position. `known`: the message's 【…】 signatures as the caller already found
   * them (KnownSignature), to be read without a second look-up; the claims are the same without.
   */
  claims(content: string, known: readonly KnownSignature[] = NONE_KNOWN): readonly Claim[] {
    // GOV_IMPERSONATION and LOOKALIKE_SIGNATURE ask about each message in turn.
    if (content === this.#lastContent) return this.#lastClaims;
    const claims = this.#claimsOf(content, known);
    this.#lastContent = content;
    this.#lastClaims = claims;
    return claims;
  }

  /**
   * The folder holding `content` folded, shared with the pretext reader (pretext/reader.ts) so a
   * message is folded once; valid until the next call with other content.
   */
  foldedMessage(content: string): FoldedMessage {
    if (this.#foldedFor !== content) {
      this.#folded.fold(content);
      this.#foldedFor = content;
    }
    return this.#folded;
  }

  #claimsOf(content: string, known: readonly KnownSignature[]): Claim[] {
    // Read as units (folded.units): the folded text as a string is made only where a claim may
    // stand, and a one-character string of a Chinese character would be a fresh string each time.
    const folded = this.#folded.fold(content);
    this.#foldedFor = content;
    const { units, length } = folded;
    const claims: Claim[] = [];

    // Signatures first: speaker words inside one (【济南交警提醒】) are then not read again as text.
    for (let open = 0; open < length; open++) {
      const close = signatureEnd(units, length, open);
      if (close < 0) continue;
      this.#signature(content, open + 1, close, true, claims, known);
      open = close;
    }
    const opener = length > 0 ? SUBSTITUTE_OPENER_UNITS.indexOf(units[0]) : -1;
    if (opener >= 0) {
      const text = folded.text;
      const close = closingBracket(text, 1);
      if (close > 1 && SUBSTITUTE_CLOSER_UNITS.indexOf(text.charCodeAt(close)) === opener)
        this.#signature(content, 1, close, true, claims, known);
    }
    let last = length - 1;
    if (last > 0 && (units[last] === IDEOGRAPHIC_FULL_STOP || units[last] === FULL_STOP || units[last] === EXCLAMATION))
      last--;
    const closer = last > 0 ? SUBSTITUTE_CLOSER_UNITS.indexOf(units[last]) : -1;
    if (closer >= 0) {
      const text = folded.text;
      const open = openingBracket(text, last - 1);
      if (open > 0 && SUBSTITUTE_OPENER_UNITS.indexOf(text.charCodeAt(open)) === closer)
        this.#signature(content, open + 1, last, false, claims);
    }

    // Self-identification in the text.
    for (let at = 0; at < length; at++) {
      const speaker = speakerAt(units, length, at);
      if (speaker === null) continue;
      if (!this.#insideSignature(at, claims)) {
        if (speaker.before) this.#nameBefore(content, folded.text, at, claims);
        else this.#nameAfter(content, folded.text, at + speaker.word.length, claims);
      }
      at += speaker.word.length - 1;
    }
    this.#label(content, claims);
    if (claims.length > 1) claims.sort((a, b) => a.start - b.start);
    return claims;
  }

  #insideSignature(foldedIndex: number, claims: Claim[]): boolean {
    const index = this.#folded.originAt(foldedIndex);
    for (const claim of claims)
      if (claim.kind === 'signature' && index >= claim.start - 1 && index <= claim.end) return true;
    return false;
  }

  /**
   * The signature whose content is folded [start, end), between brackets at start − 1 and end.
   * Its text is everything between the brackets as written, invisible characters included: a
   * 【济南交警\u200B】 is not byte for byte the name, which is what makes it a disguise.
   * `always`: report it even if it names nobody known (a substitute bracket at the end need not
   * be a signature at all). `known`: the caller's signatures (claims), read from when one of them
   * stands exactly here written as filed.
   */
  #signature(
    content: string,
    start: number,
    end: number,
    always: boolean,
    claims: Claim[],
    known: readonly KnownSignature[] = NONE_KNOWN,
  ): void {
    const folded = this.#folded;
    const originalStart = folded.originAt(start - 1) + 1;
    const originalEnd = folded.originAt(end);
    for (const claim of claims) if (claim.start === originalStart) return; // 【】 at the start already read
    // Nearly always the signature folds to itself: then its folded text is not cut out a second time.
    const same = folded.identity || sameUnits(folded.units, start, end, content, originalStart, originalEnd);
    const asFiled = always && same ? filedSignatureAt(known, originalStart - 1, originalEnd + 1) : null;
    let written: string;
    let reading: SignatureReading | null;
    if (asFiled !== null) {
      written = asFiled.text;
      const { n, key } = asFiled.filed;
      // The key, which the text equals: one string for every message of one filing, so the check is a pointer compare.
      if (this.#filedTexts[n] !== key) {
        this.#filedReadings[n] = this.#readSignature(written, written, true);
        this.#filedTexts[n] = key;
      }
      reading = this.#filedReadings[n];
    } else {
      written = content.slice(originalStart, originalEnd);
      reading = this.#signatureReading(written, same ? written : folded.text.slice(start, end), always);
    }
    if (reading === null) return;
    const claim = this.#claim(written, originalStart, originalEnd, 'signature');
    claim.protectedSender = reading.protectedSender;
    claim.match = reading.match;
    claim.government = reading.government;
    claim.brand = reading.brand;
    claims.push(claim);
  }

  /**
   * What a signature written `written` (folded: `folded`) claims, or null when it is not taken
   * for a claim. Remembered: traffic repeats a few thousand signatures over and over.
   */
  #signatureReading(written: string, folded: string, always: boolean): SignatureReading | null {
    if (written.length > MAX_REMEMBERED_LENGTH) return this.#readSignature(written, folded, always);
    const readings = always ? this.#signatureReadings : this.#endReadings;
    // Nearly every signature folds to itself: its text alone is then the key.
    const key = folded === written ? written : `${written}\u0000${folded}`;
    let reading = readings.get(key);
    if (reading === undefined) {
      if (readings.size >= MAX_REMEMBERED_SIGNATURES) readings.clear();
      readings.set(key, (reading = this.#readSignature(written, folded, always)));
    }
    return reading;
  }

  #readSignature(written: string, folded: string, always: boolean): SignatureReading | null {
    let canonical = canonicalise(folded, true);
    if (canonical.length === 0) return null;
    const claim = this.#claim(written, 0, 0, 'signature');
    if (MENTION_CUE.test(canonical)) return always ? readingOf(claim) : null; // 【谨防冒充公安】 is a slogan, not a body
    let body = written;
    const notice = NOTICE_ENDING.exec(canonical);
    if (notice !== null && notice.index >= 2) {
      canonical = canonical.slice(0, notice.index);
      if (body.endsWith(notice[0])) body = body.slice(0, -notice[0].length);
    }
    this.#resolve(claim, body, canonical);
    // (1/2) or [95555] at the start is a counter or a number, not a name, unless it is one (【12123】)
    // A number a protected sender lists (【95588】 for a bank) is that sender's claim.
    return claim.government || claim.protectedSender !== null || (always && /[^0-9]/.test(canonical))
      ? readingOf(claim)
      : null;
  }

  /** The body named just before speaker words at folded `end` (上海交警 + 提醒您). */
  #nameBefore(content: string, text: string, end: number, claims: Claim[]): void {
    let start = end;
    while (start > 0 && end - start < MAX_NAME_BEFORE && isNameUnit(text.charCodeAt(start - 1))) start--;
    if (end - start < 2) return;
    const run = text.slice(start, end);
    const government = GOVERNMENT_BODY_AT_END.exec(run);
    if (government !== null) {
      // The pattern lets any words precede a strong type (今天济南交警); a protected name that ends
      // the run is the better extent.
      let nameStart = start + government.index;
      for (let length = end - nameStart; length >= 2; length--) {
        if (this.#names.get(text.slice(end - length, end)) !== undefined) {
          nameStart = end - length;
          break;
        }
      }
      this.#textClaim(content, text, nameStart, end, claims);
      return;
    }
    for (let length = Math.min(end - start, this.#names.longest); length >= 2; length--) {
      if (this.#names.get(text.slice(end - length, end)) !== undefined) {
        this.#textClaim(content, text, end - length, end, claims);
        return;
      }
    }
    if (ORGANISATION_ENDING.test(run) && !/[您你我请并和及将会已的了]/.test(run) && run.length <= 12)
      this.#textClaim(content, text, start, end, claims);
  }

  /** The body named just after speaker words ending at folded `start` (这里是 + 济南交警支队). */
  #nameAfter(content: string, text: string, start: number, claims: Claim[]): void {
    let end = start;
    while (end < text.length && end - start < MAX_NAME_AFTER && isNameUnit(text.charCodeAt(end))) end++;
    if (end - start < 2) return;
    const run = text.slice(start, end);
    const government = GOVERNMENT_BODY_AT_START.exec(run);
    if (government !== null) {
      this.#textClaim(content, text, start, start + government[0].length, claims);
      return;
    }
    for (let length = Math.min(end - start, this.#names.longest); length >= 2; length--) {
      if (this.#names.get(text.slice(start, start + length)) !== undefined) {
        this.#textClaim(content, text, start, start + length, claims);
        return;
      }
    }
    const cut = run.search(/的|工作人员|客服|专员/);
    const name = cut > 0 ? run.slice(0, cut) : run;
    if (ORGANISATION_ENDING.test(name) && !/[您你我请并和及将会已了]/.test(name) && name.length <= 12)
      this.#textClaim(content, text, start, start + name.length, claims);
  }

  /** "济南交警：…" at the start (after any signature), and a body's name alone after the last sentence. */
  #label(content: string, claims: Claim[]): void {
    const folded = this.#folded;
    const { units, length } = folded;
    let start = 0;
    while (start < length && (units[start] === LENTICULAR_OPEN || units[start] === WHITE_LENTICULAR_OPEN)) {
      let close = start + 1;
      while (close < length && units[close] !== LENTICULAR_CLOSE && units[close] !== WHITE_LENTICULAR_CLOSE) close++;
      if (close === length) break;
      start = close + 1;
    }
    let end = start;
    while (end < length && end - start <= MAX_LABEL && isNameUnit(units[end])) end++;
    // units past `length` are an earlier message's.
    if (end - start >= 2 && end < length && units[end] === COLON && this.#namesBody(folded.text.slice(start, end)))
      this.#textClaim(content, folded.text, start, end, claims);

    let tailEnd = length;
    for (; tailEnd > 0; tailEnd--) {
      const unit = units[tailEnd - 1];
      if (isNameUnit(unit) || unit === LENTICULAR_CLOSE || unit === WHITE_LENTICULAR_CLOSE) break;
    }
    let tailStart = tailEnd;
    while (tailStart > 0 && tailEnd - tailStart <= MAX_LABEL && isNameUnit(units[tailStart - 1])) tailStart--;
    if (tailStart === 0 || tailEnd - tailStart < 2 || tailStart === start) return;
    if (!LABEL_AFTER.includes(units[tailStart - 1]) || this.#nameEnds[units[tailEnd - 1]] === 0) return;
    const tail = folded.text.slice(tailStart, tailEnd);
    // After a sentence any body's name signs; after a comma only a protected sender's listed name or
    // alias does: "请准时到达考场，济南市车管所" names a place, "…请及时办理，济南交警" signs.
    const signs =
      units[tailStart - 1] === COMMA
        ? (this.#names.get(tail)?.kind ?? 'abbreviation') !== 'abbreviation'
        : this.#namesBody(tail);
    if (signs) this.#textClaim(content, folded.text, tailStart, tailEnd, claims);
  }

  /** True when a whole label names a protected sender or, place first, a government body. */
  #namesBody(label: string): boolean {
    return this.#names.get(label) !== undefined || GOVERNMENT_LABEL.test(label);
  }

  #textClaim(content: string, text: string, start: number, end: number, claims: Claim[]): void {
    if (this.#mentioned(text, start, end)) return;
    const folded = this.#folded;
    const originalStart = folded.originAt(start);
    const originalEnd = folded.originalEnd(end);
    for (const claim of claims) if (claim.start === originalStart && claim.end === originalEnd) return;
    const written = content.slice(originalStart, originalEnd);
    const claim = this.#claim(written, originalStart, originalEnd, 'self-identification');
    this.#resolve(claim, written, text.slice(start, end));
    claims.push(claim);
  }

  /** A warning word in the clause up to the name's end, or an open quotation: a mention. */
  #mentioned(text: string, start: number, end: number): boolean {
    let clauseStart = start;
    while (clauseStart > 0 && !CLAUSE_END.test(text[clauseStart - 1])) clauseStart--;
    if (MENTION_CUE.test(text.slice(clauseStart, end))) return true;
    let sentenceStart = clauseStart;
    while (sentenceStart > 0 && !SENTENCE_END.test(text[sentenceStart - 1])) sentenceStart--;
    let open = 0;
    for (let i = sentenceStart; i < start; i++) {
      if (OPENING_QUOTES.includes(text[i]) && !(CLOSING_QUOTES.includes(text[i]) && open > 0)) open++;
      else if (CLOSING_QUOTES.includes(text[i])) open = Math.max(0, open - 1);
    }
    return open > 0;
  }

  #claim(text: string, start: number, end: number, kind: Claim['kind']): Claim {
    return { text, start, end, kind, protectedSender: null, match: 'none', government: false, brand: false };
  }

  /**
   * Fills in which protected sender a claim names and how. `written` is the claimed name as the
   * message writes it, `canonical` the same folded to letters and digits. A sub-unit of a
   * protected body (济南交警支队车管所, 海淀法院执行局) is taken as a claim of that body.
   */
  #resolve(claim: Claim, written: string, canonical: string): void {
    const form = this.#formOf(canonical, written);
    if (form !== null) {
      claim.protectedSender = form.form.sender;
      claim.match = form.match;
      this.#kindOf(claim, form.form.sender);
      return;
    }
    const lookalike = this.#names.lookalike(canonical);
    if (lookalike !== undefined) {
      claim.protectedSender = lookalike.sender;
      claim.match = 'lookalike';
      this.#kindOf(claim, lookalike.sender);
      return;
    }
    if (GOVERNMENT_BODY.test(canonical) || (claim.kind === 'signature' && publicServiceOf(canonical) !== null)) {
      claim.match = 'pattern';
      claim.government = true;
    }
  }

  /** A protected sender is a government body or a brand (senderKind); the claim says which. */
  #kindOf(claim: Claim, sender: ProtectedSenderRef): void {
    const government = senderKind(sender) === 'government';
    claim.government = government;
    claim.brand = !government;
  }

  #formOf(canonical: string, written: string): { form: ProtectedForm; match: Claim['match'] } | null {
    let form = this.#names.get(canonical);
    let body = written;
    const province = form === undefined ? PROVINCE_FIRST.exec(canonical) : null;
    if (province !== null) {
      // 山东省济南市公安局交通警察支队: the province adds nothing to a city's body
      canonical = canonical.slice(province[0].length);
      form = this.#names.get(canonical);
      if (body.startsWith(province[0])) body = body.slice(province[0].length);
    }
    if (form === undefined) {
      const unit = UNIT_AT_END.exec(canonical);
      if (unit === null || unit.index < 2) return null;
      form = this.#names.get(canonical.slice(0, unit.index));
      if (form === undefined) return null;
      if (body.endsWith(unit[0])) body = body.slice(0, -unit[0].length);
    }
    const asListed = body === form.written;
    if (form.kind === 'abbreviation') return { form, match: asListed ? 'abbreviation' : 'normalised' };
    return { form, match: asListed ? 'exact' : 'normalised' };
  }
}
