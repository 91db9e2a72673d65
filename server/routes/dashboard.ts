import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { DATASET_FILES, TABLE_SPECS } from '../dataset/tables.ts';
import { t } from '../i18n/index.ts';
import { carrierStats, carrierTraffic, latestImports, trafficTotals } from '../services/lookup/dashboard.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { importRunView } from '../presenters/imports.ts';

/** GET / — counts per carrier and the latest imports. */
export async function getDashboard(req: Request, res: Response, context: AppContext): Promise<void> {
  const scope = scopeOf(req.principal);
  const carriers = await carrierStats(context.dataSource, scope);
  const totals = await trafficTotals(context.dataSource, scope);
  const traffic = await carrierTraffic(context.dataSource);
  const runs = await latestImports(context.dataSource, 5, scope);
  res.page('dashboard/index', {
    title: t(req.locale, 'nav.dashboard'),
    carriers: carriers.map((c) => ({ ...c, ...traffic.get(c.code), url: `/carriers/${encodeURIComponent(c.code)}` })),
    totals: {
      allocations: carriers.reduce((sum, c) => sum + c.allocations, 0),
      releases: carriers.reduce((sum, c) => sum + c.releases, 0),
      traffic: totals,
    },
    runs: runs.map((run) => importRunView(run, req.locale)),
    empty: carriers.length === 0,
  });
}

/** GET /docs/dataset-format — the columns of each dataset file, from the importer's own table. */
export function getDatasetFormat(req: Request, res: Response): void {
  res.page('docs/format', {
    title: t(req.locale, 'format.title'),
    section: 'imports',
    files: DATASET_FILES.map((file) => ({
      name: `${file}.csv`,
      required: TABLE_SPECS[file].required,
      optional: TABLE_SPECS[file].optional,
      note: t(req.locale, `format.file.${file}`),
    })),
  });
}
