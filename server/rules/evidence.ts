import type { Chain, IndexedAllocation } from '../chain/allocationIndex.ts';
import type { FindingEvidence } from '../entities/Finding.ts';
import type { FindingDraft, TrafficContext } from './types.ts';

/** A chain as findings keep it: what the notice's attachment and the finding page draw. */
export function chainEvidence(links: readonly IndexedAllocation[]): NonNullable<FindingEvidence['chain']> {
  return links.map((a) => ({
    prefix: a.prefix,
    holder: a.holder.key,
    holderName: a.holder.name,
    lessee: a.lessee.key,
    lesseeName: a.lessee.name,
    lesseeKind: a.lessee.kind === 'entity' ? 'entity' : 'agent',
    level: a.level,
    validFrom: a.validFrom,
    validTo: a.validTo,
    declared: a.declared,
  }));
}

/** The allocations from the root down to `allocation`, through the index's parent links. */
export function ancestry(
  allocation: IndexedAllocation,
  byId: ReadonlyMap<number, IndexedAllocation>,
): IndexedAllocation[] {
  const links = [allocation];
  let current = allocation;
  for (let hops = 0; current.parentId !== null && hops < 64; hops++) {
    const parent = byId.get(current.parentId);
    if (!parent) break;
    links.unshift(parent);
    current = parent;
  }
  return links;
}

/** The carrier at the top of a chain (the root's holder). */
export function rootCarrierOf(links: readonly IndexedAllocation[]): number | null {
  return links.length > 0 && links[0].holder.kind === 'carrier' ? links[0].holder.id : null;
}

/**
 * The agent answerable for a number: the one that granted it to its using entity, or the agent
 * holding it when no entity was registered. Null when a carrier granted straight to an entity.
 */
export function answerableAgent(chain: Chain | null): string | null {
  if (!chain) return null;
  const leaf = chain.links[chain.links.length - 1];
  // A leaf leased to an entity (chain.entity) is not leased to an agent: its party is not read.
  if (chain.entity === null && leaf.lessee.kind === 'agent') return leaf.lessee.key;
  return leaf.holder.kind === 'agent' ? leaf.holder.key : null;
}

/** The parts of a traffic finding every rule fills the same way. */
export function trafficSubject(
  context: TrafficContext,
): Pick<FindingDraft, 'rootCarrierId' | 'agent' | 'prefix' | 'entity'> & { evidence: Pick<FindingEvidence, 'chain'> } {
  return {
    rootCarrierId: context.rootCarrierId,
    agent: context.agent,
    prefix: context.leaf?.prefix ?? null,
    entity: context.entity?.uscc ?? null,
    evidence: context.chain ? { chain: chainEvidence(context.chain.links) } : {},
  };
}

/** `2022-03-14 09:30` in Beijing time, for finding texts. */
export function beijingMinute(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
