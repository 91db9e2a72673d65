/**
 * Text analysis behind SUSPICIOUS_URL (docs/domain.md#suspicious_url): a short link not on the
 * allow-list, or a domain on the block-list. The source article's short-URL section: a short link
 * hides the real address, so the recipient cannot judge the site; it proposes an allow-list of
 * domains that may be shortened and a block-list of illegal ones. Pure: plain text and lists in,
 * verdicts out.
 *
 * URLs are found with and without a scheme, through the disguises fraud senders use to slip past
 * keyword filters (full-width letters, 。 for the dot, spaces or zero-width characters inside the
 * host). E-mail addresses are not URLs here: their domain receives mail, nobody is sent there by a
 * click, and the rule is about links.
 */
import { domainToASCII } from 'node:url';
import { foldWidth, ZERO_WIDTH, ZERO_WIDTH_CLASS } from './fold.ts';
import { KNOWN_SHORT_LINK_DOMAINS } from './shortLinks.ts';
import { BARE_URL_TLDS, CHINESE_SCRIPT_TLDS } from './tlds.ts';

export { KNOWN_SHORT_LINK_DOMAINS } from './shortLinks.ts';
export { findCallbackNumbers, type CallbackNumber } from './callbackNumbers.ts';

export interface FoundUrl {
  text: string;
  start: number;
  end: number;
  /** lower-case ASCII host (IDN → punycode via node:url domainToASCII), no trailing dot */
  host: string;
  /** full URL normalised: scheme added if missing ('http://'), full-width chars folded */
  url: string;
}

export interface UrlLists {
  allow: ReadonlySet<string>;
  block: ReadonlySet<string>;
  shortLink: ReadonlySet<string>;
}

export interface UrlVerdict {
  url: FoundUrl;
  reason: 'block-listed' | 'short-link-not-allowed';
  /** The listed domain the host falls under: the block-listed one, or the short-link service. */
  domain: string;
}

const ZW = ZERO_WIDTH_CLASS;

/**
 * Most messages hold no address at all. Every URL form below has a dot (in some width) directly
 * followed by a letter, possibly after spaces or invisible characters, or a `://`; a message
 * without either is done after one linear scan, without folding or the full pattern.
 */
const URL_HINT = new RegExp(
  `[.\\u3002\\uFF0E\\uFF61][\\s${ZW}]*[A-Za-z\\uFF21-\\uFF3A\\uFF41-\\uFF5A]|[:\\uFF1A][/\\uFF0F]{2}`,
);

/** A host label; invisible characters may sit between its characters. */
const ASCII_LABEL = `[A-Za-z0-9](?:[A-Za-z0-9${ZW}-]*[A-Za-z0-9])?`;
/** A label in Chinese (or any non-ASCII) script: only believed after an explicit scheme. */
const NON_ASCII_LABEL = `(?:(?![\\x00-\\x7F])[\\p{L}\\p{N}\\p{M}])+`;
const ANY_LABEL = `(?:${ASCII_LABEL}|${NON_ASCII_LABEL})`;
/**
 * The dot between labels, with invisible characters around it. Spaces are taken before a dot
 * ("t . cn", "t .cn") but after it only when there was one before: "ok. me too" is a sentence.
 */
const SPACE = '[ \\t\\u3000]';
const LABEL_SEPARATOR = `[${ZW}]*(?:${SPACE}+\\.${SPACE}*|\\.)[${ZW}]*`;
const SCHEME = '([Hh][Tt][Tt][Pp][Ss]?)[:\\uFF1A]//';
/**
 * Not followed by more host characters, an `@` (the local part of an e-mail address), or a dot
 * and a label: stops the pattern from backing off to a shorter host inside a longer word.
 */
const HOST_END = `(?![${ZW}]*[A-Za-z0-9_@-]|[${ZW}]*\\.[A-Za-z0-9])`;
const PORT = '(:\\d{1,5})?';
/** RFC 3986 path, query and fragment characters (ASCII only: Chinese text after a URL ends it). */
const PATH = `([/?#][A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%${ZW}-]*)?`;

/**
 * Groups: 1 scheme, 2 host after a scheme, 3 bare host, 4 port, 5 path. The look-behind keeps a
 * match from starting inside a word, a number ("3.5"), after a dot, or at an e-mail domain.
 */
