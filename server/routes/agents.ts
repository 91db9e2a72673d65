import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { scopeOf } from '../services/accounts/scope.ts';
import { t } from '../i18n/index.ts';
import {
  agentGrants,
  agentHeldPeriods,
  agentHoldings,
  findAgent,
  searchAgents,
  type Period,
} from '../services/lookup/browse.ts';
import { agentProfile, timelineRange, type AgentProfile } from '../services/tree/agentProfile.ts';
import { listFindings } from '../services/audit/findings.ts';
import { shanghaiDate } from '../numbering/time.ts';
import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import type { Locale } from '../i18n/index.ts';
import { listQuery, usccParam } from './shared.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { monthChartView, timelineView } from '../presenters/charts.ts';
import { nodePartyUrl, treeListView, treeSvgView } from '../presenters/tree.ts';
import { param, readQuery } from './query.ts';
import { allocationsIn } from '../services/tree/tree.ts';
import { findingRowView } from '../presenters/findings.ts';
import { allocationView, partyUrl, partyView } from '../presenters/parties.ts';

const agentQuery = z.object({
  holds_page: param.page(),
  grants_page: param.page(),
  // The day the upstream chain and the downstream tree are drawn for; blank: today.
  at: param.day(),
});

/** Findings shown on the profile; the rest are one link away on the findings page. */
const PROFILE_FINDINGS = 20;

function chainLinkView(link: IndexedAllocation, locale: Locale) {
  return {
    prefix: link.prefix,
    level: link.level,
    declared: link.declared,
    holder: partyView(link.holder, locale),
    lessee: partyView(link.lessee, locale),
    isRelease: link.holder.kind === 'agent' && link.lessee.kind === 'agent',
    validFrom: link.validFrom,
    validTo: link.validTo,
  };
}

/** The profile sections of the agent page (issue 6) as plain view data. */
function profileView(profile: AgentProfile, agent: { uscc: string; name: string }, locale: Locale) {
  const downstream = profile.downstream;
  return {
    date: profile.date,
    upstream: profile.upstream.map((chain) => ({ links: chain.map((link) => chainLinkView(link, locale)) })),
    downstream:
      downstream === null
        ? null
        : {
            summary: t(locale, 'profile.downstream_summary', {
              total: allocationsIn(downstream.root),
              numbers: downstream.root.numbers,
              drawn: downstream.visible.allocationsDrawn,
            }),
            svg: treeSvgView(downstream.layout, {
              locale,
              date: profile.date,
              interactive: true,
              title: t(locale, 'profile.downstream_svg_title', { name: agent.name, date: profile.date }),
              links: { partyUrl: nodePartyUrl, toggleUrl: () => null },
            }),
            list: treeListView(downstream.visible.top, locale, { partyUrl: nodePartyUrl, toggleUrl: () => null }),
          },
    treeUrl: `/tree?at=${profile.date}&q=${encodeURIComponent(agent.uscc)}`,
    complaints:
      profile.complaintsByMonth.length === 0
        ? null
        : {
            total: profile.complaintsTotal,
            chart: monthChartView(profile.complaintsByMonth, locale),
            months: profile.complaintsByMonth.filter((m) => m.count > 0),
          },
    timeline:
      profile.holdings.length === 0
        ? null
        : {
            chart: timelineView(
              profile.holdings,
              timelineRange(profile.holdings, profile.date, shanghaiDate(new Date())),
              profile.date,
              locale,
            ),
            shown: profile.holdings.length,
            total: profile.holdingsTotal,
          },
  };
}

/** Periods the agent page names as days to pick; the latest ones. */
const MAX_PERIODS_NAMED = 8;

const held = (periods: readonly Period[], day: string) =>
  periods.some((p) => p.from <= day && (p.to === null || day <= p.to));

/**
 * The day the agent page opens at when none is asked for: today if the agent holds something
 * today, else the last day up to today it held something, else (holdings that start later) the
 * first day it will; null when it never held anything in scope.
 */
export function lastDayHeld(periods: readonly Period[], today: string): string | null {
  if (periods.length === 0) return null;
  if (held(periods, today)) return today;
  const past = periods.filter((p) => p.from <= today).map((p) => (p.to === null || p.to > today ? today : p.to));
  return past.length > 0 ? past.sort().at(-1)! : periods[0].from;
}

