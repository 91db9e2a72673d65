import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { dayNumber, shanghaiDayStart } from '../numbering/time.ts';
import { pushTo } from '../util/pushTo.ts';
import { chainEvidence } from './evidence.ts';
import type { Rule } from './types.ts';
import { allocationsOf } from './allocations.ts';
import { listOf, phrase } from '../i18n/phrase.ts';

const end = (a: IndexedAllocation) => (a.validTo === null ? Number.POSITIVE_INFINITY : dayNumber(a.validTo));

/**
 * AGENT_MULTIPLE_SEGMENTS (docs/domain.md#agent_multiple_segments): a first-level agent holding
 * more than one segment at once ("one agent, one segment"). Segments held one after the other
 * are fine; the finding names every segment that overlaps another in time, across carriers too.
 */
export const agentMultipleSegments: Rule = {
  code: 'AGENT_MULTIPLE_SEGMENTS',
  start: (snapshot) => ({
    *structure() {
      const rootsByAgent = new Map<string, IndexedAllocation[]>();
      for (const a of allocationsOf(snapshot).all)
        if (a.parentId === null && a.lessee.kind === 'agent') pushTo(rootsByAgent, a.lessee.key, a);
      for (const [uscc, roots] of rootsByAgent) {
        if (roots.length < 2) continue;
        const concurrent = roots.filter((a) =>
          roots.some((b) => b !== a && dayNumber(a.validFrom) <= end(b) && dayNumber(b.validFrom) <= end(a)),
        );
        if (concurrent.length < 2) continue;
        concurrent.sort((a, b) => a.prefix.localeCompare(b.prefix));
        const carriers = new Set(concurrent.map((a) => a.holder.id));
        const segments = concurrent.map((a) =>
          phrase('finding.AGENT_MULTIPLE_SEGMENTS.segment', { prefix: a.prefix, carrier: a.holder.name }),
        );
        yield {
          rule: 'AGENT_MULTIPLE_SEGMENTS',
          severity: carriers.size > 1 ? 'high' : 'medium',
          key: [uscc],
          rootCarrierId: concurrent[0].holder.id,
          agent: uscc,
          prefix: concurrent[0].prefix,
          number: null,
          message: null,
          complaint: null,
          entity: null,
          text: phrase('finding.AGENT_MULTIPLE_SEGMENTS', {
            agent: concurrent[0].lessee.name,
            count: concurrent.length,
            segments: listOf(segments),
          }),
          evidence: {
            chain: chainEvidence(concurrent),
            facts: { segments: concurrent.length, carriers: carriers.size },
          },
          occurredAt: shanghaiDayStart(concurrent.map((a) => a.validFrom).sort()[concurrent.length - 1]),
        };
      }
    },
  }),
};
