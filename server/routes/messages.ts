import type { Request, Response } from 'express';
import { z } from 'zod';
import { HttpError, type AppContext } from '../app.ts';
import { t } from '../i18n/index.ts';
import { chainEvidence } from '../rules/evidence.ts';
import { explainMessage, listMessages } from '../services/messages.ts';
import { scopeOf } from '../services/scope.ts';
import { findingRowView } from './findings.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from './paging.ts';
import { beijingTime, idParam, pageNumber } from './shared.ts';

const messagesQuery = z.object({
  sender: z.string().trim().max(20).regex(/^\d*$/).optional(),
  text: z.string().trim().max(100).optional(),
  page: pageNumber.optional(),
});

/** GET /messages — the stored message samples in scope, searchable by sender and text. */
export async function getMessages(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = messagesQuery.safeParse(req.query);
  if (!query.success) throw new HttpError(400, 'messages.bad_filter');
  const page = query.data.page ?? 1;
  const result = await listMessages(context.dataSource, scopeOf(req.principal), { sender: query.data.sender || undefined, text: query.data.text || undefined }, page, PER_PAGE);
  res.page('messages/index', {
    title: t(req.locale, 'messages.title'),
    section: 'messages',
    filter: { sender: query.data.sender ?? '', text: query.data.text ?? '' },
    messages: result.rows.map((m) => ({ id: m.id, url: `/messages/${m.id}`, ref: m.externalId ?? '', sender: m.sender, sentAt: beijingTime(m.sentAt), content: m.content })),
    total: result.total,
    pager: pagerView(page, result.total, PER_PAGE, pageUrlBuilder('/messages', req.query)),
  });
}

/** GET /messages/:id — the message, who held its number then, and every rule's verdict on it with the reason. */
export async function getMessage(req: Request, res: Response, context: AppContext): Promise<void> {
  const id = idParam.safeParse(req.params.id);
  const explained = id.success ? await explainMessage(context.dataSource, scopeOf(req.principal), id.data) : null;
  if (!explained) throw new HttpError(404, 'error.not_found');
  const { message, context: traffic, verdicts, stored } = explained;
  const locale = req.locale;
  res.page('messages/show', {
    title: t(locale, 'messages.show_title', { ref: message.externalId ?? `#${message.id}` }),
    section: 'messages',
    message: { ref: message.externalId ?? `#${message.id}`, sender: message.sender, sentAt: beijingTime(message.sentAt), content: message.content, recipient: message.recipient },
    lookupUrl: `/lookup?number=${message.sender}&at=${encodeURIComponent(beijingTime(message.sentAt).replace(' ', 'T'))}`,
    entity: traffic.entity ? { name: traffic.entity.name, uscc: traffic.entity.uscc, url: `/entities/${traffic.entity.uscc}` } : null,
    chain: traffic.chain ? chainEvidence(traffic.chain.links) : null,
    verdicts: verdicts.map((v) => ({
      rule: v.rule, ruleText: t(locale, `rule.${v.rule}`), fired: v.findings.length > 0, aggregate: v.aggregate,
      details: v.findings.map((f) => ({ severity: f.severity, severityText: t(locale, `severity.${f.severity}`), detail: locale === 'en' ? f.detailEn : f.detail })),
      explanation: v.explanation ? (locale === 'en' ? v.explanation.en : v.explanation.zh) : null,
    })),
    flagged: verdicts.some((v) => v.findings.length > 0) || stored.length > 0,
    stored: stored.map((f) => findingRowView(f, locale)),
  });
}
