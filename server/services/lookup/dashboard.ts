import { IsNull, type DataSource } from 'typeorm';
import { Allocation, Carrier, Complaint, Finding, ImportRun, Message, Notice } from '../../entities/index.ts';
import { SEVERITIES, type Severity } from '../../entities/Finding.ts';
import { dateOfDayNumber, dayNumber, shanghaiDate } from '../../numbering/time.ts';
import { coversCarrier, scoped, scopedWhere, seesEveryCarrier, type Scope } from '../accounts/scope.ts';

export interface CarrierStats {
  code: string;
  name: string;
  segments: number;
  allocations: number;
  agents: number;
  entities: number;
  deepestLevel: number;
  releases: number;
}

/**
 * Counts per carrier in scope, over the allocations whose chain starts at it (root_carrier_id):
 * one indexed GROUP BY, whatever the number of allocations.
 */
export async function carrierStats(dataSource: DataSource, scope: Scope): Promise<CarrierStats[]> {
  const carriers = (await dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } })).filter((c) =>
    coversCarrier(scope, c.id),
  );
  const rows = await dataSource
    .getRepository(Allocation)
    .createQueryBuilder('a')
    .select('a.rootCarrierId', 'carrierId')
    .addSelect('COUNT(a.id)', 'allocations')
    .addSelect('SUM(CASE WHEN a.parentId IS NULL THEN 1 ELSE 0 END)', 'segments')
    .addSelect('COUNT(DISTINCT a.lesseeAgentId)', 'agents')
    .addSelect('COUNT(DISTINCT a.lesseeEntityId)', 'entities')
    .addSelect('MAX(a.level)', 'deepestLevel')
    .addSelect("SUM(CASE WHEN a.holderAgentId IS NOT NULL AND a.lesseeKind = 'agent' THEN 1 ELSE 0 END)", 'releases')
    .groupBy('a.rootCarrierId')
    .getRawMany<Record<string, number | string | null>>();
  const byCarrier = new Map(rows.map((r) => [Number(r.carrierId), r]));
  return carriers.map((c) => {
    const r = byCarrier.get(c.id);
    const n = (key: string) => Number(r?.[key] ?? 0);
    return {
      code: c.code,
      name: c.name,
      segments: n('segments'),
      allocations: n('allocations'),
      agents: n('agents'),
      entities: n('entities'),
      deepestLevel: n('deepestLevel'),
      releases: n('releases'),
    };
  });
}

/**
 * Messages and complaints per carrier, by code: those whose sender resolved to the carrier's
 * chains (services/audit/attribution.ts). Only the dashboard shows them.
 */
export async function carrierTraffic(
  dataSource: DataSource,
): Promise<Map<string, { messages: number; complaints: number }>> {
  const messages = await countsByCarrier(dataSource, Message);
  const complaints = await countsByCarrier(dataSource, Complaint);
  const carriers = await dataSource.getRepository(Carrier).find({ select: { id: true, code: true } });
  return new Map(
    carriers.map((c) => [c.code, { messages: messages.get(c.id) ?? 0, complaints: complaints.get(c.id) ?? 0 }]),
  );
}

/** Rows per root carrier (null: the sender resolved to no carrier at the time). */
async function countsByCarrier(
  dataSource: DataSource,
  target: typeof Message | typeof Complaint,
): Promise<Map<number | null, number>> {
  const rows = await dataSource
    .getRepository(target)
    .createQueryBuilder('t')
    .select('t.rootCarrierId', 'carrierId')
    .addSelect('COUNT(*)', 'count')
    .groupBy('t.rootCarrierId')
    .getRawMany<{ carrierId: number | string | null; count: number | string }>();
  return new Map(rows.map((r) => [r.carrierId === null ? null : Number(r.carrierId), Number(r.count)]));
}

/**
 * Messages and complaints in scope: all of them for regulators and administrators (including
 * those no allocation covered), those attributed to their carrier for a carrier's staff.
 */
export async function trafficTotals(
  dataSource: DataSource,
  scope: Scope,
): Promise<{ messages: number; complaints: number; unattributedMessages: number | null }> {
  const where = scopedWhere.traffic(scope);
  return {
    messages: await dataSource.getRepository(Message).countBy(where),
    complaints: await dataSource.getRepository(Complaint).countBy(where),
    unattributedMessages: seesEveryCarrier(scope)
      ? await dataSource.getRepository(Message).countBy({ rootCarrierId: IsNull() })
      : null,
  };
}

/** The newest runs in scope: a carrier's staff see only their carrier's. */
export async function latestImports(dataSource: DataSource, limit: number, scope: Scope): Promise<ImportRun[]> {
  return dataSource
    .getRepository(ImportRun)
    .find({ where: scopedWhere.importRuns(scope), order: { id: 'DESC' }, take: limit });
}

/** Open findings (status open: nobody has acted on them yet) counted by severity and by rule. */
export interface OpenFindingCounts {
  total: number;
  bySeverity: Record<Severity, number>;
  /** Rules with at least one open finding, most first; `worst` is the gravest severity among them. */
  byRule: Array<{ rule: string; count: number; worst: Severity }>;
}

