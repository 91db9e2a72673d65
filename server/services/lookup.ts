import type { DataSource, EntityManager } from 'typeorm';
import { AllocationIndex, chainAt, type Chain, type IndexedAllocation, type Party } from '../chain/allocationIndex.ts';
import { Agent, Allocation, Carrier, UsingEntity } from '../entities/index.ts';
import { parse106 } from '../numbering/number106.ts';
import { parseTimestamp } from '../numbering/time.ts';
import { EVERYTHING, type Scope } from './scope.ts';

const PAGE_ROWS = 50_000;

/** Reads every allocation into an index, a page at a time so the rows never sit in memory twice. */
export async function loadAllocationIndex(dataSource: DataSource | EntityManager): Promise<AllocationIndex> {
  const parties = new Map<string, Party>();
  for (const c of await dataSource.getRepository(Carrier).find()) parties.set(`c${c.id}`, { kind: 'carrier', id: c.id, key: c.code, name: c.name });
  for (const a of await dataSource.getRepository(Agent).find({ select: { id: true, uscc: true, name: true } })) parties.set(`a${a.id}`, { kind: 'agent', id: a.id, key: a.uscc, name: a.name });
  for (const e of await dataSource.getRepository(UsingEntity).find({ select: { id: true, uscc: true, name: true } })) parties.set(`e${e.id}`, { kind: 'entity', id: e.id, key: e.uscc, name: e.name });

  const allocations: IndexedAllocation[] = [];
  let afterId = 0;
  for (;;) {
    const page = await dataSource.getRepository(Allocation).createQueryBuilder('a')
      .where('a.id > :afterId', { afterId }).orderBy('a.id', 'ASC').limit(PAGE_ROWS).getMany();
    for (const a of page) {
      allocations.push({
        id: a.id,
        prefix: a.prefix,
        parentId: a.parentId,
        level: a.level,
        holder: parties.get(a.holderCarrierId !== null ? `c${a.holderCarrierId}` : `a${a.holderAgentId}`)!,
        lessee: parties.get(a.lesseeAgentId !== null ? `a${a.lesseeAgentId}` : `e${a.lesseeEntityId}`)!,
        validFrom: a.validFrom,
        validTo: a.validTo,
        declared: Boolean(a.declared),
        miitFilingNo: a.miitFilingNo,
      });
    }
    if (page.length < PAGE_ROWS) break;
    afterId = page[page.length - 1].id;
  }
  return new AllocationIndex(allocations);
}

const cache = new WeakMap<DataSource, Promise<AllocationIndex>>();

/** The index for this database, built once and rebuilt after the data changes. */
export function allocationIndexFor(dataSource: DataSource): Promise<AllocationIndex> {
  let index = cache.get(dataSource);
  if (!index) {
    index = loadAllocationIndex(dataSource);
    index.catch(() => cache.delete(dataSource));
    cache.set(dataSource, index);
  }
  return index;
}

/** Call after anything that changes allocations, carriers, agents or entities. */
export function invalidateAllocationIndex(dataSource: DataSource): void {
  cache.delete(dataSource);
}

/** The number or the time a user gave could not be understood. */
export class LookupInputError extends Error {
  constructor(readonly field: 'number' | 'at', readonly code: string, readonly value: string) {
    super(`${field}: ${code} (${value})`);
  }
}

export interface LookupResult {
  /** The number as normalised. */
  number: string;
  at: Date;
  chain: Chain | null;
}

/**
 * Who held `rawNumber` at `rawAt` (a timestamp as FORMATS.md accepts; default now). A chain that
 * starts at a carrier outside `scope` is not shown: to that user the number is simply not covered.
 */
export async function lookupNumber(dataSource: DataSource, rawNumber: string, rawAt?: string | null, scope: Scope = EVERYTHING): Promise<LookupResult> {
  const number = parse106(rawNumber, 'number');
  if (!number.ok) throw new LookupInputError('number', number.code, rawNumber);
  let at = new Date();
  if (rawAt && rawAt.trim() !== '') {
    const parsed = parseTimestamp(rawAt);
    if (!parsed.ok) throw new LookupInputError('at', parsed.code, rawAt);
    at = parsed.value;
  }
  const index = await allocationIndexFor(dataSource);
  const chain = chainAt(index, number.value, at);
  const visible = chain !== null && (scope.carrierId === null || chain.links[0].holder.id === scope.carrierId);
  return { number: number.value, at, chain: visible ? chain : null };
}

/** FORMATS.md `lookup --json`. */
export function lookupJson(result: LookupResult, formatAt: (at: Date) => string): object {
  return {
    number: result.number,
    at: formatAt(result.at),
    chain: (result.chain?.links ?? []).map((link) => ({
      prefix: link.prefix,
      holder: link.holder.key,
      lessee: link.lessee.key,
      lessee_kind: link.lessee.kind,
      level: link.level,
    })),
    entity: result.chain?.entity ? { uscc: result.chain.entity.key, name: result.chain.entity.name } : null,
  };
}
