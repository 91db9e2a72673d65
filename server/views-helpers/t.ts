import type { HelperOptions } from 'handlebars';
import { DEFAULT_LOCALE, isLocale, t } from '../i18n/index.ts';

/** `{{t "nav.lookup"}}`, `{{t "lookup.none" number=number}}`: text from the page's locale file. */
export function translate(this: unknown, key: string, options: HelperOptions): string {
  const locale = options.data?.root?.locale;
  return t(isLocale(locale) ? locale : DEFAULT_LOCALE, key, options.hash ?? {});
}
