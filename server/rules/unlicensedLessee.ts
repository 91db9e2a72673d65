import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { pushTo } from '../util/pushTo.ts';
import { ancestry, chainEvidence, rootCarrierOf } from './evidence.ts';
import type { Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { allocationsOf } from './allocations.ts';
import { listOf, phrase } from '../i18n/phrase.ts';

/**
 * UNLICENSED_LESSEE (docs/domain.md#unlicensed_lessee): an agent in a chain without a value-added
 * telecom licence (licensing: 增值电信业务经营许可证). One finding per agent, naming the ranges it holds; a
 * first-level agent without a licence is worse than a sub-agent.
 */
export const unlicensedLessee: Rule = {
  code: 'UNLICENSED_LESSEE',
  start: (snapshot) => ({
    *structure() {
      const { all, byId } = allocationsOf(snapshot);
      const held = new Map<string, IndexedAllocation[]>();
      for (const a of all) {
        if (a.lessee.kind === 'agent' && !snapshot.agents.get(a.lessee.key)?.licenceNo) pushTo(held, a.lessee.key, a);
      }
      for (const [uscc, allocations] of held) {
        allocations.sort((a, b) => a.level - b.level || a.prefix.localeCompare(b.prefix));
        const top = allocations[0];
        const prefixes = allocations.map((a) => a.prefix);
        yield {
          rule: 'UNLICENSED_LESSEE',
          severity: top.level === 1 ? 'high' : 'medium',
          key: [uscc],
          rootCarrierId: rootCarrierOf(ancestry(top, byId)),
          agent: uscc,
          prefix: top.prefix,
          number: null,
          message: null,
          complaint: null,
          entity: null,
          // The first five segments named; more are counted.
          text:
            prefixes.length > 5
              ? phrase('finding.UNLICENSED_LESSEE.more', {
                  agent: top.lessee.name,
                  prefixes: listOf(prefixes.slice(0, 5)),
                  total: prefixes.length,
                  rest: prefixes.length - 5,
                })
              : phrase('finding.UNLICENSED_LESSEE', { agent: top.lessee.name, prefixes: listOf(prefixes) }),
          evidence: { chain: chainEvidence(ancestry(top, byId)), facts: { allocations: allocations.length } },
          occurredAt: shanghaiDayStart(top.validFrom),
        };
      }
    },
  }),
};
