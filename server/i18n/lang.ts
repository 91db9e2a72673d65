import type { Locale } from './index.ts';

/**
 * The language LANG asks for: English when it starts with `en`, else Chinese
 * (docs/cli.md#global-flags). Its own module, loading nothing: the settings (server/config.ts)
 * and the command line's help, which runs before the settings are read, follow the same rule.
 */
export function localeForLang(lang: string | undefined): Locale {
  return /^en/i.test(lang ?? '') ? 'en' : 'zh-CN';
}
