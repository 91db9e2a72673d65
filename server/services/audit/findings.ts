import { Brackets, In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { Agent, Carrier, Finding, UsingEntity } from '../../entities/index.ts';
import {
  FINDING_STATUSES,
  NOTIFIABLE_STATUSES,
  SEVERITIES,
  UNRESOLVED_STATUSES,
  type FindingStatus,
  type Severity,
} from '../../entities/Finding.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import { scoped, scopedWhere, type Scope } from '../accounts/scope.ts';
import { UserError } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { isUsccShaped, normaliseUscc } from '../../numbering/uscc.ts';
import { likeEscape } from '../../util/like.ts';

export interface FindingFilter {
  rule?: string;
  severity?: Severity;
  status?: FindingStatus;
  carrierId?: number;
  /** The answerable agent: its USCC, or part of its name (or the start of its USCC) as typed. */
  agent?: string;
  /** The sender number a finding is about. */
  number?: string;
  /** The using entity it is about, by USCC. */
  entity?: string;
  /** The findings like this one: the same agent, rule and number (SimilarFindings). */
  similar?: Finding;
  /** occurred_at from (inclusive) / to (exclusive). */
  from?: Date;
  to?: Date;
}

const SEVERITY_ORDER = "CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END";

function findingsIn(dataSource: DataSource, scope: Scope) {
  return scoped.findings(dataSource.getRepository(Finding).createQueryBuilder('f'), scope);
}

/**
 * The agent filter: an exact USCC when what was typed reads as one, else agents in scope whose
 * name contains it or whose USCC starts with it.
 */
function whereAgent(query: SelectQueryBuilder<Finding>, dataSource: DataSource, scope: Scope, typed: string): void {
  const text = typed.trim();
  const uscc = normaliseUscc(text);
  if (isUsccShaped(uscc)) {
    query.andWhere('f.agent_uscc = :agentUscc', { agentUscc: uscc });
    return;
  }
  const agents = scoped
    .agents(dataSource.getRepository(Agent).createQueryBuilder('ag').select('ag.uscc'), scope)
    .andWhere(
      new Brackets((match) =>
        match
          .where("ag.name LIKE :agentName ESCAPE '!'", { agentName: `%${likeEscape(text)}%` })
          .orWhere("ag.uscc LIKE :agentPrefix ESCAPE '!'", { agentPrefix: `${likeEscape(uscc)}%` }),
      ),
    );
  query.andWhere(`f.agent_uscc IN (${agents.getQuery()})`, agents.getParameters());
}

/** The findings in scope that `filter` keeps. */
function filtered(dataSource: DataSource, scope: Scope, filter: FindingFilter): SelectQueryBuilder<Finding> {
  const query = findingsIn(dataSource, scope);
  if (filter.rule) query.andWhere('f.rule = :rule', { rule: filter.rule });
  if (filter.severity) query.andWhere('f.severity = :severity', { severity: filter.severity });
  if (filter.status) query.andWhere('f.status = :status', { status: filter.status });
  if (filter.carrierId !== undefined) query.andWhere('f.root_carrier_id = :carrierId', { carrierId: filter.carrierId });
  if (filter.agent) whereAgent(query, dataSource, scope, filter.agent);
  if (filter.number) query.andWhere('f.number = :number', { number: filter.number });
  if (filter.entity) query.andWhere('f.entity_uscc = :entity', { entity: filter.entity });
  if (filter.similar) {
    const like = filter.similar;
    if (like.number === null) query.andWhere('f.id = :similarId', { similarId: like.id });
    else
      query
        .andWhere('f.rule = :similarRule AND f.number = :similarNumber', {
          similarRule: like.rule,
          similarNumber: like.number,
        })
        .andWhere(like.agentUscc === null ? 'f.agent_uscc IS NULL' : 'f.agent_uscc = :similarAgent', {
          similarAgent: like.agentUscc,
        });
  }
  if (filter.from) query.andWhere('f.occurred_at >= :from', { from: filter.from });
  if (filter.to) query.andWhere('f.occurred_at < :to', { to: filter.to });
  return query;
}

/** Findings in scope, worst and newest first, filtered, a page at a time. */
export async function listFindings(
  dataSource: DataSource,
  scope: Scope,
  filter: FindingFilter,
  page: number,
  perPage: number,
): Promise<{ rows: Finding[]; total: number }> {
  const query = filtered(dataSource, scope, filter);
  query
    .addSelect(SEVERITY_ORDER, 'severity_rank')
    .orderBy('severity_rank', 'DESC')
    .addOrderBy('f.occurred_at', 'DESC')
    .addOrderBy('f.id', 'DESC');
  const [rows, total] = await query
    .skip((page - 1) * perPage)
    .take(perPage)
    .getManyAndCount();
  return { rows, total };
}

/**
 * Near-identical findings shown as one: those about the same number, by the same rule, for the
 * same agent (a sender repeating one message trips a rule once per message). A finding about no
 * number (a prefix, an agent) stands alone.
 */
export interface FindingGroup {
  /** The newest finding of the group, which the list shows. */
  finding: Finding;
  /** How many findings the group holds (1: a finding on its own). */
  members: number;
  /** The worst severity among them. */
  severity: Severity;
  /** How many are in each status, in FINDING_STATUSES order; statuses none is in are left out. */
  statuses: Array<{ status: FindingStatus; count: number }>;
}

interface GroupRow {
  latest: number | string;
  members: number | string;
  worst: number | string;
  occurred: Date | string | null;
  [count: `status_${string}`]: number | string;
}

/** The group's key: agent, rule and number; a finding about no number is a group of its own. */
const GROUP_KEY = ['f.agent_uscc', 'f.rule', 'f.number', 'CASE WHEN f.number IS NULL THEN f.id ELSE 0 END'];

/**
 * The filtered findings in scope as groups of near-identical ones (FindingGroup), worst and
 * newest first, a page of groups at a time; `total` counts findings, `groups` the groups.
 */
export async function listFindingGroups(
  dataSource: DataSource,
  scope: Scope,
  filter: FindingFilter,
  page: number,
  perPage: number,
): Promise<{ rows: FindingGroup[]; total: number; groups: number }> {
  const query = filtered(dataSource, scope, filter)
    .select('MAX(f.id)', 'latest')
    .addSelect('COUNT(*)', 'members')
    .addSelect(`MAX(${SEVERITY_ORDER})`, 'worst')
    .addSelect('MAX(f.occurred_at)', 'occurred');
  for (const status of FINDING_STATUSES)
    query.addSelect(`SUM(CASE WHEN f.status = '${status}' THEN 1 ELSE 0 END)`, `status_${status}`);
  query.groupBy(GROUP_KEY[0]);
  for (const key of GROUP_KEY.slice(1)) query.addGroupBy(key);
  const counted = await dataSource
    .createQueryBuilder()
    .select('COUNT(*)', 'groups')
    .addSelect('SUM(g.members)', 'total')
    .from(`(${query.getQuery()})`, 'g')
    .setParameters(query.getParameters())
    .getRawOne<{ groups: number | string; total: number | string | null }>();
  const rows = await query
    .orderBy('worst', 'DESC')
    .addOrderBy('occurred', 'DESC')
    .addOrderBy('latest', 'DESC')
    .offset((page - 1) * perPage)
    .limit(perPage)
    .getRawMany<GroupRow>();
  const ids = rows.map((row) => Number(row.latest));
  const findings = ids.length === 0 ? [] : await findingsIn(dataSource, scope).andWhereInIds(ids).getMany();
  const byId = new Map(findings.map((f) => [f.id, f]));
  return {
    rows: rows.map((row) => ({
      finding: byId.get(Number(row.latest))!,
      members: Number(row.members),
      severity: SEVERITIES[Number(row.worst) - 1],
      statuses: FINDING_STATUSES.map((status) => ({ status, count: Number(row[`status_${status}`]) })).filter(
        (entry) => entry.count > 0,
      ),
    })),
    total: Number(counted?.total ?? 0),
    groups: Number(counted?.groups ?? 0),
  };
}

/** The names a list of findings shows beside the USCCs and carrier ids it holds. */
export interface FindingNames {
  agents: ReadonlyMap<string, string>;
  entities: ReadonlyMap<string, string>;
  carriers: ReadonlyMap<number, string>;
}

/** The names of the agents, using entities and carriers `findings` name, as far as `scope` reaches them. */
export async function findingNames(dataSource: DataSource, scope: Scope, findings: Finding[]): Promise<FindingNames> {
  const agentUsccs = [...new Set(findings.flatMap((f) => (f.agentUscc ? [f.agentUscc] : [])))];
  const entityUsccs = [...new Set(findings.flatMap((f) => (f.entityUscc ? [f.entityUscc] : [])))];
  const carrierIds = [...new Set(findings.flatMap((f) => (f.rootCarrierId !== null ? [f.rootCarrierId] : [])))];
  const agents =
    agentUsccs.length === 0
      ? []
      : await scoped
          .agents(dataSource.getRepository(Agent).createQueryBuilder('ag'), scope)
          .andWhere('ag.uscc IN (:...agentUsccs)', { agentUsccs })
          .getMany();
  const entities =
    entityUsccs.length === 0
      ? []
      : await scoped
          .entities(dataSource.getRepository(UsingEntity).createQueryBuilder('en'), scope)
          .andWhere('en.uscc IN (:...entityUsccs)', { entityUsccs })
          .getMany();
  const carriers =
    carrierIds.length === 0 ? [] : await dataSource.getRepository(Carrier).findBy({ id: In(carrierIds) });
  return {
    agents: new Map(agents.map((a) => [a.uscc, a.name])),
    entities: new Map(entities.map((e) => [e.uscc, e.name])),
    carriers: new Map(carriers.map((c) => [c.id, c.name])),
  };
}

/** One finding, if the user's scope reaches it. */
export async function getFinding(dataSource: DataSource, scope: Scope, id: number): Promise<Finding | null> {
  return findingsIn(dataSource, scope).andWhere('f.id = :id', { id }).getOne();
}

/** The workflow step asked for is not possible from where the finding is; `code` is an i18n key. */
export class FindingStateError extends UserError {
  constructor(
    readonly code: string,
    readonly current: FindingStatus,
  ) {
    super(409, code);
  }

  /** The message names the status the finding is in now, in the reader's words. */
  override text(locale: Locale): string {
    return t(locale, this.messageKey, { status: t(locale, `findings.status.${this.current}`) });
  }
}

/**
 * Dismissed with a written reason (who, when): the finding stays dismissed through later audit
 * runs. Only an open or notified finding can be dismissed; if someone else changed its status
 * since the page was shown (`expected`), the request is refused rather than applied on top.
 */
export async function dismissFinding(
  dataSource: DataSource,
  scope: Scope,
  id: number,
  expected: FindingStatus,
  reason: string,
  actor: Actor,
): Promise<Finding> {
  return changeStatus(
    dataSource,
    scope,
    id,
    expected,
    ['open', 'notified'],
    'dismissed',
    reason,
    actor,
    'finding.dismissed',
  );
}

/** Back to open, e.g. when a dismissal was a mistake; the reason is kept in the audit log. */
export async function reopenFinding(
  dataSource: DataSource,
  scope: Scope,
  id: number,
  expected: FindingStatus,
  reason: string,
  actor: Actor,
): Promise<Finding> {
  return changeStatus(dataSource, scope, id, expected, ['dismissed'], 'open', reason, actor, 'finding.reopened');
}

async function changeStatus(
  dataSource: DataSource,
  scope: Scope,
  id: number,
  expected: FindingStatus,
  from: FindingStatus[],
  to: FindingStatus,
  reason: string,
  actor: Actor,
  action: string,
): Promise<Finding> {
  return dataSource.transaction(async (manager) => {
    const finding = await manager.findOneBy(Finding, { id, ...scopedWhere.findings(scope) });
    if (!finding) throw new FindingStateError('findings.not_found', 'open');
    if (finding.status !== expected) throw new FindingStateError('findings.changed_meanwhile', finding.status);
    if (!from.includes(finding.status)) throw new FindingStateError('findings.not_allowed', finding.status);
    const now = new Date();
    const result = await manager
      .createQueryBuilder()
      .update(Finding)
      .set({
        status: to,
        statusChangedAt: now,
        statusChangedBy: actor.slice(0, 100),
        statusReason: reason.slice(0, 1000),
      })
      .where('id = :id AND status = :expected', { id, expected })
      .execute();
    if (result.affected === 0) throw new FindingStateError('findings.changed_meanwhile', finding.status);
    await recordAudit(manager, {
      actor,
      action,
      subject: `finding:${id}`,
      before: { findingId: id, status: finding.status },
      after: { findingId: id, status: to, reason },
    });
    return await manager.findOneByOrFail(Finding, { id });
  });
}

export interface AgentRisk {
  uscc: string;
  name: string | null;
  critical: number;
  high: number;
  medium: number;
  low: number;
  /** Unresolved findings (UNRESOLVED_STATUSES): those still to notify plus those notified. */
  unresolved: number;
  /** Of these, open ones: what a notice may still be issued for (NOTIFIABLE_STATUSES). */
  toNotify: number;
  /** Of these, notified ones, waiting for rectification. */
  notified: number;
  complaints: number;
  /** critical×10 + high×5 + medium×2 + low, plus a point per complaint finding's complaint. */
  score: number;
}

/** An agent's findings in scope counted by status, the statuses every page counts by (Finding.ts). */
export interface AgentFindingCounts {
  toNotify: number;
  notified: number;
}

/** How many of the agent's findings in scope are open (to notify) and notified: what its pages say. */
export async function agentFindingCounts(
  dataSource: DataSource,
  scope: Scope,
  agentUscc: string,
): Promise<AgentFindingCounts> {
  const rows = await findingsIn(dataSource, scope)
    .select('f.status', 'status')
    .addSelect('COUNT(*)', 'count')
    .andWhere('f.agent_uscc = :agentUscc', { agentUscc })
    .andWhere('f.status IN (:...unresolved)', { unresolved: UNRESOLVED_STATUSES })
    .groupBy('f.status')
    .getRawMany<{ status: FindingStatus; count: number | string }>();
  const count = (statuses: readonly FindingStatus[]) =>
    rows.filter((row) => statuses.includes(row.status)).reduce((sum, row) => sum + Number(row.count), 0);
  return { toNotify: count(NOTIFIABLE_STATUSES), notified: count(['notified']) };
}

/**
 * Agents ranked by their unresolved findings (UNRESOLVED_STATUSES: open and notified; dismissed
 * and rectified ones no longer count) and the complaints traced to them ("aggregate isolated
 * cases into big data").
 */
export async function agentRiskRanking(dataSource: DataSource, scope: Scope, limit: number): Promise<AgentRisk[]> {
  const rows = await findingsIn(dataSource, scope)
    .select('f.agent_uscc', 'uscc')
    .addSelect('f.severity', 'severity')
    .addSelect('f.status', 'status')
    .addSelect('COUNT(*)', 'count')
    .andWhere('f.agent_uscc IS NOT NULL')
    .andWhere('f.status IN (:...unresolved)', { unresolved: UNRESOLVED_STATUSES })
    .groupBy('f.agent_uscc')
    .addGroupBy('f.severity')
    .addGroupBy('f.status')
    .getRawMany<{ uscc: string; severity: Severity; status: FindingStatus; count: string | number }>();
  const byAgent = new Map<string, AgentRisk>();
  for (const row of rows) {
    let risk = byAgent.get(row.uscc);
    if (!risk)
      byAgent.set(
        row.uscc,
        (risk = {
          uscc: row.uscc,
          name: null,
          critical: 0,
          high: 0,
          medium: 0,
          low: 0,
          unresolved: 0,
          toNotify: 0,
          notified: 0,
          complaints: 0,
          score: 0,
        }),
      );
    const count = Number(row.count);
    risk[row.severity] += count;
    risk.unresolved += count;
    if ((NOTIFIABLE_STATUSES as readonly FindingStatus[]).includes(row.status)) risk.toNotify += count;
    else risk.notified += count;
  }
  const clusters = await findingsIn(dataSource, scope)
    .andWhere("f.rule = 'COMPLAINT_CLUSTER'")
    .andWhere('f.status IN (:...unresolved)', { unresolved: UNRESOLVED_STATUSES })
    .getMany();
  for (const cluster of clusters) {
    const risk = byAgent.get(cluster.agentUscc!);
    if (risk) risk.complaints += Number(cluster.evidence.facts?.complaints ?? 0);
  }
  for (const risk of byAgent.values())
    risk.score = risk.critical * 10 + risk.high * 5 + risk.medium * 2 + risk.low + risk.complaints;
  const ranked = [...byAgent.values()]
    .sort((a, b) => b.score - a.score || a.uscc.localeCompare(b.uscc))
    .slice(0, limit);
  const agents = await dataSource
    .getRepository(Agent)
    .find({ where: { uscc: In(ranked.map((r) => r.uscc)) }, select: { uscc: true, name: true } });
  const names = new Map(agents.map((a) => [a.uscc, a.name]));
  for (const risk of ranked) risk.name = names.get(risk.uscc) ?? null;
  return ranked;
}
