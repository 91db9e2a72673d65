import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { Carrier, type Finding } from '../entities/index.ts';
import { FINDING_STATUSES, SEVERITIES, type FindingEvidence } from '../entities/Finding.ts';
import { t, type Locale } from '../i18n/index.ts';
import { shanghaiDayRange } from '../numbering/time.ts';
import { RULE_CODES } from '../rules/types.ts';
import {
  agentRiskRanking,
  dismissFinding,
  FindingStateError,
  getFinding,
  listFindings,
  reopenFinding,
} from '../services/audit/findings.ts';
import { coversCarrier, scopeOf } from '../services/accounts/scope.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { findingRowView } from '../presenters/findings.ts';
import { beijingTime } from '../presenters/time.ts';
import { idParam } from './shared.ts';
import { badParameter, param, readQuery } from './query.ts';

const findingsQuery = z.object({
  rule: param.choice(RULE_CODES),
  severity: param.choice(SEVERITIES),
  status: param.choice(FINDING_STATUSES),
  carrier: param.text(16),
  agent: param.uscc(),
  from: param.day(),
  to: param.day(),
  page: param.page(),
});

/** GET /findings — every finding in scope, filtered by rule, severity, status, carrier, agent and date. */
export async function getFindings(req: Request, res: Response, context: AppContext): Promise<void> {
  const q = readQuery(req, findingsQuery);
  const scope = scopeOf(req.principal);
  const carriers = (await context.dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } })).filter((c) =>
    coversCarrier(scope, c.id),
  );
  const carrier = q.carrier ? carriers.find((c) => c.code === q.carrier) : undefined;
  if (q.carrier && !carrier) throw badParameter(req.locale, 'carrier', 'carrier');
  const page = q.page ?? 1;
  const result = await listFindings(
    context.dataSource,
    scope,
    {
      rule: q.rule,
      severity: q.severity,
      status: q.status,
      carrierId: carrier?.id,
      agent: q.agent,
      ...shanghaiDayRange(q.from, q.to),
    },
    page,
    PER_PAGE,
  );
  const option = (value: string, label: string, selected: unknown) => ({ value, label, selected: value === selected });
  res.page('findings/index', {
    title: t(req.locale, 'findings.title'),
    section: 'findings',
    filter: { agent: q.agent ?? '', from: q.from ?? '', to: q.to ?? '' },
    rules: RULE_CODES.map((r) => option(r, t(req.locale, `rule.${r}`), q.rule)),
    severities: [...SEVERITIES].reverse().map((s) => option(s, t(req.locale, `severity.${s}`), q.severity)),
    statuses: FINDING_STATUSES.map((s) => option(s, t(req.locale, `findings.status.${s}`), q.status)),
    carriers: carriers.length > 1 ? carriers.map((c) => option(c.code, c.name, q.carrier)) : null,
    findings: result.rows.map((f) => findingRowView(f, req.locale)),
    total: result.total,
    pager: pagerView(page, result.total, PER_PAGE, pageUrlBuilder('/findings', req.query)),
  });
}

/**
 * The message text cut into parts, the spans that triggered the rule marked: the span, or every
 * cue a pretext rule read (evidence.cues), each with what kind of cue it is.
 */
function textView(evidence: FindingEvidence, locale: Locale) {
  if (!evidence.text) return null;
  const { text } = evidence;
  const marks = (evidence.cues ?? (evidence.span ? [{ kind: '', ...evidence.span }] : []))
    .filter((mark) => mark.start >= 0 && mark.end <= text.length && mark.start < mark.end)
    .sort((a, b) => a.start - b.start);
  const parts: Array<{ text: string; marked: boolean; title: string }> = [];
  let at = 0;
  for (const mark of marks) {
    if (mark.start < at) continue; // overlapping cues: the first one shown
    if (mark.start > at) parts.push({ text: text.slice(at, mark.start), marked: false, title: '' });
    parts.push({
      text: text.slice(mark.start, mark.end),
      marked: true,
      title: mark.kind ? t(locale, `findings.fact.cue_${mark.kind}`) : '',
    });
    at = mark.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marked: false, title: '' });
  return { parts };
}

function chainView(evidence: FindingEvidence, locale: Locale) {
  return (evidence.chain ?? []).map((link, i, all) => ({
    ...link,
    holderUrl: /^[0-9A-Z]{18}$/.test(link.holder)
      ? `/agents/${link.holder}`
      : `/carriers/${encodeURIComponent(link.holder)}`,
    lesseeUrl: link.lesseeKind === 'entity' ? `/entities/${link.lessee}` : `/agents/${link.lessee}`,
    lesseeKindText: t(locale, `kind.${link.lesseeKind}`),
    isRelease: link.lesseeKind === 'agent' && link.level > 1,
    isLeaf: i === all.length - 1 && link.lesseeKind === 'entity',
  }));
}

