import { chainEvidence } from './evidence.ts';
import type { Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { allocationsOf } from './allocations.ts';
import { phrase } from '../i18n/phrase.ts';

/** SEGMENT_UNFILED (docs/domain.md#segment_unfiled): a root segment with no MIIT filing number (the filing duty). */
export const segmentUnfiled: Rule = {
  code: 'SEGMENT_UNFILED',
  start: (snapshot) => ({
    *structure() {
      for (const root of allocationsOf(snapshot).all) {
        if (root.parentId !== null || root.miitFilingNo) continue;
        yield {
          rule: 'SEGMENT_UNFILED',
          severity: 'high',
          key: [root.prefix, root.lessee.key, root.validFrom],
          rootCarrierId: root.holder.kind === 'carrier' ? root.holder.id : null,
          agent: root.lessee.kind === 'agent' ? root.lessee.key : null,
          prefix: root.prefix,
          number: null,
          message: null,
          complaint: null,
          entity: root.lessee.kind === 'entity' ? root.lessee.key : null,
          text: phrase('finding.SEGMENT_UNFILED', {
            holder: root.holder.name,
            lessee: root.lessee.name,
            prefix: root.prefix,
            from: root.validFrom,
          }),
          evidence: { chain: chainEvidence([root]) },
          occurredAt: shanghaiDayStart(root.validFrom),
        };
      }
    },
  }),
};
