import type { DataSource } from 'typeorm';
import type { Party } from '../../chain/allocationIndex.ts';
import { Carrier } from '../../entities/index.ts';
import { dayNumber } from '../../numbering/time.ts';
import { allocationIndexFor } from '../lookup/lookup.ts';
import { seesEveryCarrier, type Scope } from '../accounts/scope.ts';
import { lesseeKey, treeIndexOf, validOn, type DatedAllocation } from './tree.ts';
import { UserError } from '../../errors.ts';

/** The cross-carrier view reads every carrier's tree: a carrier's staff may not have it. */
export class CrossCarrierForbidden extends UserError {
  constructor() {
    super(403, 'auth.forbidden', {}, { message: '' });
  }
}

interface CarrierRef {
  id: number;
  code: string;
  name: string;
}

export interface PartyAcrossCarriers {
  party: Party;
  /** The carriers whose trees hold the party on the day, with how many allocations it holds in each. */
  carriers: Array<CarrierRef & { allocations: number }>;
}

export interface MultiSegmentAgent {
  agent: Party;
  /** The segments come from more than one carrier. */
  crossCarrier: boolean;
  segments: Array<{ prefix: string; carrier: CarrierRef; validFrom: string; validTo: string | null }>;
}

export interface CrossCarrierReport {
  date: string;
  parties: PartyAcrossCarriers[];
  multiSegmentAgents: MultiSegmentAgent[];
}

/**
 * On one day: the agents and entities that appear under several carriers (a lessee in more than
 * one carrier's tree), and the first-level agents holding more than one segment ("one agent, one
 * segment"), across carriers or within one.
 */
export async function crossCarrierReport(
  dataSource: DataSource,
  scope: Scope,
  date: string,
): Promise<CrossCarrierReport> {
  if (!seesEveryCarrier(scope)) throw new CrossCarrierForbidden();
  const carriers = new Map(
    (await dataSource.getRepository(Carrier).find()).map((c) => [c.id, { id: c.id, code: c.code, name: c.name }]),
  );
  const treeIndex = treeIndexOf(await allocationIndexFor(dataSource));
  const day = dayNumber(date);

  const byParty = new Map<string, { party: Party; counts: Map<number, number> }>();
  const rootsByAgent = new Map<string, { agent: Party; roots: DatedAllocation[] }>();
  for (const [carrierId, roots] of treeIndex.rootsByCarrier) {
    const stack = roots.filter((root) => validOn(root, day));
    for (const root of stack) {
      if (root.allocation.lessee.kind !== 'agent') continue;
      const key = lesseeKey(root.allocation.lessee);
      const entry = rootsByAgent.get(key) ?? { agent: root.allocation.lessee, roots: [] };
      entry.roots.push(root);
      rootsByAgent.set(key, entry);
    }
    while (stack.length > 0) {
      const dated = stack.pop()!;
      const { lessee } = dated.allocation;
      const key = lesseeKey(lessee);
      let entry = byParty.get(key);
      if (!entry) byParty.set(key, (entry = { party: lessee, counts: new Map() }));
      entry.counts.set(carrierId, (entry.counts.get(carrierId) ?? 0) + 1);
      for (const child of treeIndex.children.get(dated.allocation.id) ?? []) if (validOn(child, day)) stack.push(child);
    }
  }

  const carrierOf = (id: number): CarrierRef => carriers.get(id) ?? { id, code: String(id), name: String(id) };
  const parties = [...byParty.values()]
    .filter((entry) => entry.counts.size > 1)
    .map((entry) => ({
      party: entry.party,
      carriers: [...entry.counts]
        .map(([id, allocations]) => ({ ...carrierOf(id), allocations }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    }))
    .sort(
      (a, b) =>
        b.carriers.length - a.carriers.length ||
        a.party.kind.localeCompare(b.party.kind) ||
        a.party.name.localeCompare(b.party.name, 'zh-CN'),
    );
  const multiSegmentAgents = [...rootsByAgent.values()]
    .filter((entry) => entry.roots.length > 1)
    .map((entry) => ({
      agent: entry.agent,
      crossCarrier: new Set(entry.roots.map((root) => root.carrierId)).size > 1,
      segments: entry.roots
        .map((root) => ({
          prefix: root.allocation.prefix,
          carrier: carrierOf(root.carrierId),
          validFrom: root.allocation.validFrom,
          validTo: root.allocation.validTo,
        }))
        .sort((a, b) => a.carrier.code.localeCompare(b.carrier.code) || a.prefix.localeCompare(b.prefix)),
    }))
    .sort(
      (a, b) =>
        Number(b.crossCarrier) - Number(a.crossCarrier) ||
        b.segments.length - a.segments.length ||
        a.agent.name.localeCompare(b.agent.name, 'zh-CN'),
    );
  return { date, parties, multiSegmentAgents };
}
