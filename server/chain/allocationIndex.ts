import { dayNumber } from '../numbering/time.ts';

/** A carrier, agent or using entity as the index knows it. */
export interface Party {
  kind: 'carrier' | 'agent' | 'entity';
  id: number;
  /** Carrier code or USCC. */
  key: string;
  name: string;
}

export interface IndexedAllocation {
  id: number;
  prefix: string;
  parentId: number | null;
  level: number;
  holder: Party;
  lessee: Party;
  validFrom: string;
  validTo: string | null;
  declared: boolean;
  miitFilingNo: string | null;
}

export interface Entry {
  allocation: IndexedAllocation;
  fromDay: number;
  toDay: number;
}

/** The chain root→leaf that held a number at one moment. */
export interface Chain {
  number: string;
  at: Date;
  links: IndexedAllocation[];
  /** The leaf's lessee when it is a using entity: the number's registered using entity. */
  entity: Party | null;
}

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The calendar day (as a day number) of an instant in Asia/Shanghai, which has no DST. */
export function shanghaiDayNumber(at: Date): number {
  return Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
}

/**
 * Every allocation keyed by its exact prefix. A number has at most 20 digits, so looking it up
 * costs one hash probe per distinct prefix length present (typically a handful), whatever the
 * number of allocations: longest-prefix match without scanning.
 */
export class AllocationIndex {
  private readonly byPrefix = new Map<string, Entry[]>();
  /** Distinct prefix lengths, shortest first. */
  private readonly lengths: number[];
  readonly size: number;

  constructor(allocations: Iterable<IndexedAllocation>) {
    const lengths = new Set<number>();
    let size = 0;
    for (const allocation of allocations) {
      const entry = {
        allocation,
        fromDay: dayNumber(allocation.validFrom),
        toDay: allocation.validTo === null ? Number.POSITIVE_INFINITY : dayNumber(allocation.validTo),
      };
      const list = this.byPrefix.get(allocation.prefix);
      if (list) list.push(entry);
      else this.byPrefix.set(allocation.prefix, [entry]);
      lengths.add(allocation.prefix.length);
      size++;
    }
    // A re-lease of a whole prefix shares its parent's key: parents must be met first.
    for (const list of this.byPrefix.values()) list.sort((a, b) => a.allocation.level - b.allocation.level || a.allocation.id - b.allocation.id);
    this.lengths = [...lengths].sort((a, b) => a - b);
    this.size = size;
  }

  /** The allocations with exactly this prefix and their validity as day numbers, parents first. */
  entries(prefix: string): readonly Entry[] | undefined {
    return this.byPrefix.get(prefix);
  }

  /** Every allocation, in no particular order. */
  *all(): IterableIterator<IndexedAllocation> {
    for (const list of this.byPrefix.values()) for (const entry of list) yield entry.allocation;
  }

  /** The distinct prefix lengths, shortest first: what a lookup probes. */
  prefixLengths(): readonly number[] {
    return this.lengths;
  }
}

/**
 * DOMAIN.md: resolving a number = longest-prefix match over the allocations valid at that
 * moment. Walking the number's prefixes from short to long, a root (carrier grant) starts the
 * chain and an allocation joins it only under its own parent, so the answer is the deepest
 * allocation whose whole ancestry was valid at `at`, with that ancestry. `number` is normalised
 * (bare digits, see numbering/number106.ts). Returns null when nothing covered the number then.
 */
export function chainAt(index: AllocationIndex, number: string, at: Date): Chain | null {
  const day = shanghaiDayNumber(at);
  const links: IndexedAllocation[] = [];
  for (const length of index.prefixLengths()) {
    if (length > number.length) break;
    const entries = index.entries(number.slice(0, length));
    if (!entries) continue;
    for (const { allocation, fromDay, toDay } of entries) {
      if (day < fromDay || day > toDay) continue;
      if (allocation.parentId === null) {
        links.length = 0;
        links.push(allocation);
        continue;
      }
      const parentAt = links.findIndex((link) => link.id === allocation.parentId);
      if (parentAt >= 0) {
        links.length = parentAt + 1;
        links.push(allocation);
      }
    }
  }
  if (links.length === 0) return null;
  const leaf = links[links.length - 1];
  return { number, at, links, entity: leaf.lessee.kind === 'entity' ? leaf.lessee : null };
}