const URL_PATTERN = new RegExp(
  `(?<![A-Za-z0-9_@.-])(?:${SCHEME}(${ANY_LABEL}(?:${LABEL_SEPARATOR}${ANY_LABEL})+)|(${ASCII_LABEL}(?:${LABEL_SEPARATOR}${ASCII_LABEL})+))` +
    `${HOST_END}${PORT}${PATH}`,
  'gu',
);
const SEPARATOR_PATTERN = new RegExp(LABEL_SEPARATOR, 'gu');
const IDEOGRAPHIC_FULL_STOP = /[\u3002\uFF61]/;
// Any character past ASCII; written as a range from NUL, which is what the rule means.
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007F]/;
const INVISIBLE = new RegExp(`^[${ZW}]$`);
const TLD_AFTER_SCHEME = /^(?:[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59})$/;
const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** Sentence punctuation that ends a path rather than belonging to it. */
const PATH_TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '*']);
const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

interface HostLabel {
  /** as written (folded), invisible characters removed */
  text: string;
  start: number;
  end: number;
  /** separated from the previous label by 。 rather than a dot */
  afterIdeographicStop: boolean;
}

/** URLs in SMS text, in order of appearance; spans index the original text (UTF-16 units). */
export function findUrls(content: string): FoundUrl[] {
  if (!URL_HINT.test(content)) return [];
  const folded = foldWidth(content);
  const found: FoundUrl[] = [];
  URL_PATTERN.lastIndex = 0;
  for (let match = URL_PATTERN.exec(folded); match !== null; match = URL_PATTERN.exec(folded)) {
    const url = interpretMatch(match, content);
    if (url !== null) found.push(url);
  }
  return found;
}

function interpretMatch(match: RegExpExecArray, content: string): FoundUrl | null {
  const [, scheme, schemeHost, bareHost, port = '', rawPath = ''] = match;
  const hasScheme = scheme !== undefined;
  const hostText = hasScheme ? schemeHost! : bareHost!;
  const hostStart = match.index + (hasScheme ? scheme.length + 3 : 0);

  const labels = hostLabels(hostText, hostStart, content);
  const kept = labelsUpToTld(labels, hasScheme);
  if (kept === null) return null;
  const host = asciiHost(kept);
  if (host === null) return null;

  // A host cut short (the label after it was prose) has no port or path of its own.
  const hostEnd = kept[kept.length - 1]!.end;
  const whole = hostEnd === hostStart + hostText.length;
  const portText = whole ? port : '';
  const pathStart = hostEnd + portText.length;
  const path = whole ? pathWithin(rawPath, pathStart, content) : '';
  const end = pathStart + path.length;
  const text = content.slice(match.index, end);
  const url = `${hasScheme ? scheme.toLowerCase() : 'http'}://${host}${portText}${path.replace(ZERO_WIDTH, '')}`;
  return { text, start: match.index, end, host, url };
}

function hostLabels(hostText: string, offset: number, content: string): HostLabel[] {
  const labels: HostLabel[] = [];
  let labelStart = 0;
  let afterIdeographicStop = false;
  SEPARATOR_PATTERN.lastIndex = 0;
  for (
    let separator = SEPARATOR_PATTERN.exec(hostText);
    separator !== null;
    separator = SEPARATOR_PATTERN.exec(hostText)
  ) {
    labels.push(hostLabel(hostText, labelStart, separator.index, offset, afterIdeographicStop));
    labelStart = separator.index + separator[0].length;
    // The folded text has '.' for every dot; the original says which one the sender typed.
    afterIdeographicStop = IDEOGRAPHIC_FULL_STOP.test(content.slice(offset + separator.index, offset + labelStart));
  }
  labels.push(hostLabel(hostText, labelStart, hostText.length, offset, afterIdeographicStop));
  return labels;
}

function hostLabel(
  hostText: string,
  from: number,
  to: number,
  offset: number,
  afterIdeographicStop: boolean,
): HostLabel {
  return {
    text: hostText.slice(from, to).replace(ZERO_WIDTH, ''),
    start: offset + from,
    end: offset + to,
    afterIdeographicStop,
  };
}

/**
 * The labels up to and including a believable TLD, or null. A last label that is not a TLD is
 * usually prose glued on ("example.com.Thanks", "https://t.cn。请查收"), so the host is cut back
 * to the last label that is one. After a scheme a Chinese TLD may run into the following words
 * ("https://例子.中国查看"): the known TLD at its start is taken, unless the label came after 。,
 * where the words are far more likely the next sentence than a domain.
 */
function labelsUpToTld(labels: HostLabel[], hasScheme: boolean): HostLabel[] | null {
  if (hasScheme && isIpv4(labels)) return labels;
  const last = labels[labels.length - 1]!;
  if (isTld(last.text, hasScheme)) return labels;
  if (hasScheme && !last.afterIdeographicStop) {
    const tld = CHINESE_SCRIPT_TLDS.find((candidate) => last.text.startsWith(candidate));
    if (tld !== undefined) return [...labels.slice(0, -1), { ...last, text: tld, end: last.start + tld.length }];
  }
  for (let index = labels.length - 2; index >= 1; index--) {
    if (isTld(labels[index]!.text, hasScheme)) return labels.slice(0, index + 1);
  }
  return null;
}

