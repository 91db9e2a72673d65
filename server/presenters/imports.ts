import type { ImportRun } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { beijingTime } from './time.ts';

/** An import run as the imports list and the dashboard show it. */
export function importRunView(run: ImportRun, locale: Locale) {
  return {
    id: run.id,
    source: run.source,
    status: run.status,
    statusText: t(locale, `imports.status.${run.status}`),
    startedAt: beijingTime(run.startedAt),
    finishedAt: run.finishedAt ? beijingTime(run.finishedAt) : null,
    rowsRead: run.rowsRead,
    errorCount: run.errorCount,
    url: `/imports/${run.id}`,
  };
}
