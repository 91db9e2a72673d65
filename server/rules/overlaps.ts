import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { dayNumber } from '../numbering/time.ts';

/**
 * Every pair of allocations in `group` whose prefixes overlap (one is a prefix of the other, or
 * they are equal) and whose validity overlaps in time. Sorted by prefix, the allocations a prefix
 * covers follow it directly, so a stack of the prefixes still "open" finds every such pair
 * without comparing all pairs: O(n log n + pairs), for a parent with 100,000 children too.
 *
 * A group is read from the index in prefix order (AllocationIndex.all), so the sort has little to
 * move; a million dates name a few hundred days, each parsed once.
 */
export function* overlappingPairs(
  group: readonly IndexedAllocation[],
): Generator<[IndexedAllocation, IndexedAllocation]> {
  const days = new Map<string, number>();
  const day = (date: string) => {
    let n = days.get(date);
    if (n === undefined) days.set(date, (n = dayNumber(date)));
    return n;
  };
  const count = group.length;
  const from = new Float64Array(count);
  const to = new Float64Array(count);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const allocation = group[i];
    from[i] = day(allocation.validFrom);
    to[i] = allocation.validTo === null ? Number.POSITIVE_INFINITY : day(allocation.validTo);
    order[i] = i;
  }
  const before = (a: number, b: number) => {
    const pa = group[a].prefix;
    const pb = group[b].prefix;
    return pa < pb ? -1 : pa > pb ? 1 : from[a] - from[b] || a - b;
  };
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = before(i - 1, i) < 0;
  if (!sorted) order.sort(before);
  const open: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = order[k];
    const { prefix } = group[i];
    while (open.length > 0 && !prefix.startsWith(group[open[open.length - 1]].prefix)) open.pop();
    for (const j of open) {
      if (from[j] <= to[i] && from[i] <= to[j]) yield [group[j], group[i]];
    }
    open.push(i);
  }
}
