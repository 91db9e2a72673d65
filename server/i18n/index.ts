import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../util/projectRoot.ts';

/** zh-CN is the default: the users are Chinese compliance staff; en is the switch. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

type Messages = Record<string, string>;

/** Each locale's catalogue, read the first time it is asked for: `sms106 --help` in English reads only English. */
const messages: Partial<Record<Locale, Messages>> = {};

function catalogue(locale: Locale): Messages {
  return (messages[locale] ??= load(locale));
}

/** Each locale is a folder of JSON files, one per area of the product, merged; a key may appear once. */
function load(locale: Locale): Messages {
  // Read from the source tree also when compiled: the catalogue is data, not code.
  const folder = path.join(projectRoot, 'server', 'i18n', 'locales', locale);
  const merged: Messages = {};
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const part = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Messages;
    for (const [key, text] of Object.entries(part)) {
      if (key in merged) throw new Error(`locale ${locale}: key "${key}" is defined twice (${file})`);
      merged[key] = text;
    }
  }
  return merged;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The text for `key` in `locale`, with `{name}` placeholders filled from `params`. A key missing
 * from a locale falls back to zh-CN, then to the key itself, so a gap shows rather than hides.
 */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = catalogue(locale)[key] ?? catalogue(DEFAULT_LOCALE)[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether the catalogue has a text for `key` (both locales do: test/i18n/locales.test.ts). */
export function hasMessage(key: string): boolean {
  return key in catalogue(DEFAULT_LOCALE);
}

/** Every key of a locale: for the test that both locales say everything. */
export function messageKeys(locale: Locale): string[] {
  return Object.keys(catalogue(locale));
}