async function findingOf(req: Request, context: AppContext): Promise<Finding> {
  const id = idParam.safeParse(req.params.id);
  const finding = id.success ? await getFinding(context.dataSource, scopeOf(req.principal), id.data) : null;
  if (!finding) throw new HttpError(404, 'error.not_found');
  return finding;
}

async function renderFinding(
  req: Request,
  res: Response,
  finding: Finding,
  error: string | null,
  status = 200,
): Promise<void> {
  const locale = req.locale;
  res.page(
    'findings/show',
    {
      title: t(locale, 'findings.show_title', { id: finding.id }),
      section: 'findings',
      finding: {
        ...findingRowView(finding, locale),
        prefix: finding.prefix,
        number: finding.number,
        entity: finding.entityUscc,
        numberLookupUrl:
          finding.number && finding.occurredAt
            ? `/lookup?number=${finding.number}&at=${encodeURIComponent(beijingTime(finding.occurredAt).replace(' ', 'T'))}`
            : null,
        messageUrl: finding.messageId ? `/messages/${finding.messageId}` : null,
        messageRef: finding.messageRef ?? (finding.messageId ? `#${finding.messageId}` : null),
        complaintRef: finding.complaintRef,
        firstSeen: beijingTime(finding.firstSeenAt),
        lastSeen: beijingTime(finding.lastSeenAt),
        lastRunId: finding.lastRunId,
        statusChangedAt: finding.statusChangedAt ? beijingTime(finding.statusChangedAt) : null,
        statusChangedBy: finding.statusChangedBy,
        statusReason: finding.statusReason,
        canDismiss: finding.status === 'open' || finding.status === 'notified',
        canReopen: finding.status === 'dismissed',
      },
      text: textView(finding.evidence, locale),
      chain: chainView(finding.evidence, locale),
      facts: Object.entries(finding.evidence.facts ?? {}).map(([label, value]) => ({
        label: t(locale, `findings.fact.${label}`),
        value: String(value),
      })),
      error,
    },
    status,
  );
}

/** GET /findings/:id — the finding, its evidence and the chain drawn; dismiss or reopen it. */
export async function getFindingPage(req: Request, res: Response, context: AppContext): Promise<void> {
  await renderFinding(req, res, await findingOf(req, context), null);
}

const statusForm = z.object({
  expected: z.enum(FINDING_STATUSES),
  reason: z.string().trim().min(2).max(1000),
});

async function changeStatus(
  req: Request,
  res: Response,
  context: AppContext,
  change: typeof dismissFinding,
): Promise<void> {
  const finding = await findingOf(req, context);
  const form = statusForm.safeParse(req.body ?? {});
  if (!form.success) return renderFinding(req, res, finding, t(req.locale, 'findings.reason_required'), 400);
  try {
    await change(
      context.dataSource,
      scopeOf(req.principal),
      finding.id,
      form.data.expected,
      form.data.reason,
      req.principal!.name,
    );
  } catch (error) {
    if (!(error instanceof FindingStateError)) throw error;
    const current = await findingOf(req, context);
    return renderFinding(req, res, current, error.text(req.locale), error.status);
  }
  res.redirect(303, `/findings/${finding.id}`);
}

/** POST /findings/:id/dismiss — dismissed with a written reason; stays dismissed through later runs. */
export async function postDismissFinding(req: Request, res: Response, context: AppContext): Promise<void> {
  await changeStatus(req, res, context, dismissFinding);
}

/** POST /findings/:id/reopen */
export async function postReopenFinding(req: Request, res: Response, context: AppContext): Promise<void> {
  await changeStatus(req, res, context, reopenFinding);
}

/** GET /risk — agents ranked by their open findings and the complaints traced to them. */
export async function getRisk(req: Request, res: Response, context: AppContext): Promise<void> {
  const ranking = await agentRiskRanking(context.dataSource, scopeOf(req.principal), 100);
  res.page('findings/risk', {
    title: t(req.locale, 'risk.title'),
    section: 'risk',
    agents: ranking.map((r, i) => ({
      ...r,
      rank: i + 1,
      name: r.name ?? r.uscc,
      url: `/agents/${r.uscc}`,
      findingsUrl: `/findings?agent=${r.uscc}&status=open`,
    })),
  });
}