/** The dashboard's counts of open findings in scope: one GROUP BY over (rule, severity). */
export async function openFindingCounts(dataSource: DataSource, scope: Scope): Promise<OpenFindingCounts> {
  const rows = await scoped
    .findings(dataSource.getRepository(Finding).createQueryBuilder('f'), scope)
    .select('f.rule', 'rule')
    .addSelect('f.severity', 'severity')
    .addSelect('COUNT(*)', 'count')
    .andWhere("f.status = 'open'")
    .groupBy('f.rule')
    .addGroupBy('f.severity')
    .getRawMany<{ rule: string; severity: Severity; count: number | string }>();
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  const byRule = new Map<string, { rule: string; count: number; worst: Severity }>();
  const rank = (severity: Severity) => SEVERITIES.indexOf(severity);
  for (const row of rows) {
    const count = Number(row.count);
    bySeverity[row.severity] += count;
    const rule = byRule.get(row.rule) ?? { rule: row.rule, count: 0, worst: row.severity };
    rule.count += count;
    if (rank(row.severity) > rank(rule.worst)) rule.worst = row.severity;
    byRule.set(row.rule, rule);
  }
  return {
    total: Object.values(bySeverity).reduce((sum, n) => sum + n, 0),
    bySeverity,
    byRule: [...byRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)),
  };
}

/** Where an agent sits in the chains in scope: its shallowest and deepest level, and the carriers they start at. */
export interface AgentPlacement {
  minLevel: number;
  maxLevel: number;
  carriers: Array<{ code: string; name: string }>;
}

/**
 * The levels and carriers of the given agents' grants in scope (they as lessee), by USCC: one
 * GROUP BY over allocations, whatever the number of agents asked about.
 */
export async function agentPlacements(
  dataSource: DataSource,
  scope: Scope,
  usccs: string[],
): Promise<Map<string, AgentPlacement>> {
  const placements = new Map<string, AgentPlacement>();
  if (usccs.length === 0) return placements;
  const rows = await scoped
    .allocations(dataSource.getRepository(Allocation).createQueryBuilder('a'), scope)
    .innerJoin('a.lesseeAgent', 'agent')
    .innerJoin('a.rootCarrier', 'carrier')
    .select('agent.uscc', 'uscc')
    .addSelect('carrier.code', 'code')
    .addSelect('carrier.name', 'name')
    .addSelect('MIN(a.level)', 'minLevel')
    .addSelect('MAX(a.level)', 'maxLevel')
    .andWhere('agent.uscc IN (:...usccs)', { usccs })
    .groupBy('agent.uscc')
    .addGroupBy('carrier.code')
    .addGroupBy('carrier.name')
    .orderBy('carrier.code')
    .getRawMany<{ uscc: string; code: string; name: string; minLevel: number | string; maxLevel: number | string }>();
  for (const row of rows) {
    const placement = placements.get(row.uscc) ?? { minLevel: Infinity, maxLevel: 0, carriers: [] };
    placement.minLevel = Math.min(placement.minLevel, Number(row.minLevel));
    placement.maxLevel = Math.max(placement.maxLevel, Number(row.maxLevel));
    placement.carriers.push({ code: row.code, name: row.name });
    placements.set(row.uscc, placement);
  }
  return placements;
}

/** A notice is due soon when its deadline is today or within this many days (Beijing). */
export const DUE_SOON_DAYS = 7;

/** Notices still waiting for rectification whose deadline has passed or comes soon, and how many there are. */
export interface NoticesDue {
  today: string;
  overdue: Notice[];
  overdueCount: number;
  dueSoon: Notice[];
  dueSoonCount: number;
}

/**
 * Notices in scope that are current (not superseded) and not rectified: overdue ones (their
 * deadline before today, as services/notices/notices.ts isOverdue says), longest overdue first,
 * and those due within DUE_SOON_DAYS, nearest first; `limit` of each, with their counts.
 */
export async function noticesDue(
  dataSource: DataSource,
  scope: Scope,
  limit: number,
  now = new Date(),
): Promise<NoticesDue> {
  const today = shanghaiDate(now);
  const soon = dateOfDayNumber(dayNumber(today) + DUE_SOON_DAYS);
  const pending = () =>
    scoped
      .notices(dataSource.getRepository(Notice).createQueryBuilder('n'), scope)
      .andWhere("n.status <> 'rectified'")
      .andWhere('n.superseded_by_id IS NULL');
  const counts = await pending()
    .select('SUM(CASE WHEN n.deadline < :today THEN 1 ELSE 0 END)', 'overdue')
    .addSelect('SUM(CASE WHEN n.deadline >= :today AND n.deadline <= :soon THEN 1 ELSE 0 END)', 'dueSoon')
    .setParameters({ today, soon })
    .getRawOne<{ overdue: number | string | null; dueSoon: number | string | null }>();
  const overdue = await pending()
    .andWhere('n.deadline < :today', { today })
    .orderBy('n.deadline', 'ASC')
    .addOrderBy('n.id', 'ASC')
    .take(limit)
    .getMany();
  const dueSoon = await pending()
    .andWhere('n.deadline >= :today AND n.deadline <= :soon', { today, soon })
    .orderBy('n.deadline', 'ASC')
    .addOrderBy('n.id', 'ASC')
    .take(limit)
    .getMany();
  return {
    today,
    overdue,
    overdueCount: Number(counts?.overdue ?? 0),
    dueSoon,
    dueSoonCount: Number(counts?.dueSoon ?? 0),
  };
}
