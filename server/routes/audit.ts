import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { t } from '../i18n/index.ts';
import { shanghaiDayRange } from '../numbering/time.ts';
import { AUDIT_ACTIONS, auditEvents } from '../services/accounts/audit.ts';
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

/** GET /admin/audit — every change, newest first, filtered by action, actor and days (administrators only). */
export async function getAudit(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = readQuery(req, auditQuery);
  const { action, actor, from, to } = query;
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
  res.page('admin/audit', {
    title: t(req.locale, 'audit.title'),
    section: 'audit',
    filter: { action: action ?? '', actor: actor ?? '', from: from ?? '', to: to ?? '' },
    actions: AUDIT_ACTIONS.map((a) => ({ value: a, label: t(req.locale, `audit.${a}`), selected: a === action })),
    events: result.rows.map((e) => ({
      at: beijingTime(e.at),
      actor: e.actor,
      action: t(req.locale, `audit.${e.action}`),
      subject: e.subject,
      before: e.before ? JSON.stringify(e.before) : '',
      after: e.after ? JSON.stringify(e.after) : '',
    })),
    total: result.total,
    pager: pagerView(page, result.total, PER_PAGE, pageUrlBuilder('/admin/audit', req.query)),
  });
}
