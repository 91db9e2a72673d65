import type { Allocation, LesseeKind } from '../../../entities/Allocation.ts';
import { HashedKeySet } from '../../../dataset/keySet.ts';
import { normaliseUscc } from '../../../numbering/uscc.ts';
import type { ImportJob } from './core.ts';
import type { RowReader } from './rowReader.ts';

/** The end of an allocation that has none (valid_to empty), for comparing dates. */
export const FAR_FUTURE = '9999-12-31';

/** The columns an allocation row already stored under the same key gets from the dataset's. */
export const ALLOCATION_UPDATE_COLUMNS = [
  'holder_carrier_id',
  'holder_agent_id',
  'lessee_kind',
  'lessee_agent_id',
  'lessee_entity_id',
  'valid_to',
  'miit_filing_no',
  'declared',
  'parent_id',
  'level',
  'root_carrier_id',
];

/** A validated allocations row, before it has a parent. */
export interface AllocationRow {
  line: number;
  key: string;
  prefix: string;
  holderCarrier: string | null;
  holderAgent: string | null;
  lesseeKind: LesseeKind;
  lesseeUscc: string;
  validFrom: string;
  validTo: string | null;
  miitFilingNo: string | null;
  declared: boolean;
}

/** An allocation through which an agent holds a prefix: a possible parent for that agent's grants. */
export interface Holding {
  key: string;
  prefix: string;
  validFrom: string;
  validTo: string;
  id: number | null;
  level: number | null;
  /** The carrier at the root of the holding's chain (null while only validated, not written). */
  rootCarrierId: number | null;
  row: AllocationRow | null;
  parentKey?: string | null;
}

/** Validates one allocations row against the parties the job knows; null when it has a problem (already reported). */
export function readAllocation(job: ImportJob, row: RowReader): AllocationRow | null {
  const prefix = row.number106('prefix', 'prefix');
  const holderRaw = row.raw('holder');
  let holderCarrier: string | null = null;
  let holderAgent: string | null = null;
  if (holderRaw === '') row.issue('holder', null, 'cell.required');
  else if (job.carriers.has(holderRaw)) {
    holderCarrier = holderRaw;
    if (job.carrier && holderRaw !== job.carrier.code)
      row.issue('holder', holderRaw, 'scope.other_carrier', { carrier: job.carrier.code });
  } else {
    const uscc = normaliseUscc(holderRaw);
    if (job.agents.has(uscc)) holderAgent = uscc;
    else if (job.entities.has(uscc)) row.issue('holder', holderRaw, 'allocation.holder_is_entity');
    else row.issue('holder', holderRaw, 'allocation.holder_unknown');
  }
  const lesseeUscc = row.uscc('lessee');
  let lesseeKind: LesseeKind | null = null;
  if (lesseeUscc !== null) {
    const isAgent = job.agents.has(lesseeUscc);
    const isEntity = job.entities.has(lesseeUscc);
    if (isAgent && isEntity) row.issue('lessee', lesseeUscc, 'allocation.lessee_ambiguous');
    else if (isAgent) lesseeKind = 'agent';
    else if (isEntity) lesseeKind = 'entity';
    else row.issue('lessee', lesseeUscc, 'allocation.lessee_unknown');
  }
  const validFrom = row.date('valid_from', true);
  const validTo = row.date('valid_to', false);
  if (validFrom !== null && validTo !== null && validTo < validFrom)
    row.issue('valid_to', validTo, 'allocation.ends_before_start', { from: validFrom });
  const miitFilingNo = row.optional('miit_filing_no', 64);
  const declaredRaw = row.raw('declared').toLowerCase();
  const declared = declaredRaw === '' || declaredRaw === 'true' ? true : declaredRaw === 'false' ? false : null;
  if (declared === null) row.issue('declared', row.raw('declared'), 'allocation.bad_declared');
  if (row.bad) return null;
  return {
    line: row.line,
    key: `${prefix}|${lesseeUscc}|${validFrom}`,
    prefix: prefix!,
    holderCarrier,
    holderAgent,
    lesseeKind: lesseeKind!,
    lesseeUscc: lesseeUscc!,
    validFrom: validFrom!,
    validTo,
    miitFilingNo,
    declared: declared!,
  };
}

/** What an allocations row stores, its parties by the ids the job has written or found for them. */
export function allocationValues(
  job: ImportJob,
  row: AllocationRow,
  parentId: number | null,
  level: number,
  rootCarrierId: number,
): Partial<Allocation> {
  return {
    prefix: row.prefix,
    holderCarrierId: row.holderCarrier ? job.carriers.get(row.holderCarrier)! : null,
    holderAgentId: row.holderAgent ? job.agents.get(row.holderAgent)! : null,
    lesseeKind: row.lesseeKind,
    lesseeUscc: row.lesseeUscc,
    lesseeAgentId: row.lesseeKind === 'agent' ? job.agents.get(row.lesseeUscc)! : null,
    lesseeEntityId: row.lesseeKind === 'entity' ? job.entities.get(row.lesseeUscc)! : null,
    validFrom: row.validFrom,
    validTo: row.validTo,
    miitFilingNo: row.miitFilingNo,
    declared: row.declared,
    parentId,
    level,
    rootCarrierId,
  };
}

/**
 * The allocation through which the row's holder held an enclosing prefix on its valid_from:
 * the most specific one (longest prefix), and among equals the latest granted.
 */
export function findParent(holdings: Map<string, Holding[]>, row: AllocationRow): Holding | null {
  let best: Holding | null = null;
  for (const h of holdings.get(row.holderAgent!) ?? []) {
    if (h.key === row.key || !row.prefix.startsWith(h.prefix)) continue;
    if (h.validFrom > row.validFrom || h.validTo < row.validFrom) continue;
    if (
      !best ||
      h.prefix.length > best.prefix.length ||
      (h.prefix.length === best.prefix.length && h.validFrom > best.validFrom)
    )
      best = h;
  }
  return best;
}

/**
 * Duplicate keys among the grants pass 2 reads. They are found through hashes (HashedKeySet: a
 * million keys in 16 MB rather than the keys themselves), so a hit is only a suspicion: the row
 * is held back with what it would write, and once the file has been read the lines it may repeat
 * are read again and the real keys compared (settle). Held-back rows are compared with each
 * other too, as the key set keeps only the first line of a hash.
 */
export class GrantRepeats<V> {
  private readonly seen = new HashedKeySet();
  private readonly held: Array<{ allocation: AllocationRow; first: number; value: V }> = [];

  /** Remembers the row's key; returns the line of an earlier row it may repeat, or null. */
  check(allocation: AllocationRow): number | null {
    return this.seen.add(allocation.key, allocation.line);
  }

  hold(allocation: AllocationRow, first: number, value: V): void {
    this.held.push({ allocation, first, value });
  }

  /** Reports each held-back row that repeats an earlier one; returns the others' values, in line order. */
  async settle(
    keysAt: (lines: Set<number>) => Promise<Map<number, string>>,
    reportRepeat: (allocation: AllocationRow, first: number) => void,
  ): Promise<V[]> {
    if (this.held.length === 0) return [];
    const keyAt = await keysAt(new Set(this.held.map((held) => held.first)));
    const heldLineOf = new Map<string, number>();
    const clear: V[] = [];
    for (const { allocation, first, value } of this.held) {
      const repeated = keyAt.get(first) === allocation.key ? first : heldLineOf.get(allocation.key);
      if (repeated !== undefined) {
        reportRepeat(allocation, repeated);
        continue;
      }
      heldLineOf.set(allocation.key, allocation.line);
      clear.push(value);
    }
    return clear;
  }
}
