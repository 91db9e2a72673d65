import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { Carrier, type Finding } from '../entities/index.ts';
import { FINDING_STATUSES, SEVERITIES, type FindingEvidence } from '../entities/Finding.ts';
import { t, type Locale } from '../i18n/index.ts';
import { shanghaiDate, shanghaiDayRange } from '../numbering/time.ts';
import { CLAIM_MATCHES } from '../rules/claims/types.ts';
import { noticesCovering } from '../services/notices/notices.ts';
import { RULE_CODES } from '../rules/types.ts';
import {
  agentRiskRanking,
  dismissFinding,
  findingNames,
  FindingStateError,
  getFinding,
  listFindingGroups,
  listFindings,
  reopenFinding,
} from '../services/audit/findings.ts';
import { coversCarrier, scopeOf } from '../services/accounts/scope.ts';
import { PER_PAGE, pagerView, pageUrlBuilder, type PagerView } from '../presenters/paging.ts';
import { findingRowView } from '../presenters/findings.ts';
import { beijingTime } from '../presenters/time.ts';
import { actorText } from '../presenters/actors.ts';
import { usersNamed } from '../services/accounts/accounts.ts';
import { idParam } from './shared.ts';
import { badParameter, param, readQuery } from './query.ts';

const findingsQuery = z.object({
  rule: param.choice(RULE_CODES),
  severity: param.choice(SEVERITIES),
  status: param.choice(FINDING_STATUSES),
  carrier: param.text(16),
  // The agent's USCC, or part of its name.
  agent: param.text(100),
  number: param.digits(20),
  // The findings about one using entity (its page links here).
  entity: param.uscc(),
  // Every finding like this one (same agent, rule and number), one row each.
  similar: param.id(),
  from: param.day(),
  to: param.day(),
  page: param.page(),
});

/** The pager of a grouped list counts rows; it says how many findings they hold as well. */
function groupedPager(pager: PagerView | null, findings: number, locale: Locale): PagerView | null {
  if (!pager || pager.total === findings) return pager;
  return {
    ...pager,
    summary: t(locale, 'findings.pager_grouped', {
      page: pager.page,
      pages: pager.pages,
      groups: pager.total,
      findings,
    }),
  };
}

/**
 * GET /findings — every finding in scope, filtered by rule, severity, status, carrier, agent (name
 * or USCC), number and date; near-identical ones (same agent, rule and number) are one row with
 * their count, which links to them one by one (`similar`).
 */
