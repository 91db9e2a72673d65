import type { DataSource } from 'typeorm';
import { Allocation, Carrier, Complaint, ImportRun, Message } from '../entities/index.ts';
import type { Scope } from './scope.ts';

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
  const carriers = (await dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } }))
    .filter((c) => scope.carrierId === null || c.id === scope.carrierId);
  const rows = await dataSource.getRepository(Allocation).createQueryBuilder('a')
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
      code: c.code, name: c.name, segments: n('segments'), allocations: n('allocations'), agents: n('agents'),
      entities: n('entities'), deepestLevel: n('deepestLevel'), releases: n('releases'),
    };
  });
}

export async function trafficTotals(dataSource: DataSource): Promise<{ messages: number; complaints: number }> {
  return {
    messages: await dataSource.getRepository(Message).count(),
    complaints: await dataSource.getRepository(Complaint).count(),
  };
}

export async function latestImports(dataSource: DataSource, limit: number): Promise<ImportRun[]> {
  return dataSource.getRepository(ImportRun).find({ order: { id: 'DESC' }, take: limit });
}