/**
 * After a scheme any alphabetic TLD is believed. Without one the TLD must be a known one, and
 * all one case: "Mr.Wang" and "Dr.Li" are names ending in real TLDs (.wang, .li), while hosts are
 * written in lower case or, in shouting adverts, upper case.
 */
function isTld(label: string, hasScheme: boolean): boolean {
  if (hasScheme) return TLD_AFTER_SCHEME.test(label) || CHINESE_SCRIPT_TLDS.includes(label);
  const lower = label.toLowerCase();
  return BARE_URL_TLDS.has(lower) && (label === lower || label === label.toUpperCase());
}

function isIpv4(labels: HostLabel[]): boolean {
  return labels.length === 4 && labels.every((label) => IPV4_OCTET.test(label.text));
}

/** Lower-case ASCII host (punycode for Chinese labels), or null when it cannot be a host name. */
function asciiHost(labels: HostLabel[]): string | null {
  const written = labels.map((label) => label.text).join('.');
  const host = NON_ASCII.test(written) ? domainToASCII(written) : written.toLowerCase();
  if (host === '' || host.length > MAX_HOST_LENGTH) return null;
  if (host.split('.').some((label) => label.length > MAX_LABEL_LENGTH)) return null;
  return host;
}

/**
 * The path as it belongs to the URL: up to the first 。 (a sentence end; a real path would carry
 * it percent-encoded) and without trailing sentence punctuation or an unbalanced closing bracket.
 */
function pathWithin(rawPath: string, pathStart: number, content: string): string {
  const sentenceEnd = content.slice(pathStart, pathStart + rawPath.length).search(IDEOGRAPHIC_FULL_STOP);
  let path = sentenceEnd < 0 ? rawPath : rawPath.slice(0, sentenceEnd);
  for (;;) {
    const last = path.charAt(path.length - 1);
    const unbalanced =
      (last === ')' && count(path, '(') < count(path, ')')) || (last === ']' && count(path, '[') < count(path, ']'));
    if (!PATH_TRAILING_PUNCTUATION.has(last) && !unbalanced && !INVISIBLE.test(last)) return path;
    path = path.slice(0, -1);
  }
}

function count(text: string, char: string): number {
  let total = 0;
  for (let index = text.indexOf(char); index >= 0; index = text.indexOf(char, index + 1)) total++;
  return total;
}

/** A host matches a listed domain when equal to it or a subdomain of it (a.b.example.com matches example.com). */
export function listedDomain(host: string, domains: ReadonlySet<string>): string | null {
  if (domains.size === 0) return null;
  let candidate = host.toLowerCase();
  if (candidate.endsWith('.')) candidate = candidate.slice(0, -1);
  // Most specific first: with both example.com and a.example.com listed, a.example.com names the entry.
  for (;;) {
    if (domains.has(candidate)) return candidate;
    const dot = candidate.indexOf('.');
    if (dot < 0) return null;
    candidate = candidate.slice(dot + 1);
  }
}

const KNOWN_SHORT_LINKS: ReadonlySet<string> = new Set(KNOWN_SHORT_LINK_DOMAINS);

/**
 * SUSPICIOUS_URL decision (docs/domain.md#suspicious_url): a short link not on the allow-list, or a
 * domain on the block-list (block wins over allow). Staff keep allow and block lists
 * (url_lists.csv); when they have listed no short-link domains of their own,
 * KNOWN_SHORT_LINK_DOMAINS says what a short link is. A domain that is neither short nor blocked is
 * not this rule's business.
 */
export function suspiciousUrls(content: string, lists: UrlLists): UrlVerdict[] {
  const urls = findUrls(content);
  if (urls.length === 0) return [];
  const shortLinks = lists.shortLink.size > 0 ? lists.shortLink : KNOWN_SHORT_LINKS;
  const verdicts: UrlVerdict[] = [];
  for (const url of urls) {
    const blocked = listedDomain(url.host, lists.block);
    if (blocked !== null) {
      verdicts.push({
        url,
        reason: 'block-listed',
        domain: blocked,
      });
      continue;
    }
    const shortLink = listedDomain(url.host, shortLinks);
    if (shortLink !== null && listedDomain(url.host, lists.allow) === null) {
      verdicts.push({
        url,
        reason: 'short-link-not-allowed',
        domain: shortLink,
      });
    }
  }
  return verdicts;
}
