import { In, type DataSource } from 'typeorm';
import { Agent, Finding } from '../../entities/index.ts';
import type { FindingStatus, Severity } from '../../entities/Finding.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import { scoped, scopedWhere, type Scope } from '../accounts/scope.ts';
import { UserError } from '../../errors.ts';
import { t, type Locale } from '../../i18n/index.ts';

export interface FindingFilter {
  rule?: string;
  severity?: Severity;
  status?: FindingStatus;
  carrierId?: number;
  agent?: string;
  /** occurred_at from (inclusive) / to (exclusive). */
  from?: Date;
  to?: Date;
}

const SEVERITY_ORDER = "CASE f.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END";

function findingsIn(dataSource: DataSource, scope: Scope) {
  return scoped.findings(dataSource.getRepository(Finding).createQueryBuilder('f'), scope);
}

/** Findings in scope, worst and newest first, filtered, a page at a time. */
export async function listFindings(
  dataSource: DataSource,
  scope: Scope,
  filter: FindingFilter,
  page: number,
  perPage: number,
): Promise<{ rows: Finding[]; total: number }> {
  const query = findingsIn(dataSource, scope);
  if (filter.rule) query.andWhere('f.rule = :rule', { rule: filter.rule });
  if (filter.severity) query.andWhere('f.severity = :severity', { severity: filter.severity });
  if (filter.status) query.andWhere('f.status = :status', { status: filter.status });
  if (filter.carrierId !== undefined) query.andWhere('f.root_carrier_id = :carrierId', { carrierId: filter.carrierId });
  if (filter.agent) query.andWhere('f.agent_uscc = :agent', { agent: filter.agent });
  if (filter.from) query.andWhere('f.occurred_at >= :from', { from: filter.from });
  if (filter.to) query.andWhere('f.occurred_at < :to', { to: filter.to });
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
  /** Open and notified findings: what the score counts. */
  open: number;
  /** Of those, the ones still open (no notice, not dismissed): what `/findings?status=open` lists. */
  pending: number;
  complaints: number;
  /** critical×10 + high×5 + medium×2 + low, plus a point per complaint finding's complaint. */
  score: number;
}

/**
 * Agents ranked by their findings (open and notified ones; dismissed and rectified ones no longer
 * count) and the complaints traced to them ("aggregate isolated cases into big data").
 */
export async function agentRiskRanking(dataSource: DataSource, scope: Scope, limit: number): Promise<AgentRisk[]> {
  const rows = await findingsIn(dataSource, scope)
    .select('f.agent_uscc', 'uscc')
    .addSelect('f.severity', 'severity')
    .addSelect('f.status', 'status')
    .addSelect('COUNT(*)', 'count')
    .andWhere('f.agent_uscc IS NOT NULL')
    .andWhere("f.status IN ('open', 'notified')")
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
          open: 0,
          pending: 0,
          complaints: 0,
          score: 0,
        }),
      );
    risk[row.severity] += Number(row.count);
    risk.open += Number(row.count);
    if (row.status === 'open') risk.pending += Number(row.count);
  }
  const clusters = await findingsIn(dataSource, scope)
    .andWhere("f.rule = 'COMPLAINT_CLUSTER'")
    .andWhere("f.status IN ('open', 'notified')")
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
