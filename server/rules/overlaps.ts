import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { dayNumber } from '../numbering/time.ts';

interface Span {
  allocation: IndexedAllocation;
  from: number;
  to: number;
}

/**
 * Every pair of allocations in `group` whose prefixes overlap (one is a prefix of the other, or
 * they are equal) and whose validity overlaps in time. Sorted by prefix, the allocations a prefix
 * covers follow it directly, so a stack of the prefixes still "open" finds every such pair
 * without comparing all pairs: O(n log n + pairs), for a parent with 100,000 children too.
 */
export function* overlappingPairs(
  group: readonly IndexedAllocation[],
): Generator<[IndexedAllocation, IndexedAllocation]> {
  const spans: Span[] = group.map((allocation) => ({
    allocation,
    from: dayNumber(allocation.validFrom),
    to: allocation.validTo === null ? Number.POSITIVE_INFINITY : dayNumber(allocation.validTo),
  }));
  spans.sort((a, b) =>
    a.allocation.prefix < b.allocation.prefix ? -1 : a.allocation.prefix > b.allocation.prefix ? 1 : a.from - b.from,
  );
  const open: Span[] = [];
  for (const span of spans) {
    while (open.length > 0 && !span.allocation.prefix.startsWith(open[open.length - 1].allocation.prefix)) open.pop();
    for (const other of open) {
      if (other.from <= span.to && span.from <= other.to) yield [other.allocation, span.allocation];
    }
    open.push(span);
  }
}
