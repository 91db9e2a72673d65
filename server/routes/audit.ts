import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { AuditEvent } from '../entities/index.ts';
import { hasMessage, t, type Locale } from '../i18n/index.ts';
import { shanghaiDayRange } from '../numbering/time.ts';
import { usersNamed } from '../services/accounts/accounts.ts';
import { AUDIT_ACTIONS, auditEvents } from '../services/accounts/audit.ts';
import { actorText } from '../presenters/actors.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { beijingTime } from '../presenters/time.ts';
import { param, readQuery } from './query.ts';

const auditQuery = z.object({
  action: param.choice(AUDIT_ACTIONS),
  actor: param.text(100),
  from: param.day(),
  to: param.day(),
  page: param.page(),
});

/** Characters of a value shown in the table; a longer one is cut there, the whole of it one click away. */
export const SHOWN_VALUE_LENGTH = 80;

/** A value as the table shows it, and the whole of it when that had to be cut. */
interface ValueView {
  text: string;
  full: string | null;
}

function valueText(field: string, value: unknown, locale: Locale): string {
  if (value === undefined || value === null || value === '') return '—';
  if (field === 'role' && typeof value === 'string' && hasMessage(`role.${value}`)) return t(locale, `role.${value}`);
  if (typeof value === 'boolean') return t(locale, value ? 'audit.value_yes' : 'audit.value_no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null))
    return value.map(String).join(', ');
  return JSON.stringify(value);
}

function valueView(field: string, value: unknown, locale: Locale): ValueView {
  const text = valueText(field, value, locale);
  const chars = [...text];
  return chars.length <= SHOWN_VALUE_LENGTH
    ? { text, full: null }
    : { text: `${chars.slice(0, SHOWN_VALUE_LENGTH).join('')}…`, full: text };
}

/** One field a change touched: its name in the reader's words (or as stored), and its value before and after. */
export interface FieldChange {
  field: string;
  label: string;
  before: ValueView;
  after: ValueView;
}

/**
 * What an event changed, field by field: for a change, only the fields whose value differs; for
 * something new (nothing before) or removed (nothing after), every field it had.
 */
export function fieldChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  locale: Locale,
): FieldChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const same = (field: string) =>
    before !== null && after !== null && JSON.stringify(before[field]) === JSON.stringify(after[field]);
  return fields
    .filter((field) => !same(field))
    .map((field) => ({
      field,
      label: hasMessage(`audit.field.${field}`) ? t(locale, `audit.field.${field}`) : field,
      before: valueView(field, before?.[field], locale),
      after: valueView(field, after?.[field], locale),
    }));
}

/** The page of what an event was done to, when there is one to open. */
function subjectUrl(event: AuditEvent): string | null {
  const colon = event.subject.indexOf(':');
  const kind = event.subject.slice(0, colon);
  const key = event.subject.slice(colon + 1);
  const state = { ...(event.before ?? {}), ...(event.after ?? {}) };
  const id = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : null);
  switch (kind) {
    case 'finding':
      return /^\d+$/.test(key) ? `/findings/${key}` : null;
    case 'message':
      return /^\d+$/.test(key) ? `/messages/${key}` : null;
    case 'import_run':
      return /^\d+$/.test(key) ? `/imports/${key}` : null;
    case 'audit_run':
      return /^\d+$/.test(key) ? `/audits/${key}` : null;
    case 'notice':
      return id(state.noticeId) !== null ? `/notices/${id(state.noticeId)}` : null;
    case 'user':
      return id(state.userId) !== null ? `/admin/users/${id(state.userId)}` : null;
    default:
      return null;
  }
}

/** GET /admin/audit — every change, newest first, filtered by action, actor and days (administrators only). */
export async function getAudit(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = readQuery(req, auditQuery);
  const { action, actor, from, to } = query;
  const locale = req.locale;
  const page = query.page ?? 1;
  const result = await auditEvents(
    context.dataSource,
    {
      action: action || undefined,
      actor: actor || undefined,
      ...shanghaiDayRange(from, to),
    },
    page,
    PER_PAGE,
  );
  const people = await usersNamed(
    context.dataSource,
    result.rows.map((e) => e.actor),
  );
  res.page('admin/audit', {
    title: t(locale, 'audit.title'),
    section: 'audit',
    filter: { action: action ?? '', actor: actor ?? '', from: from ?? '', to: to ?? '' },
    actions: AUDIT_ACTIONS.map((a) => ({ value: a, label: t(locale, `audit.${a}`), selected: a === action })),
    events: result.rows.map((e) => {
      const changes = fieldChanges(e.before, e.after, locale);
      return {
        at: beijingTime(e.at),
        actor: actorText(e.actor, locale, people),
        actorFilterUrl: `/admin/audit?actor=${encodeURIComponent(e.actor)}`,
        action: t(locale, `audit.${e.action}`),
        subject: e.subject,
        subjectUrl: subjectUrl(e),
        changes,
        hasBefore: e.before !== null,
        hasAfter: e.after !== null,
      };
    }),
    total: result.total,
    pager: pagerView(page, result.total, PER_PAGE, pageUrlBuilder('/admin/audit', req.query)),
  });
}
