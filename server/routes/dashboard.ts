import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { DATASET_FILES, TABLE_SPECS } from '../dataset/tables.ts';
import { SEVERITIES } from '../entities/Finding.ts';
import type { Notice } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { dayNumber } from '../numbering/time.ts';
import {
  agentPlacements,
  carrierStats,
  carrierTraffic,
  DUE_SOON_DAYS,
  latestImports,
  noticesDue,
  openFindingCounts,
  trafficTotals,
  type AgentPlacement,
} from '../services/lookup/dashboard.ts';
import { agentRiskRanking, findingNames, listFindings, type AgentRisk } from '../services/audit/findings.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { findingRowView } from '../presenters/findings.ts';
import { importRunView } from '../presenters/imports.ts';

/** How many rows each list of the dashboard shows; its heading links to the whole list. */
const LIST_LENGTH = 5;
/** The width in pixels of the longest bar of the open findings by rule. */
const BAR_WIDTH = 120;

/**
 * GET / — the risk cockpit: open findings by severity and by rule, the newest critical ones,
 * notices overdue or due soon, the riskiest agents, each linking to the list or page to act on;
 * then the counts per carrier and the latest imports. All in the user's scope, by a few
 * aggregate queries.
 */
export async function getDashboard(req: Request, res: Response, context: AppContext): Promise<void> {
  const { dataSource } = context;
  const scope = scopeOf(req.principal);
  const [open, critical, notices, ranking] = await Promise.all([
    openFindingCounts(dataSource, scope),
    listFindings(dataSource, scope, { severity: 'critical', status: 'open' }, 1, LIST_LENGTH),
    noticesDue(dataSource, scope, LIST_LENGTH),
    agentRiskRanking(dataSource, scope, LIST_LENGTH),
  ]);
  const placements = await agentPlacements(
    dataSource,
    scope,
    ranking.map((agent) => agent.uscc),
  );
  const names = await findingNames(dataSource, scope, critical.rows);
  const carriers = await carrierStats(dataSource, scope);
  const totals = await trafficTotals(dataSource, scope);
  const traffic = await carrierTraffic(dataSource);
  const runs = await latestImports(dataSource, 5, scope);
  const { locale } = req;
  const widest = Math.max(1, ...open.byRule.map((rule) => rule.count));
  res.page('dashboard/index', {
    title: t(locale, 'nav.dashboard'),
    open: {
      total: open.total,
      url: '/findings?status=open',
      severities: [...SEVERITIES].reverse().map((severity) => ({
        severity,
        label: t(locale, `severity.${severity}`),
        count: open.bySeverity[severity],
        url: `/findings?severity=${severity}&status=open`,
      })),
      rules: open.byRule.map((rule) => ({
        ...rule,
        label: t(locale, `rule.${rule.rule}`),
        worstText: t(locale, `severity.${rule.worst}`),
        url: `/findings?rule=${rule.rule}&status=open`,
        bar: Math.max(2, Math.round((rule.count / widest) * BAR_WIDTH)),
      })),
      barWidth: BAR_WIDTH,
      worstTitle: t(locale, 'dashboard.worst'),
    },
    critical: {
      total: critical.total,
      url: '/findings?severity=critical&status=open',
      findings: critical.rows.map((finding) => findingRowView(finding, locale, names)),
    },
    notices: {
      overdue: notices.overdue.map((notice) => noticeDueView(notice, notices.today, locale)),
      overdueCount: notices.overdueCount,
      overdueUrl: '/notices?status=overdue',
      dueSoon: notices.dueSoon.map((notice) => noticeDueView(notice, notices.today, locale)),
      dueSoonCount: notices.dueSoonCount,
      dueSoonDays: DUE_SOON_DAYS,
    },
    agents: ranking.map((agent) => agentView(agent, placements.get(agent.uscc), locale)),
    carriers: carriers.map((c) => ({ ...c, ...traffic.get(c.code), url: `/carriers/${encodeURIComponent(c.code)}` })),
    totals: {
      allocations: carriers.reduce((sum, c) => sum + c.allocations, 0),
      releases: carriers.reduce((sum, c) => sum + c.releases, 0),
      traffic: totals,
    },
    runs: runs.map((run) => importRunView(run, locale)),
    empty: carriers.length === 0,
  });
}

/** A notice on the dashboard: what it is, whom it went to, and how far its deadline is. */
function noticeDueView(notice: Notice, today: string, locale: Locale) {
  const days = dayNumber(notice.deadline) - dayNumber(today);
  return {
    id: notice.id,
    url: `/notices/${notice.id}`,
    number: notice.documentNumber,
    agentName: notice.agentName,
    agentUrl: `/agents/${notice.agentUscc}`,
    deadline: notice.deadline,
    overdue: days < 0,
    when:
      days < 0
        ? t(locale, 'dashboard.overdue_by', { days: -days })
        : days === 0
          ? t(locale, 'dashboard.due_today')
          : t(locale, 'dashboard.due_in', { days }),
  };
}

/** One of the riskiest agents: where it sits, what is open against it, and where to act. */
function agentView(agent: AgentRisk, placement: AgentPlacement | undefined, locale: Locale) {
  return {
    uscc: agent.uscc,
    name: agent.name ?? agent.uscc,
    url: `/agents/${agent.uscc}`,
    level: !placement
      ? ''
      : placement.minLevel === placement.maxLevel
        ? t(locale, 'dashboard.level_value', { level: placement.minLevel })
        : t(locale, 'dashboard.level_range', { min: placement.minLevel, max: placement.maxLevel }),
    carriers: (placement?.carriers ?? []).map((carrier) => carrier.name).join(t(locale, 'dashboard.list')),
    pending: agent.toNotify,
    findingsUrl: `/findings?agent=${agent.uscc}&status=open`,
    score: agent.score,
    critical: agent.critical,
    // Open findings to put in a notice; else the notices already sent, to follow up.
    act: agent.toNotify
      ? { url: `/agents/${agent.uscc}/notices/new`, text: t(locale, 'dashboard.issue_notice') }
      : { url: `/notices?agent=${agent.uscc}`, text: t(locale, 'dashboard.agent_notices') },
  };
}

/** GET /docs/dataset-format — the columns of each dataset file, from the importer's own table. */
export function getDatasetFormat(req: Request, res: Response): void {
  res.page('docs/format', {
    title: t(req.locale, 'format.title'),
    section: 'imports',
    files: DATASET_FILES.map((file) => ({
      name: `${file}.csv`,
      required: TABLE_SPECS[file].required,
      optional: TABLE_SPECS[file].optional,
      note: t(req.locale, `format.file.${file}`),
    })),
  });
}
