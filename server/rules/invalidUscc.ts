import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { isValidUscc, usccCheckCharacter } from '../numbering/uscc.ts';
import { ancestry, chainEvidence, rootCarrierOf } from './evidence.ts';
import type { Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { allocationsOf } from './allocations.ts';
import { phrase } from '../i18n/phrase.ts';

/**
 * INVALID_USCC (docs/domain.md#invalid_uscc): an agent or entity whose USCC fails the check
 * (vetting; GB 32100-2015 check character, docs/domain.md#uscc). Only parties that appear in some
 * allocation are reported, with the carrier of the first such allocation, so each carrier sees the
 * parties in its own tree.
 */
export const invalidUscc: Rule = {
  code: 'INVALID_USCC',
  start: (snapshot) => ({
    *structure() {
      const { all, byId } = allocationsOf(snapshot);
      const firstHolding = new Map<string, IndexedAllocation>();
      for (const a of all) {
        const current = firstHolding.get(a.lessee.key);
        if (!current || a.id < current.id) firstHolding.set(a.lessee.key, a);
      }
      for (const [uscc, allocation] of firstHolding) {
        if (isValidUscc(uscc)) continue;
        const isAgent = allocation.lessee.kind === 'agent';
        const expected = usccCheckCharacter(uscc.slice(0, 17));
        yield {
          rule: 'INVALID_USCC',
          severity: 'medium',
          key: [uscc],
          rootCarrierId: rootCarrierOf(ancestry(allocation, byId)),
          agent: isAgent ? uscc : allocation.holder.kind === 'agent' ? allocation.holder.key : null,
          prefix: allocation.prefix,
          number: null,
          message: null,
          complaint: null,
          entity: isAgent ? null : uscc,
          text: phrase(`finding.INVALID_USCC.${isAgent ? 'agent' : 'entity'}`, {
            name: allocation.lessee.name,
            uscc,
            expected,
          }),
          evidence: { chain: chainEvidence(ancestry(allocation, byId)), facts: { expectedCheckCharacter: expected } },
          occurredAt: shanghaiDayStart(allocation.validFrom),
        };
      }
    },
  }),
};
