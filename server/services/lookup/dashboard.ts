import { IsNull, type DataSource } from 'typeorm';
import { Allocation, Carrier, Complaint, ImportRun, Message } from '../../entities/index.ts';
import { coversCarrier, scopedWhere, seesEveryCarrier, type Scope } from '../accounts/scope.ts';

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
