import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { pushTo } from '../util/pushTo.ts';
import { ancestry, chainEvidence, rootCarrierOf } from './evidence.ts';
import { overlappingPairs } from './overlaps.ts';
import type { Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { allocationsOf } from './allocations.ts';
import { phrase } from '../i18n/phrase.ts';

/**
 * OVERLAPPING_ALLOCATION (docs/domain.md#overlapping_allocation): two allocations under one parent
 * overlap in prefix and time (data integrity). Siblings are the grants of one parent allocation, or
 * a carrier's root segments. A number passed from one using entity to the next (same prefix, one
 * period after the other) does not overlap.
 */
export const overlappingAllocation: Rule = {
  code: 'OVERLAPPING_ALLOCATION',
  start: (snapshot) => ({
    *structure() {
      const { all, byId } = allocationsOf(snapshot);
      // By parent id, and a carrier's roots by the carrier's id negated (ids are positive): a number
      // key, not a string made for each of a million allocations.
      const siblings = new Map<number, IndexedAllocation[]>();
      for (const a of all) pushTo(siblings, a.parentId ?? -a.holder.id, a);
      for (const group of siblings.values()) {
        if (group.length < 2) continue;
        for (const [outer, inner] of overlappingPairs(group)) {
          const links = ancestry(inner, byId);
          const holderAgent = inner.holder.kind === 'agent' ? inner.holder.key : null;
          yield {
            rule: 'OVERLAPPING_ALLOCATION',
            severity: 'high',
            key: [outer.prefix, outer.lessee.key, outer.validFrom, inner.prefix, inner.lessee.key, inner.validFrom],
            rootCarrierId: rootCarrierOf(links),
            agent: holderAgent,
            prefix: inner.prefix,
            number: null,
            message: null,
            complaint: null,
            entity: inner.lessee.kind === 'entity' ? inner.lessee.key : null,
            text: phrase('finding.OVERLAPPING_ALLOCATION', {
              holder: inner.holder.name,
              outerPrefix: outer.prefix,
              outerLessee: outer.lessee.name,
              outerFrom: outer.validFrom,
              innerPrefix: inner.prefix,
              innerLessee: inner.lessee.name,
              innerFrom: inner.validFrom,
            }),
            evidence: { chain: chainEvidence([...ancestry(outer, byId), inner]) },
            occurredAt: shanghaiDayStart(outer.validFrom > inner.validFrom ? outer.validFrom : inner.validFrom),
          };
        }
      }
    },
  }),
};
