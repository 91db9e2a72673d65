import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { t } from '../i18n/index.ts';
import { render } from '../i18n/phrase.ts';
import { chainEvidence } from '../rules/evidence.ts';
import { MESSAGE_LABELS, MessageLabelError, labelOf, setMessageLabel } from '../services/audit/messageLabels.ts';
import {
  anyAuditFinished,
  explainMessage,
  listMessages,
  messageVerdicts,
  type MessageExplanation,
} from '../services/audit/messages.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { findingRowView } from '../presenters/findings.ts';
import { beijingTime } from '../presenters/time.ts';
import { idParam } from './shared.ts';
import { param, readQuery } from './query.ts';

const messagesQuery = z.object({
  sender: param.digits(20),
  text: param.text(100),
  // Only the messages the audit flagged.
  flagged: param.choice(['1']),
  page: param.page(),
});

/** `?labelled=1`: the redirect after a label was saved. */
const messageQuery = z.object({ labelled: param.choice(['1']) });

/**
 * GET /messages — the stored message samples in scope, searchable by sender and text, each with
 * the audit's verdict (flagged by a finding nobody dismissed, or clean); `flagged=1` keeps the
 * flagged ones.
 */
export async function getMessages(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = readQuery(req, messagesQuery);
  const page = query.page ?? 1;
  const scope = scopeOf(req.principal);
  const locale = req.locale;
  const result = await listMessages(
    context.dataSource,
    scope,
    { sender: query.sender, text: query.text?.trim(), flagged: query.flagged === '1' },
    page,
    PER_PAGE,
  );
  const verdicts = await messageVerdicts(
    context.dataSource,
    scope,
    result.rows.map((m) => m.id),
  );
  const audited = await anyAuditFinished(context.dataSource);
  const verdictOf = (id: number) => {
    const verdict = verdicts.get(id);
    if (verdict)
      return {
        kind: 'flagged',
        text: t(locale, 'messages.verdict_flagged', { count: verdict.findings }),
        severity: verdict.worst,
        url: `/messages/${id}`,
      };
    return audited
      ? { kind: 'clean', text: t(locale, 'messages.verdict_clean'), severity: null, url: null }
      : { kind: 'unaudited', text: t(locale, 'messages.verdict_unaudited'), severity: null, url: null };
  };
  res.page('messages/index', {
    title: t(locale, 'messages.title'),
    section: 'messages',
    filter: { sender: query.sender ?? '', text: query.text?.trim() ?? '', flagged: query.flagged === '1' },
    messages: result.rows.map((m) => ({
      id: m.id,
      url: `/messages/${m.id}`,
      ref: m.externalId ?? '',
      sender: m.sender,
      sentAt: beijingTime(m.sentAt),
      content: m.content,
      verdict: verdictOf(m.id),
    })),
    total: result.total,
    pager: pagerView(page, result.total, PER_PAGE, pageUrlBuilder('/messages', req.query)),
  });
}

/** Administrators and a carrier's staff label messages; a regulator reads them (README, roles). */
function canLabel(req: Request): boolean {
  return req.principal?.role === 'admin' || req.principal?.role === 'carrier';
}

async function explained(req: Request, context: AppContext): Promise<MessageExplanation> {
  const id = idParam.safeParse(req.params.id);
  const result = id.success ? await explainMessage(context.dataSource, scopeOf(req.principal), id.data) : null;
  if (!result) throw new HttpError(404, 'error.not_found');
  return result;
}

/** GET /messages/:id — the message, who held its number then, and every rule's verdict on it with the reason. */
export async function getMessage(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = readQuery(req, messageQuery);
  await renderMessage(req, res, context, await explained(req, context), query.labelled ? 'saved' : null);
}

const labelForm = z.object({
  label: z.enum(MESSAGE_LABELS),
  reason: z.string().trim().min(2).max(1000),
  version: z.coerce.number().int().min(0),
});

/**
 * POST /messages/:id/label — a staff label (impersonation of a government body or a business, or
 * not impersonation) with a reason, logged; exported by `sms106 export` as a regression case.
 */
export async function postMessageLabel(req: Request, res: Response, context: AppContext): Promise<void> {
  const current = await explained(req, context);
  const form = labelForm.safeParse(req.body ?? {});
  if (!form.success) return renderMessage(req, res, context, current, 'invalid', 400);
  const entity = current.context.entity
    ? { uscc: current.context.entity.uscc, name: current.context.entity.name }
    : null;
  try {
    await setMessageLabel(
      context.dataSource,
      scopeOf(req.principal),
      current.message.id,
      { ...form.data, expectedVersion: form.data.version, entity },
      req.principal!.name,
    );
  } catch (error) {
    if (!(error instanceof MessageLabelError)) throw error;
    return renderMessage(
      req,
      res,
      context,
      current,
      error.code === 'messages.label_not_found' ? 'not_found' : 'changed_meanwhile',
      409,
    );
  }
  res.redirect(303, `/messages/${current.message.id}?labelled=1`);
}

type LabelNote = 'saved' | 'invalid' | 'not_found' | 'changed_meanwhile';

async function renderMessage(
  req: Request,
  res: Response,
  context: AppContext,
  explanation: MessageExplanation,
  note: LabelNote | null,
  status = 200,
): Promise<void> {
  const { message, context: traffic, verdicts, stored } = explanation;
  const locale = req.locale;
  const label = await labelOf(context.dataSource, message.id);
  res.page(
    'messages/show',
    {
      title: t(locale, 'messages.show_title', { ref: message.externalId ?? `#${message.id}` }),
      section: 'messages',
      message: {
        ref: message.externalId ?? `#${message.id}`,
        sender: message.sender,
        sentAt: beijingTime(message.sentAt),
        content: message.content,
        recipient: message.recipient,
      },
      lookupUrl: `/lookup?number=${message.sender}&at=${encodeURIComponent(beijingTime(message.sentAt).replace(' ', 'T'))}`,
      entity: traffic.entity
        ? { name: traffic.entity.name, uscc: traffic.entity.uscc, url: `/entities/${traffic.entity.uscc}` }
        : null,
      chain: traffic.chain ? chainEvidence(traffic.chain.links) : null,
      verdicts: verdicts.map((v) => ({
        rule: v.rule,
        ruleText: t(locale, `rule.${v.rule}`),
        fired: v.findings.length > 0,
        aggregate: v.aggregate,
        details: v.findings.map((f) => ({
          severity: f.severity,
          severityText: t(locale, `severity.${f.severity}`),
          detail: render(locale, f.text),
        })),
        explanation: v.explanation ? (locale === 'en' ? v.explanation.en : v.explanation.zh) : null,
      })),
      flagged: verdicts.some((v) => v.findings.length > 0) || stored.length > 0,
      stored: stored.map((f) => findingRowView(f, locale)),
      label: {
        current:
          label === null
            ? null
            : t(locale, 'messages.label_current', {
                label: t(locale, `messages.label.${label.label}`),
                by: label.labelledBy,
                at: beijingTime(label.labelledAt),
                reason: label.reason,
              }),
        canLabel: canLabel(req),
        url: `/messages/${message.id}/label`,
        version: label?.version ?? 0,
        choices: MESSAGE_LABELS.map((value) => ({
          value,
          text: t(locale, `messages.label.${value}`),
          checked: label?.label === value,
        })),
        reason: label?.reason ?? '',
        note: note === null ? null : t(locale, note === 'saved' ? 'messages.label_saved' : `messages.label_${note}`),
        noteIsError: note !== null && note !== 'saved',
      },
    },
    status,
  );
}
