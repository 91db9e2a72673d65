import type { Request, Response } from 'express';
import { z } from 'zod';
import { HttpError, type AppContext } from '../app.ts';
import { scopeOf } from '../services/scope.ts';
import { t } from '../i18n/index.ts';
import { agentGrants, agentHoldings, findAgent, searchAgents } from '../services/browse.ts';
import { allocationView, listQuery, pageNumber, partyUrl, usccParam } from './shared.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from './paging.ts';

const agentQuery = z.object({
  holds_page: pageNumber.optional(),
  grants_page: pageNumber.optional(),
});

/** GET /agents?q=…&page=… — every agent, searchable by name or USCC prefix, 50 a page. */
export async function getAgents(req: Request, res: Response, context: AppContext): Promise<void> {
  const query = listQuery.safeParse(req.query);
  if (!query.success) throw new HttpError(400, 'browse.bad_request');
  const q = query.data.q ?? '';
  const result = await searchAgents(context.dataSource, q, { page: query.data.page ?? 1, perPage: PER_PAGE }, scopeOf(req.principal));
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

/** GET /agents/:uscc — who the agent is, what it holds from whom, and what it grants to whom. */
export async function getAgent(req: Request, res: Response, context: AppContext): Promise<void> {
  const uscc = usccParam(String(req.params.uscc));
  const agent = uscc === null ? null : await findAgent(context.dataSource, uscc, scopeOf(req.principal));
  if (!agent) throw new HttpError(404, 'error.not_found');
  const query = agentQuery.safeParse(req.query);
  if (!query.success) throw new HttpError(400, 'browse.bad_request');
  const holdings = await agentHoldings(context.dataSource, agent.id, { page: query.data.holds_page ?? 1, perPage: PER_PAGE }, scopeOf(req.principal));
  const grants = await agentGrants(context.dataSource, agent.id, { page: query.data.grants_page ?? 1, perPage: PER_PAGE }, scopeOf(req.principal));
  const path = `/agents/${encodeURIComponent(agent.uscc)}`;
  res.page('agents/show', {
    title: agent.name,
    section: 'agents',
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