export async function getFindings(req: Request, res: Response, context: AppContext): Promise<void> {
  const q = readQuery(req, findingsQuery);
  const scope = scopeOf(req.principal);
  const carriers = (await context.dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } })).filter((c) =>
    coversCarrier(scope, c.id),
  );
  const carrier = q.carrier ? carriers.find((c) => c.code === q.carrier) : undefined;
  if (q.carrier && !carrier) throw badParameter(req.locale, 'carrier', 'carrier');
  const similar = q.similar !== undefined ? await getFinding(context.dataSource, scope, q.similar) : null;
  if (q.similar !== undefined && !similar) throw badParameter(req.locale, 'similar', 'finding');
  const page = q.page ?? 1;
  const filter = {
    rule: q.rule,
    severity: q.severity,
    status: q.status,
    carrierId: carrier?.id,
    agent: q.agent?.trim(),
    number: q.number,
    entity: q.entity,
    similar: similar ?? undefined,
    ...shanghaiDayRange(q.from, q.to),
  };
  const locale = req.locale;
  let rows;
  let total: number;
  let groups: number | null = null;
  if (similar) {
    const result = await listFindings(context.dataSource, scope, filter, page, PER_PAGE);
    const names = await findingNames(context.dataSource, scope, result.rows);
    rows = result.rows.map((f) => ({ ...findingRowView(f, locale, names), members: 1, statuses: null }));
    total = result.total;
  } else {
    const result = await listFindingGroups(context.dataSource, scope, filter, page, PER_PAGE);
    const names = await findingNames(
      context.dataSource,
      scope,
      result.rows.map((group) => group.finding),
    );
    const similarUrl = (id: number) => pageUrlBuilder('/findings', { ...req.query, similar: String(id) })(1);
    rows = result.rows.map((group) => ({
      ...findingRowView(group.finding, locale, names),
      severity: group.severity,
      severityText: t(locale, `severity.${group.severity}`),
      members: group.members,
      membersUrl: group.members > 1 ? similarUrl(group.finding.id) : null,
      statuses:
        group.statuses.length > 1
          ? group.statuses.map((entry) => ({
              status: entry.status,
              text: t(locale, 'findings.status_count', {
                status: t(locale, `findings.status.${entry.status}`),
                count: entry.count,
              }),
            }))
          : null,
    }));
    total = result.total;
    groups = result.groups;
  }
  const option = (value: string, label: string, selected: unknown) => ({ value, label, selected: value === selected });
  res.page('findings/index', {
    title: t(locale, 'findings.title'),
    section: 'findings',
    filter: {
      agent: q.agent ?? '',
      number: q.number ?? '',
      entity: q.entity ?? '',
      from: q.from ?? '',
      to: q.to ?? '',
    },
    entity: q.entity
      ? {
          uscc: q.entity,
          url: `/entities/${q.entity}`,
          withoutUrl: pageUrlBuilder('/findings', { ...req.query, entity: undefined })(1),
        }
      : null,
    rules: RULE_CODES.map((r) => option(r, t(locale, `rule.${r}`), q.rule)),
    severities: [...SEVERITIES].reverse().map((s) => option(s, t(locale, `severity.${s}`), q.severity)),
    statuses: FINDING_STATUSES.map((s) => option(s, t(locale, `findings.status.${s}`), q.status)),
    carriers: carriers.length > 1 ? carriers.map((c) => option(c.code, c.name, q.carrier)) : null,
    showCarrier: carriers.length > 1,
    similar: similar
      ? {
          id: similar.id,
          url: `/findings/${similar.id}`,
          text: t(locale, 'findings.similar_heading', {
            id: similar.id,
            rule: t(locale, `rule.${similar.rule}`),
            number: similar.number ?? '',
          }),
          backUrl: pageUrlBuilder('/findings', { ...req.query, similar: undefined })(1),
        }
      : null,
    findings: rows,
    total,
    grouped: groups !== null && groups < total ? t(locale, 'findings.grouped_count', { groups }) : null,
    pager: groupedPager(
      pagerView(page, groups ?? total, PER_PAGE, pageUrlBuilder('/findings', req.query)),
      total,
      locale,
    ),
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

/** Facts whose values are words of the product, not data: shown in the reader's language. */
const WORDED_FACTS: Record<string, readonly string[]> = {
  match: CLAIM_MATCHES,
  declared: ['true', 'false'],
};

function factView(label: string, value: string | number, locale: Locale) {
  const raw = String(value);
  return {
    label: t(locale, `findings.fact.${label}`),
    value: WORDED_FACTS[label]?.includes(raw) ? t(locale, `findings.fact_value.${label}.${raw}`) : raw,
  };
}

/**
 * Where to go next from a finding: a notice to the agent answerable for it (the form with the
 * finding ticked, while it is open and the reader may issue), the notices that already cover it,
 * the chain it lies in (the number at that moment, the tree on that day), and whether the reader
 * may dismiss or reopen it. Only what the reader's role allows is offered (ROUTES).
 */
async function nextSteps(req: Request, context: AppContext, finding: Finding) {
  const scope = scopeOf(req.principal);
  const day = shanghaiDate(finding.occurredAt ?? finding.lastSeenAt);
  const carrier =
    finding.rootCarrierId !== null
      ? await context.dataSource.getRepository(Carrier).findOneBy({ id: finding.rootCarrierId })
      : null;
  const treeKey = finding.number ?? finding.prefix ?? finding.agentUscc;
  const notices = await noticesCovering(context.dataSource, scope, finding.id);
  const changesStatus = req.may('post', '/findings/:id/dismiss');
  return {
    noticeUrl:
      finding.agentUscc && finding.status === 'open' && req.may('get', '/agents/:uscc/notices/new')
        ? `/agents/${finding.agentUscc}/notices/new?finding=${finding.id}`
        : null,
    notices: notices.map((n) => ({ number: n.documentNumber, url: `/notices/${n.id}` })),
    treeUrl: treeKey
      ? `/tree?${new URLSearchParams({ ...(carrier ? { carrier: carrier.code } : {}), at: day, q: treeKey })}`
      : null,
    treeDay: day,
    canDismiss: changesStatus && (finding.status === 'open' || finding.status === 'notified'),
    canReopen: changesStatus && finding.status === 'dismissed',
  };
}

async function renderFinding(
  req: Request,
  res: Response,
  context: AppContext,
  finding: Finding,
  error: string | null,
  status = 200,
): Promise<void> {
  const locale = req.locale;
  const scope = scopeOf(req.principal);
  const names = await findingNames(context.dataSource, scope, [finding]);
  res.page(
    'findings/show',
    {
      title: t(locale, 'findings.show_title', { id: finding.id }),
      section: 'findings',
      finding: {
        ...findingRowView(finding, locale, names),
        prefix: finding.prefix,
        number: finding.number,
        entity: finding.entityUscc,
        agentLabel: finding.agentUscc ? (names.agents.get(finding.agentUscc) ?? finding.agentUscc) : null,
        entityName: finding.entityUscc ? (names.entities.get(finding.entityUscc) ?? null) : null,
        numberLookupUrl:
          finding.number && finding.occurredAt
            ? `/lookup?number=${finding.number}&at=${encodeURIComponent(beijingTime(finding.occurredAt).replace(' ', 'T'))}`
            : finding.prefix
              ? `/lookup?number=${finding.prefix}`
              : null,
        messageUrl: finding.messageId ? `/messages/${finding.messageId}` : null,
        messageRef: finding.messageRef ?? (finding.messageId ? `#${finding.messageId}` : null),
        complaintRef: finding.complaintRef,
        firstSeen: beijingTime(finding.firstSeenAt),
        lastSeen: beijingTime(finding.lastSeenAt),
        lastRunId: finding.lastRunId,
        statusChangedAt: finding.statusChangedAt ? beijingTime(finding.statusChangedAt) : null,
        statusChangedBy: finding.statusChangedBy
          ? actorText(finding.statusChangedBy, locale, await usersNamed(context.dataSource, [finding.statusChangedBy]))
          : null,
        statusReason: finding.statusReason,
      },
      next: await nextSteps(req, context, finding),
      text: textView(finding.evidence, locale),
      chain: chainView(finding.evidence, locale),
      facts: Object.entries(finding.evidence.facts ?? {}).map(([label, value]) => factView(label, value, locale)),
      error,
    },
    status,
  );
}

/** GET /findings/:id — the finding, its evidence and the chain drawn; dismiss or reopen it. */
export async function getFindingPage(req: Request, res: Response, context: AppContext): Promise<void> {
  await renderFinding(req, res, context, await findingOf(req, context), null);
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
  if (!form.success) return renderFinding(req, res, context, finding, t(req.locale, 'findings.reason_required'), 400);
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
    return renderFinding(req, res, context, current, error.text(req.locale), error.status);
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

/**
 * GET /risk — agents ranked by their unresolved findings and the complaints traced to them; each
 * says how many are open (a notice may still be issued for them) and how many already notified.
 */
export async function getRisk(req: Request, res: Response, context: AppContext): Promise<void> {
  const ranking = await agentRiskRanking(context.dataSource, scopeOf(req.principal), 100);
  const mayIssue = req.may('get', '/agents/:uscc/notices/new');
  res.page('findings/risk', {
    title: t(req.locale, 'risk.title'),
    section: 'risk',
    agents: ranking.map((r, i) => ({
      ...r,
      rank: i + 1,
      name: r.name ?? r.uscc,
      url: `/agents/${r.uscc}`,
      toNotifyUrl: `/findings?agent=${r.uscc}&status=open`,
      notifiedUrl: `/findings?agent=${r.uscc}&status=notified`,
      noticeUrl: mayIssue && r.toNotify > 0 ? `/agents/${r.uscc}/notices/new` : null,
    })),
  });
}
