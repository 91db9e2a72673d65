import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { t } from '../i18n/index.ts';
import { entityAllocations, findEntity, searchEntities } from '../services/lookup/browse.ts';
import { listQuery, usccParam } from './shared.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { allocationView, partyUrl } from '../presenters/parties.ts';
import { param, readQuery } from './query.ts';

const numbersQuery = z.object({ page: param.page() });

/** GET /entities?q=…&page=… — every using entity, searchable by name or USCC prefix, 50 a page. */
export async function getEntities(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = readQuery(req, listQuery);
  const q = query.q ?? '';
  const result = await searchEntities(
    context.dataSource,
    q,
    { page: query.page ?? 1, perPage: PER_PAGE },
    scopeOf(req.principal),
  );
  res.page('entities/index', {
    title: t(req.locale, 'entities.title'),
    section: 'entities',
    q,
    searched: q.trim() !== '',
    total: result.total,
    entities: result.rows.map((e) => ({
      name: e.name,
      uscc: e.uscc,
      url: partyUrl({ kind: 'entity', key: e.uscc }),
      kind: t(req.locale, `kind.${e.kind}`),
      signatures: e.signatures,
    })),
    pager: pagerView(result.page, result.total, PER_PAGE, pageUrlBuilder('/entities', req.query)),
  });
}

/** GET /entities/:uscc — who the entity is, its signatures, and the numbers registered to it. */
export async function getEntity(req: Request, res: Response, context: AppContext): Promise<void> {
  const uscc = usccParam(String(req.params.uscc));
  const entity = uscc === null ? null : await findEntity(context.dataSource, uscc, scopeOf(req.principal));
  if (!entity) throw new HttpError(404, 'error.not_found');
  const query = readQuery(req, numbersQuery);
  const numbers = await entityAllocations(
    context.dataSource,
    entity.id,
    { page: query.page ?? 1, perPage: PER_PAGE },
    scopeOf(req.principal),
  );
  res.page('entities/show', {
    title: entity.name,
    section: 'entities',
    entity: {
      name: entity.name,
      uscc: entity.uscc,
      usccValid: entity.usccValid,
      kind: t(req.locale, `kind.${entity.kind}`),
      usccKind: t(req.locale, `kind.${entity.usccKind}`),
      kindOverridden: entity.kindOverridden,
      signatures: entity.signatures,
    },
    numbers: { total: numbers.total, rows: numbers.rows.map((row) => allocationView(row, req.locale)) },
    pager: pagerView(
      numbers.page,
      numbers.total,
      PER_PAGE,
      pageUrlBuilder(`/entities/${encodeURIComponent(entity.uscc)}`, req.query),
    ),
  });
}
