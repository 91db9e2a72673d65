import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { trafficSubject } from './evidence.ts';
import type { FindingDraft, Rule } from './types.ts';
import { phrase } from '../i18n/phrase.ts';

interface Outsider {
  /** The entity that filed the signature, or the signature itself when nobody filed it. */
  party: string;
  signature: string;
  messageId: number;
  messageRef: string | null;
  sentAt: Date;
}

/** What one thread saw under one allocation. */
interface GatheredAllocation {
  allocation: IndexedAllocation;
  subject: ReturnType<typeof trafficSubject>;
  parties: Outsider[];
}

/**
 * HIDDEN_RELEASE (docs/domain.md#hidden_release): traffic under one allocation carries many
 * unrelated entities' signatures, an undeclared re-lease inferred from data. Under each allocation
 * a message resolves to, the signatures that are not the registered entity's own are grouped by who
 * filed them (unfiled ones count as a party each); `hiddenReleaseSignatures` or more outside
 * parties make a finding. A 10690 platform serving many clients does so through extension codes,
 * each its own allocation, so this does not fire on legitimate platforms.
 */
export const hiddenRelease: Rule = {
  code: 'HIDDEN_RELEASE',
  start: (snapshot) => {
    const threshold = snapshot.thresholds.hiddenReleaseSignatures;
    const outsiders = new Map<number, Map<string, Outsider>>();
    const contexts = new Map<number, { allocation: IndexedAllocation; subject: ReturnType<typeof trafficSubject> }>();
    return {
      message(context) {
        const { leaf, message, entity, signatures } = context;
        if (!leaf) return null;
        for (const signature of signatures) {
          const filedBy = signature.filed?.owners;
          if (entity && filedBy?.includes(entity.uscc)) continue;
          const party = filedBy?.[0] ?? `?${signature.normalised}`;
          let parties = outsiders.get(leaf.id);
          if (!parties) {
            outsiders.set(leaf.id, (parties = new Map()));
            contexts.set(leaf.id, { allocation: leaf, subject: trafficSubject(context) });
          }
          if (!parties.has(party))
            parties.set(party, {
              party,
              signature: signature.text,
              messageId: message.id,
              messageRef: message.ref,
              sentAt: message.sentAt,
            });
        }
        return null;
      },
      gathered: () =>
        [...outsiders].map(([id, parties]): GatheredAllocation => ({
          ...contexts.get(id)!,
          parties: [...parties.values()],
        })),
      gather(part) {
        for (const { allocation, subject, parties } of part as GatheredAllocation[]) {
          let known = outsiders.get(allocation.id);
          if (!known) {
            outsiders.set(allocation.id, (known = new Map()));
            contexts.set(allocation.id, { allocation, subject });
          }
          // Each party as the first message (in id order, as the traffic is read) that showed it.
          for (const party of parties) {
            const seen = known.get(party.party);
            if (!seen || party.messageId < seen.messageId) known.set(party.party, party);
          }
        }
      },
      *finish() {
        for (const [id, parties] of outsiders) {
          if (parties.size < threshold) continue;
          const { allocation, subject } = contexts.get(id)!;
          const first = [...parties.values()].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())[0];
          const names = [...parties.values()].map((p) => `【${p.signature}】`).join('');
          const finding: FindingDraft = {
            rule: 'HIDDEN_RELEASE',
            severity: 'high',
            key: [allocation.prefix, allocation.lessee.key, allocation.validFrom],
            ...subject,
            number: null,
            message: { id: first.messageId, ref: first.messageRef },
            complaint: null,
            text: phrase('finding.HIDDEN_RELEASE', {
              holder: allocation.lessee.name,
              prefix: allocation.prefix,
              count: parties.size,
              signatures: names,
              threshold,
            }),
            evidence: { ...subject.evidence, facts: { outsideSignatures: parties.size, threshold, signatures: names } },
            occurredAt: first.sentAt,
          };
          yield finding;
        }
      },
    };
  },
};
