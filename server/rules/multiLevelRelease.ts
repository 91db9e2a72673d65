import type { Severity } from '../entities/Finding.ts';
import { ancestry, chainEvidence, rootCarrierOf } from './evidence.ts';
import type { FindingDraft, Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { allocationsOf } from './allocations.ts';

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
        const undeclaredZh = allocation.declared ? '' : '，且未向运营商报备';
        const undeclaredEn = allocation.declared ? '' : ', not declared to the carrier';
        const finding: FindingDraft = {
          rule: 'MULTI_LEVEL_RELEASE', severity, key: [allocation.prefix, allocation.lessee.key, allocation.validFrom],
          rootCarrierId: rootCarrierOf(links), agent: allocation.holder.key, prefix: allocation.prefix, number: null,
          message: null, complaint: null, entity: null,
          detail: `${allocation.holder.name}将号段 ${allocation.prefix} 转租给${allocation.lessee.name}（第 ${allocation.level} 级代理）${undeclaredZh}`,
          detailEn: `${allocation.holder.name} re-leased ${allocation.prefix} to ${allocation.lessee.name} (level ${allocation.level} agent)${undeclaredEn}`,
          evidence: { chain: chainEvidence(links), facts: { level: allocation.level, declared: allocation.declared ? 'true' : 'false' } },
          occurredAt: shanghaiDayStart(allocation.validFrom),
        };
        yield finding;
      }
    },
  }),
};
