import { AllocationIndex, type IndexedAllocation, type Party } from '../../server/chain/allocationIndex.ts';
import { AuditPass } from '../../server/rules/engine.ts';
import {
  DEFAULT_THRESHOLDS,
  type AgentInfo,
  type AuditedComplaint,
  type AuditedMessage,
  type AuditSnapshot,
  type EntityInfo,
  type FindingDraft,
  type ProtectedSenderInfo,
  type Rule,
} from '../../server/rules/types.ts';
import { uscc } from './fixtures.ts';

// Builds audit snapshots in memory, so each rule can be tested on exactly the tree it needs.

let nextId = 1;

export const CMCC: Party = { kind: 'carrier', id: 1, key: 'CMCC', name: '中国移动' };
export const CUCC: Party = { kind: 'carrier', id: 2, key: 'CUCC', name: '中国联通' };

export function agentParty(first17: string, name: string): Party {
  return { kind: 'agent', id: nextId++, key: uscc(first17), name };
}

export function entityParty(first17: string, name: string): Party {
  return { kind: 'entity', id: nextId++, key: uscc(first17), name };
}

/** An allocation; `parent` gives it its parent id and level. */
export function grant(
  prefix: string,
  holder: Party,
  lessee: Party,
  options: {
    parent?: IndexedAllocation;
    from?: string;
    to?: string | null;
    declared?: boolean;
    filing?: string | null;
  } = {},
): IndexedAllocation {
  return {
    id: nextId++,
    prefix,
    parentId: options.parent?.id ?? null,
    level: options.parent ? options.parent.level + 1 : 1,
    holder,
    lessee,
    validFrom: options.from ?? '2021-01-01',
    validTo: options.to ?? null,
    declared: options.declared ?? true,
    miitFilingNo: options.filing === undefined ? (options.parent ? null : '工信部备案-001') : options.filing,
  };
}

export function snapshotOf(
  allocations: IndexedAllocation[],
  options: {
    agents?: Array<Partial<AgentInfo> & { uscc: string }>;
    entities?: Array<Partial<EntityInfo> & { uscc: string }>;
    protectedSenders?: ProtectedSenderInfo[];
    allow?: string[];
    block?: string[];
  } = {},
): AuditSnapshot {
  const agents = new Map<string, AgentInfo>();
  const entities = new Map<string, EntityInfo>();
  for (const a of allocations) {
    for (const party of [a.holder, a.lessee]) {
      if (party.kind === 'agent' && !agents.has(party.key))
        agents.set(party.key, { id: party.id, uscc: party.key, name: party.name, licenceNo: 'B2-20190001' });
      if (party.kind === 'entity' && !entities.has(party.key))
        entities.set(party.key, { id: party.id, uscc: party.key, name: party.name, kind: null, signatures: [] });
    }
  }
  for (const a of options.agents ?? []) agents.set(a.uscc, { ...agents.get(a.uscc)!, ...a });
  for (const e of options.entities ?? [])
    entities.set(e.uscc, {
      ...(entities.get(e.uscc) ?? { id: nextId++, name: e.uscc, kind: null, signatures: [] }),
      ...e,
    } as EntityInfo);
  return {
    index: new AllocationIndex(allocations),
    agents,
    entities,
    protectedSenders: options.protectedSenders ?? [],
    urlLists: { allow: new Set(options.allow ?? []), block: new Set(options.block ?? []) },
    thresholds: DEFAULT_THRESHOLDS,
  };
}

let messageId = 1;

export function message(sender: string, sentAt: string, content: string, ref: string | null = null): AuditedMessage {
  return { id: messageId++, ref, sender, sentAt: new Date(sentAt), content };
}

export function complaint(sender: string, reportedAt: string, lossYuan: number | null = null): AuditedComplaint {
  return { id: messageId++, ref: `C${messageId}`, sender, reportedAt: new Date(reportedAt), lossYuan, summary: null };
}

/** Runs one rule (or several) over a snapshot and some traffic; returns every finding. */
export function audit(
  rules: Rule | Rule[],
  snapshot: AuditSnapshot,
  traffic: { messages?: AuditedMessage[]; complaints?: AuditedComplaint[] } = {},
): FindingDraft[] {
  const pass = new AuditPass(snapshot, Array.isArray(rules) ? rules : [rules]);
  return [
    ...pass.structure(),
    ...(traffic.messages ?? []).flatMap((m) => pass.message(m)),
    ...(traffic.complaints ?? []).flatMap((c) => pass.complaint(c)),
    ...pass.finish(),
  ];
}
