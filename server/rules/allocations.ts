import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import type { AuditSnapshot } from './types.ts';

/** Every allocation of a snapshot as objects, and by id: what the structural rules walk. */
export interface AllocationList {
  all: readonly IndexedAllocation[];
  /** By id (the last of an id given twice). */
  byId: ReadonlyMap<number, IndexedAllocation>;
}

const lists = new WeakMap<AuditSnapshot, AllocationList>();

/**
 * The snapshot's allocations, made once for all the structural rules of a pass: the index keeps
 * columns, and making a million objects (and a map of them by id) for each rule in turn took
 * longer than the rules themselves.
 */
export function allocationsOf(snapshot: AuditSnapshot): AllocationList {
  let list = lists.get(snapshot);
  if (!list) {
    const all = [...snapshot.index.all()];
    const byId = new Map<number, IndexedAllocation>();
    for (const allocation of all) byId.set(allocation.id, allocation);
    lists.set(snapshot, (list = { all, byId }));
  }
  return list;
}
