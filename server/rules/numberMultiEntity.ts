import type { IndexedAllocation } from '../chain/allocationIndex.ts';
import { ancestry, chainEvidence, rootCarrierOf, trafficSubject } from './evidence.ts';
import { overlappingPairs } from './overlaps.ts';
import { signatureOwners, signaturesOf } from './signatures.ts';
import type { FindingDraft, Rule } from './types.ts';
import { shanghaiDayStart } from '../numbering/time.ts';

/**
 * NUMBER_MULTI_ENTITY — DOMAIN.md: "one number maps to two using entities at the same moment, or
 * traffic from one number carries signatures of two unrelated entities" ("one number, one
 * entity"). In the tree: two grants to different entities, in different parents' trees (siblings
 * are OVERLAPPING_ALLOCATION's), whose prefixes and periods overlap. In the traffic: the
 * signatures one number sent under belong (by filing) to two or more entities with different USCCs,
 * within one allocation of the number: a number passed from one entity to the next is not this.
 */
export const numberMultiEntity: Rule = {
  code: 'NUMBER_MULTI_ENTITY',
  start: (snapshot) => {
    const owners = signatureOwners(snapshot);
    /** sender|allocation → owner USCC → first message that showed it. */
    const seen = new Map<string, Map<string, { id: number; ref: string | null; signature: string; sentAt: Date }>>();
    const lastContext = new Map<string, FindingDraft['evidence']>();
    const subjects = new Map<string, ReturnType<typeof trafficSubject>>();
    return {
      *structure() {
        const byId = new Map<number, IndexedAllocation>();
        const grants: IndexedAllocation[] = [];
        for (const a of snapshot.index.all()) {
          byId.set(a.id, a);
          if (a.lessee.kind === 'entity') grants.push(a);
        }
        for (const [a, b] of overlappingPairs(grants)) {
          if (a.parentId === b.parentId || a.lessee.key === b.lessee.key) continue;
          const links = ancestry(b, byId);
          yield {
            rule: 'NUMBER_MULTI_ENTITY', severity: 'high', key: ['tree', a.prefix, a.lessee.key, a.validFrom, b.prefix, b.lessee.key, b.validFrom],
            rootCarrierId: rootCarrierOf(links), agent: b.holder.kind === 'agent' ? b.holder.key : null, prefix: b.prefix, number: null,
            message: null, complaint: null, entity: b.lessee.key,
            detail: `号码 ${b.prefix}… 同一时间登记给两个使用主体：${a.lessee.name}（经 ${a.holder.name}）与 ${b.lessee.name}（经 ${b.holder.name}）`,
            detailEn: `Numbers under ${b.prefix} are registered to two using entities at once: ${a.lessee.name} (via ${a.holder.name}) and ${b.lessee.name} (via ${b.holder.name})`,
            evidence: { chain: [...chainEvidence(ancestry(a, byId)), ...chainEvidence(links)] },
            occurredAt: shanghaiDayStart(a.validFrom > b.validFrom ? a.validFrom : b.validFrom),
          };
        }
      },
      message(context) {
        const { message } = context;
        const group = `${message.sender}|${context.leaf?.id ?? ''}`;
        for (const signature of signaturesOf(message.content)) {
          for (const owner of owners.get(signature.normalised) ?? []) {
            let byOwner = seen.get(group);
            if (!byOwner) seen.set(group, (byOwner = new Map()));
            if (!byOwner.has(owner)) {
              byOwner.set(owner, { id: message.id, ref: message.ref, signature: signature.text, sentAt: message.sentAt });
              subjects.set(group, trafficSubject(context));
              lastContext.set(group, { text: message.content, span: { start: signature.start, end: signature.end } });
            }
          }
        }
        return null;
      },
      *finish() {
        for (const [group, byOwner] of seen) {
          if (byOwner.size < 2) continue;
          const sender = group.slice(0, group.indexOf('|'));
          const subject = subjects.get(group)!;
          const list = [...byOwner].map(([uscc, m]) => `【${m.signature}】（${snapshot.entities.get(uscc)?.name ?? uscc}）`);
          const first = [...byOwner.values()].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())[0];
          yield {
            rule: 'NUMBER_MULTI_ENTITY', severity: 'high', key: ['traffic', sender, subject.prefix ?? ''],
            ...subject, number: sender, message: { id: first.id, ref: first.ref }, complaint: null,
            detail: `号码 ${sender} 的短信带有 ${byOwner.size} 个不同使用主体报备的签名：${list.join('、')}`,
            detailEn: `Messages from ${sender} carry the filed signatures of ${byOwner.size} different using entities`,
            evidence: { ...subject.evidence, ...lastContext.get(group), facts: { owners: byOwner.size } },
            occurredAt: first.sentAt,
          };
        }
      },
    };
  },
};
