import type { Severity } from '../entities/Finding.ts';
import { ancestry, chainEvidence, rootCarrierOf } from './evidence.ts';
import type { FindingDraft, Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { allocationsOf } from './allocations.ts';
import { phrase } from '../i18n/phrase.ts';

/**
 * MULTI_LEVEL_RELEASE (docs/domain.md#multi_level_release): an allocation whose chain has an
 * agent→agent re-lease; severity grows with depth (one agent, one segment, no re-leasing). Every
 * allocation held by an agent that got it from another agent: level 2 is high, 3 and deeper
 * critical, and a re-lease not declared to the carrier (`declared=false`) one step worse.
 */
export const multiLevelRelease: Rule = {
  code: 'MULTI_LEVEL_RELEASE',
  start: (snapshot) => ({
    *structure() {
      const { byId } = allocationsOf(snapshot);
      for (const allocation of byId.values()) {
        if (allocation.lessee.kind !== 'agent' || allocation.holder.kind !== 'agent') continue;
        const base: Severity = allocation.level >= 3 ? 'critical' : 'high';
        const severity: Severity = allocation.declared ? base : 'critical';
        const links = ancestry(allocation, byId);
        const finding: FindingDraft = {
          rule: 'MULTI_LEVEL_RELEASE',
          severity,
          key: [allocation.prefix, allocation.lessee.key, allocation.validFrom],
          rootCarrierId: rootCarrierOf(links),
          agent: allocation.holder.key,
          prefix: allocation.prefix,
          number: null,
          message: null,
          complaint: null,
          entity: null,
          text: phrase(`finding.MULTI_LEVEL_RELEASE.${allocation.declared ? 'declared' : 'undeclared'}`, {
            holder: allocation.holder.name,
            prefix: allocation.prefix,
            lessee: allocation.lessee.name,
            level: allocation.level,
          }),
          evidence: {
            chain: chainEvidence(links),
            facts: { level: allocation.level, declared: allocation.declared ? 'true' : 'false' },
          },
          occurredAt: shanghaiDayStart(allocation.validFrom),
        };
        yield finding;
      }
    },
  }),
};
