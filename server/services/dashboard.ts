import type { DataSource } from 'typeorm';
import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { Carrier, Complaint, ImportRun, Message } from '../entities/index.ts';
import { allocationIndexFor } from './lookup.ts';
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

/** Counts per carrier: every allocation is attributed to the carrier at the root of its chain. */
export async function carrierStats(dataSource: DataSource, scope: Scope): Promise<CarrierStats[]> {
  const index = await allocationIndexFor(dataSource);
  const byId = new Map<number, IndexedAllocation>();
  for (const allocation of index.all()) byId.set(allocation.id, allocation);
  const rootOf = new Map<number, IndexedAllocation>();
  const findRoot = (allocation: IndexedAllocation): IndexedAllocation => {
    const known = rootOf.get(allocation.id);
    if (known) return known;
    const parent = allocation.parentId === null ? null : byId.get(allocation.parentId);
    const root = parent ? findRoot(parent) : allocation;
    rootOf.set(allocation.id, root);
    return root;
  };
  const carriers = (await dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } }))
    .filter((c) => scope.carrierId === null || c.id === scope.carrierId);
  const stats = new Map(carriers.map((c) => [c.code, {
    code: c.code, name: c.name, segments: 0, allocations: 0, agents: new Set<string>(), entities: new Set<string>(), deepestLevel: 0, releases: 0,
  }]));
  for (const allocation of byId.values()) {
    const root = findRoot(allocation);
    const entry = stats.get(root.holder.key);
    if (!entry) continue;
    entry.allocations++;
    if (allocation.parentId === null) entry.segments++;
    (allocation.lessee.kind === 'agent' ? entry.agents : entry.entities).add(allocation.lessee.key);
    entry.deepestLevel = Math.max(entry.deepestLevel, allocation.level);
    if (allocation.holder.kind === 'agent' && allocation.lessee.kind === 'agent') entry.releases++;
  }
  return [...stats.values()].map((s) => ({ ...s, agents: s.agents.size, entities: s.entities.size }));
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
