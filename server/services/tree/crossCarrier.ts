import type { DataSource } from 'typeorm';
import type { Party } from '../../chain/allocationIndex.ts';
import { Carrier, Finding } from '../../entities/index.ts';
import { SEVERITIES, type Severity } from '../../entities/Finding.ts';
import { dayNumber } from '../../numbering/time.ts';
import { allocationIndexFor } from '../lookup/lookup.ts';
import { scoped, seesEveryCarrier, type Scope } from '../accounts/scope.ts';
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

/** Open (or notified) findings naming a party, by severity. */
export type RiskCounts = Record<Severity, number>;

export interface PartyAcrossCarriers {
  party: Party;
  risk: RiskCounts;
  /** The carriers whose trees hold the party on the day, with how many allocations it holds in each. */
  carriers: Array<CarrierRef & { allocations: number }>;
}

export interface MultiSegmentAgent {
  agent: Party;
  risk: RiskCounts;
  /** The segments come from more than one carrier. */
  crossCarrier: boolean;
  segments: Array<{ prefix: string; carrier: CarrierRef; validFrom: string; validTo: string | null }>;
}

export interface CrossCarrierReport {
  date: string;
  /** Parties under several carriers, the riskiest first; those with no open finding last. */
  parties: PartyAcrossCarriers[];
  multiSegmentAgents: MultiSegmentAgent[];
}

const noRisk = (): RiskCounts => ({ low: 0, medium: 0, high: 0, critical: 0 });

/** Whether a party has any open finding: one without is listed apart, not among the risks. */
export const hasRisk = (risk: RiskCounts) => SEVERITIES.some((severity) => risk[severity] > 0);

/**
 * Riskier first: more critical findings, then more high ones, and so on down; 0 when level. A
 * party using several carriers with no finding at all is not a risk, however many carriers.
 */
export function byRisk(a: RiskCounts, b: RiskCounts): number {
  for (let i = SEVERITIES.length - 1; i >= 0; i--) {
    const difference = b[SEVERITIES[i]] - a[SEVERITIES[i]];
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Open and notified findings (as the tree colours by: dismissed and rectified ones no longer
 * count) by severity, for each agent answerable (`agent:<uscc>`) and each entity named (`entity:<uscc>`).
 */
async function riskByParty(dataSource: DataSource, scope: Scope): Promise<Map<string, RiskCounts>> {
  const query = dataSource
    .getRepository(Finding)
    .createQueryBuilder('f')
    .select('f.agent_uscc', 'agent')
    .addSelect('f.entity_uscc', 'entity')
    .addSelect('f.severity', 'severity')
    .addSelect('COUNT(*)', 'count')
    .where("f.status IN ('open', 'notified')")
    .groupBy('f.agent_uscc')
    .addGroupBy('f.entity_uscc')
    .addGroupBy('f.severity');
  const risk = new Map<string, RiskCounts>();
  const add = (key: string, severity: Severity, count: number) => {
    let counts = risk.get(key);
    if (!counts) risk.set(key, (counts = noRisk()));
    counts[severity] += count;
  };
  for (const row of await scoped.findings(query, scope).getRawMany<{
    agent: string | null;
    entity: string | null;
    severity: string;
    count: number | string;
  }>()) {
    if (!(SEVERITIES as readonly string[]).includes(row.severity)) continue;
    const severity = row.severity as Severity;
    if (row.agent) add(lesseeKey({ kind: 'agent', key: row.agent }), severity, Number(row.count));
    if (row.entity) add(lesseeKey({ kind: 'entity', key: row.entity }), severity, Number(row.count));
  }
  return risk;
}

/**
 * On one day: the agents and entities that appear under several carriers (a lessee in more than
 * one carrier's tree), and the first-level agents holding more than one segment ("one agent, one
 * segment"), across carriers or within one; each with its open findings by severity, the riskiest
 * first (issue 23), so that a firm that simply uses two carriers does not crowd out one that is
 * sending fraud through both.
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
  const risk = await riskByParty(dataSource, scope);
  const riskOf = (party: Party) => risk.get(lesseeKey(party)) ?? noRisk();

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
      risk: riskOf(entry.party),
      carriers: [...entry.counts]
        .map(([id, allocations]) => ({ ...carrierOf(id), allocations }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    }))
    .sort(
      (a, b) =>
        byRisk(a.risk, b.risk) ||
        b.carriers.length - a.carriers.length ||
        a.party.kind.localeCompare(b.party.kind) ||
        a.party.name.localeCompare(b.party.name, 'zh-CN'),
    );
  const multiSegmentAgents = [...rootsByAgent.values()]
    .filter((entry) => entry.roots.length > 1)
    .map((entry) => ({
      agent: entry.agent,
      risk: riskOf(entry.agent),
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
        byRisk(a.risk, b.risk) ||
        Number(b.crossCarrier) - Number(a.crossCarrier) ||
        b.segments.length - a.segments.length ||
        a.agent.name.localeCompare(b.agent.name, 'zh-CN'),
    );
  return { date, parties, multiSegmentAgents };
}
