import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { t } from '../i18n/index.ts';
import { formatShanghai } from '../numbering/time.ts';
import { LookupInputError, lookupJson, lookupNumber } from '../services/lookup/lookup.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { partyUrl, partyView } from '../presenters/parties.ts';
import { beijingTime } from '../presenters/time.ts';
import { param, parseQuery } from './query.ts';

/** The query of /lookup and /api/lookup (the lookup lane, server/lookupLane.ts, parses with it too). */
export const lookupQuery = z.object({
  // Normalised and judged by the lookup itself, which says what is wrong with a number.
  number: param.text(100),
  at: param.moment(),
});

function linkView(link: IndexedAllocation, index: number, links: IndexedAllocation[], req: Request) {
  return {
    prefix: link.prefix,
    level: link.level,
    depth: index,
    holder: partyView(link.holder, req.locale),
    lessee: partyView(link.lessee, req.locale),
    validFrom: link.validFrom,
    validTo: link.validTo,
    declared: link.declared,
    miitFilingNo: link.miitFilingNo,
    isRelease: link.holder.kind === 'agent' && link.lessee.kind === 'agent',
    isLeaf: index === links.length - 1,
  };
}

/** GET /lookup — the form, and for a number (and optional moment) the chain that held it. */
export async function getLookup(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = parseQuery(req, lookupQuery);
  const form = { number: query.ok ? (query.value.number ?? '') : '', at: query.ok ? (query.value.at ?? '') : '' };
  const model: Record<string, unknown> = { title: t(req.locale, 'lookup.title'), section: 'lookup', form };
  if (!query.ok) {
    model.error = t(req.locale, query.error.messageKey, query.error.params);
    res.page('lookup/show', model, 400);
    return;
  }
  if (form.number === '') {
    res.page('lookup/show', model);
    return;
  }
  try {
    const result = await lookupNumber(context.dataSource, form.number, form.at, scopeOf(req.principal));
    const links = result.chain?.links ?? [];
    model.result = {
      number: result.number,
      at: beijingTime(result.at),
      found: result.chain !== null,
      links: links.map((link, i) => linkView(link, i, links, req)),
      entity: result.chain?.entity
        ? { name: result.chain.entity.name, uscc: result.chain.entity.key, url: partyUrl(result.chain.entity) }
        : null,
      topLevel: links.reduce((max, l) => Math.max(max, l.level), 0),
      scoped: req.principal?.carrierCode ?? null,
    };
    res.page('lookup/show', model);
  } catch (error) {
    if (!(error instanceof LookupInputError)) throw error;
    model.error = error.text(req.locale);
    res.page('lookup/show', model, 400);
  }
}

/** GET /api/lookup?number=…&at=… — the same answer as `sms106 lookup --json`. */
export async function getLookupJson(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = parseQuery(req, lookupQuery);
  if (!query.ok) {
    res
      .status(400)
      .json({ error: t(req.locale, query.error.messageKey, query.error.params), parameter: query.parameter });
    return;
  }
  if (query.value.number === undefined) {
    res.status(400).json({ error: t(req.locale, 'param.required', { name: 'number' }), parameter: 'number' });
    return;
  }
  try {
    const result = await lookupNumber(context.dataSource, query.value.number, query.value.at, scopeOf(req.principal));
    res.json(lookupJson(result, formatShanghai));
  } catch (error) {
    if (!(error instanceof LookupInputError)) throw error;
    res.status(error.status).json({ error: error.text(req.locale), code: error.code });
  }
}
