import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { t } from '../i18n/index.ts';
import {
  entityAllocations,
  entityComplaints,
  entityMessages,
  findEntity,
  searchEntities,
} from '../services/lookup/browse.ts';
import { findingNames, listFindings } from '../services/audit/findings.ts';
import { findingRowView } from '../presenters/findings.ts';
import { beijingTime } from '../presenters/time.ts';
import { listQuery, usccParam } from './shared.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { allocationView, partyUrl } from '../presenters/parties.ts';
import { param, readQuery } from './query.ts';

const entityQuery = z.object({
  // The numbers' page (the parameter the page has always had), then the messages' and complaints'.
  page: param.page(),
  messages_page: param.page(),
  complaints_page: param.page(),
});

/** Findings shown on the entity's page; the rest are one link away on the findings page. */
const ENTITY_FINDINGS = 20;

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

/**
 * GET /entities/:uscc — who the entity is, its signatures, the numbers registered to it, the
 * findings about it, and the messages and complaints from its numbers while it held them.
 */
export async function getEntity(req: Request, res: Response, context: AppContext): Promise<void> {
  const scope = scopeOf(req.principal);
  const uscc = usccParam(String(req.params.uscc));
  const entity = uscc === null ? null : await findEntity(context.dataSource, uscc, scope);
  if (!entity) throw new HttpError(404, 'error.not_found');
  const query = readQuery(req, entityQuery);
  const locale = req.locale;
  const path = `/entities/${encodeURIComponent(entity.uscc)}`;
  const numbers = await entityAllocations(
    context.dataSource,
    entity.id,
    { page: query.page ?? 1, perPage: PER_PAGE },
    scope,
  );
  const findings = await listFindings(context.dataSource, scope, { entity: entity.uscc }, 1, ENTITY_FINDINGS);
  const names = await findingNames(context.dataSource, scope, findings.rows);
  const messages = await entityMessages(
    context.dataSource,
    entity.id,
    { page: query.messages_page ?? 1, perPage: PER_PAGE },
    scope,
  );
  const complaints = await entityComplaints(
    context.dataSource,
    entity.id,
    { page: query.complaints_page ?? 1, perPage: PER_PAGE },
    scope,
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
    numbers: { total: numbers.total, rows: numbers.rows.map((row) => allocationView(row, locale)) },
    pager: pagerView(numbers.page, numbers.total, PER_PAGE, pageUrlBuilder(path, req.query)),
    findings: {
      total: findings.total,
      rows: findings.rows.map((f) => findingRowView(f, locale, names)),
      more: findings.total > findings.rows.length,
      url: `/findings?entity=${entity.uscc}`,
    },
    messages: {
      total: messages.total,
      rows: messages.rows.map((m) => ({
        url: `/messages/${m.id}`,
        ref: m.externalId ?? `#${m.id}`,
        sender: m.sender,
        sentAt: beijingTime(m.sentAt),
        content: m.content,
      })),
    },
    messagesPager: pagerView(messages.page, messages.total, PER_PAGE, pageUrlBuilder(path, req.query, 'messages_page')),
    complaints: {
      total: complaints.total,
      rows: complaints.rows.map((c) => ({
        ref: c.externalId ?? `#${c.id}`,
        sender: c.sender,
        reportedAt: beijingTime(c.reportedAt),
        lossYuan: c.lossYuan,
        region: c.region,
        summary: c.summary,
      })),
    },
    complaintsPager: pagerView(
      complaints.page,
      complaints.total,
      PER_PAGE,
      pageUrlBuilder(path, req.query, 'complaints_page'),
    ),
  });
}
