import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { t } from '../i18n/index.ts';
import { carrierSegments, carrierSummaries, findCarrier } from '../services/lookup/browse.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { allocationView, partyUrl } from '../presenters/parties.ts';
import { param, readQuery } from './query.ts';

const segmentsQuery = z.object({ page: param.page() });

/** GET /carriers — every carrier with its segments and the allocations under them. */
export async function getCarriers(req: Request, res: Response, context: AppContext): Promise<void> {
  const carriers = await carrierSummaries(context.dataSource, scopeOf(req.principal));
  res.page('carriers/index', {
    title: t(req.locale, 'carriers.title'),
    section: 'carriers',
    carriers: carriers.map((c) => ({ ...c, url: partyUrl({ kind: 'carrier', key: c.code }) })),
  });
}

/** GET /carriers/:code — the carrier's root segments and the first-level agents holding them. */
export async function getCarrier(req: Request, res: Response, context: AppContext): Promise<void> {
  const carrier = await findCarrier(context.dataSource, String(req.params.code), scopeOf(req.principal));
  if (!carrier) throw new HttpError(404, 'error.not_found');
  const query = readQuery(req, segmentsQuery);
  const segments = await carrierSegments(context.dataSource, carrier.id, { page: query.page ?? 1, perPage: PER_PAGE });
  res.page('carriers/show', {
    title: carrier.name,
    section: 'carriers',
    carrier: { code: carrier.code, name: carrier.name },
    total: segments.total,
    segments: segments.rows.map((row) => allocationView(row, req.locale)),
    pager: pagerView(
      segments.page,
      segments.total,
      PER_PAGE,
      pageUrlBuilder(`/carriers/${encodeURIComponent(carrier.code)}`, req.query),
    ),
  });
}
