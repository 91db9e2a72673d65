import { t, type Locale } from './index.ts';

/**
 * A text of the catalogue and what fills its placeholders: what a finding stores instead of prose,
 * so a wording is fixed in the locale files and shows in any language without a re-audit.
 */
export interface Phrase {
  code: string;
  params: PhraseParams;
}

/** Plain JSON: a value as it is, a phrase of its own, or a list joined by the catalogue text `join`. */
export type PhraseValue = string | number | Phrase | PhraseList;
export type PhraseParams = { [name: string]: PhraseValue };

export interface PhraseList {
  join: string;
  items: PhraseValue[];
}

export const phrase = (code: string, params: PhraseParams = {}): Phrase => ({ code, params });

/** Items joined by `finding.list` (、 in Chinese, a comma in English). */
export const listOf = (items: PhraseValue[]): PhraseList => ({ join: 'finding.list', items });

function renderValue(locale: Locale, value: PhraseValue): string | number {
  if (typeof value !== 'object') return value;
  if ('code' in value) return render(locale, value);
  return value.items.map((item) => renderValue(locale, item)).join(t(locale, value.join));
}

/** The phrase in `locale`, its parameters rendered first. */
export function render(locale: Locale, text: Phrase): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(text.params)) params[name] = renderValue(locale, value);
  return t(locale, text.code, params);
}

/** The codes a phrase uses, its own and its parameters': for the test that the catalogue has them all. */
export function codesOf(value: PhraseValue): string[] {
  if (typeof value !== 'object') return [];
  if ('code' in value) return [value.code, ...Object.values(value.params).flatMap(codesOf)];
  return [value.join, ...value.items.flatMap(codesOf)];
}

/** What a stored finding says about itself: a phrase, or, if written before findings stored one, its prose. */
export interface FindingWords {
  detailCode: string | null;
  detailParams: PhraseParams | null;
  detail: string | null;
  detailEn: string | null;
}

/**
 * A stored finding's text in `locale`. Cut at 1,000 characters, as the prose columns were. A
 * finding stored before the catalogue codes (migration 1764200000000) shows the prose it was
 * stored with until the next audit rewrites it.
 */
export function findingText(locale: Locale, finding: FindingWords): string {
  if (finding.detailCode === null) return (locale === 'en' ? finding.detailEn : finding.detail) ?? '';
  return render(locale, { code: finding.detailCode, params: finding.detailParams ?? {} }).slice(0, 1000);
}