/** What the page says about its day: that it moved off today, or that the agent held nothing on the day asked. */
function dateNote(periods: readonly Period[], date: string, today: string, chosenByPage: boolean, locale: Locale) {
  if (periods.length === 0) return t(locale, 'agents.never_held');
  if (!held(periods, date)) return t(locale, 'agents.date_not_held', { date });
  if (chosenByPage && date !== today) return t(locale, 'agents.date_moved', { today, date });
  return null;
}

/** GET /agents?q=…&page=… — every agent, searchable by name or USCC prefix, 50 a page. */
export async function getAgents(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = readQuery(req, listQuery);
  const q = query.q ?? '';
  const result = await searchAgents(
    context.dataSource,
    q,
    { page: query.page ?? 1, perPage: PER_PAGE },
    scopeOf(req.principal),
  );
  res.page('agents/index', {
    title: t(req.locale, 'agents.title'),
    section: 'agents',
    q,
    searched: q.trim() !== '',
    total: result.total,
    agents: result.rows.map((a) => ({
      name: a.name,
      uscc: a.uscc,
      url: partyUrl({ kind: 'agent', key: a.uscc }),
      licenceNo: a.licenceNo,
      held: a.held,
      topLevel: a.topLevel,
    })),
    pager: pagerView(result.page, result.total, PER_PAGE, pageUrlBuilder('/agents', req.query)),
  });
}

/**
 * GET /agents/:uscc — who the agent is; on a day (`at`) where it sits (upstream chains) and what
 * hangs from it (downstream tree); its findings, the complaints traced to it per month, how its
 * holdings changed over time; and every allocation it holds and grants.
 */
export async function getAgent(req: Request, res: Response, context: AppContext): Promise<void> {
  const uscc = usccParam(String(req.params.uscc));
  const agent = uscc === null ? null : await findAgent(context.dataSource, uscc, scopeOf(req.principal));
  if (!agent) throw new HttpError(404, 'error.not_found');
  const query = readQuery(req, agentQuery);
  const today = shanghaiDate(new Date());
  const periods = await agentHeldPeriods(context.dataSource, agent.id, scopeOf(req.principal));
  const date = query.at ?? lastDayHeld(periods, today) ?? today;
  const path = `/agents/${encodeURIComponent(agent.uscc)}`;
  const profile = await agentProfile(context.dataSource, scopeOf(req.principal), agent, date);
  const findings = await listFindings(
    context.dataSource,
    scopeOf(req.principal),
    { agent: agent.uscc },
    1,
    PROFILE_FINDINGS,
  );
  const holdings = await agentHoldings(
    context.dataSource,
    agent.id,
    { page: query.holds_page ?? 1, perPage: PER_PAGE },
    scopeOf(req.principal),
  );
  const grants = await agentGrants(
    context.dataSource,
    agent.id,
    { page: query.grants_page ?? 1, perPage: PER_PAGE },
    scopeOf(req.principal),
  );
  res.page('agents/show', {
    title: agent.name,
    section: 'agents',
    stylesheets: ['/static/tree.css'],
    profile: profileView(profile, agent, req.locale),
    dateNote: dateNote(periods, date, today, query.at === undefined, req.locale),
    periods: periods.slice(-MAX_PERIODS_NAMED).map((p) => ({
      text: p.to === null ? t(req.locale, 'browse.valid_open', { from: p.from }) : `${p.from} – ${p.to}`,
      url: `${path}?at=${p.to === null || p.to > today ? (p.from > today ? p.from : today) : p.to}`,
    })),
    findings: {
      total: findings.total,
      rows: findings.rows.map((f) => findingRowView(f, req.locale)),
      more: findings.total > findings.rows.length,
      url: `/findings?agent=${agent.uscc}`,
    },
    agent: {
      name: agent.name,
      uscc: agent.uscc,
      usccValid: agent.usccValid,
      licenceNo: agent.licenceNo,
      contact: agent.contact,
      address: agent.address,
      levels: agent.levels,
    },
    holdings: { total: holdings.total, rows: holdings.rows.map((row) => allocationView(row, req.locale)) },
    holdingsPager: pagerView(holdings.page, holdings.total, PER_PAGE, pageUrlBuilder(path, req.query, 'holds_page')),
    grants: { total: grants.total, rows: grants.rows.map((row) => allocationView(row, req.locale)) },
    grantsPager: pagerView(grants.page, grants.total, PER_PAGE, pageUrlBuilder(path, req.query, 'grants_page')),
  });
}
