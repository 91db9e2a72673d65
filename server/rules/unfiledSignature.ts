import { trafficSubject } from './evidence.ts';
import { impersonation } from './claims/index.ts';
import { detectorFor } from './impersonationRules.ts';
import { brandImpersonation } from './pretext/verdicts.ts';
import { readerFor } from './pretextRules.ts';
import type { FindingDraft, Rule } from './types.ts';

/**
 * UNFILED_SIGNATURE — DOMAIN.md: "a signature that the registered entity never filed" (signature
 * filing). Compared after signatureKey (width, spaces, case); one finding per number and signature,
 * however many messages carried it.
 */
export const unfiledSignature: Rule = {
  code: 'UNFILED_SIGNATURE',
  start: (snapshot) => {
    const reported = new Set<string>();
    const detector = detectorFor(snapshot);
    return {
      message(context) {
        const { entity, message, signatures } = context;
        if (!entity || signatures.length === 0) return null;
        const registered = { uscc: entity.uscc, name: entity.name };
        let findings: FindingDraft[] | null = null;
        for (const signature of signatures) {
          if (signature.filed?.owners.includes(entity.uscc)) continue;
          const once = `${message.sender}|${signature.normalised}`;
          if (reported.has(once)) continue;
          reported.add(once);
          const subject = trafficSubject(context);
          // An unfiled signature that reads as a government body or a protected brand, where
          // GOV_IMPERSONATION or BRAND_IMPERSONATION finds the message is not its owner's, is that
          // claim: high, and it says which. The body's own unfiled 【济南医保】 stays medium.
          let claim = detector.claims(message.content).find((c) => c.kind === 'signature' && c.start === signature.start + 1 && (c.government || c.brand)) ?? null;
          const impersonated = claim !== null && (claim.government
            ? impersonation(detector, message.content, registered) !== null
            : brandImpersonation(readerFor(snapshot), detector, message.content, registered)?.how === 'claim');
          if (!impersonated) claim = null;
          const claimed = claim === null ? null : claim.protectedSender?.name ?? claim.text;
          const claimRule = claim?.government ? 'GOV_IMPERSONATION' : 'BRAND_IMPERSONATION';
          (findings ??= []).push({
            rule: 'UNFILED_SIGNATURE', severity: claim === null ? 'medium' : 'high', key: [message.sender, signature.normalised], ...subject,
            number: message.sender, message: { id: message.id, ref: message.ref }, complaint: null,
            detail: `号码 ${message.sender} 以签名【${signature.text}】发送短信，但登记使用主体${entity.name}未报备该签名（已报备：${entity.signatures.map((s) => `【${s}】`).join('') || '无'}）`
              + (claimed === null ? '' : `；该签名以${claim!.government ? '政府机关或公共服务' : '受保护企业'}“${claimed}”的身份出现（见同一短信的 ${claimRule}）`),
            detailEn: `${message.sender} sent as 【${signature.text}】, a signature its registered entity ${entity.name} never filed`
              + (claimed === null ? '' : `; the signature presents as ${claim!.government ? 'the government body or public service' : 'the protected business'} "${claimed}" (see the message's ${claimRule})`),
            evidence: {
              ...subject.evidence, text: message.content, span: { start: signature.start, end: signature.end },
              ...(claimed === null ? {} : { facts: { claimLinked: claimed, match: claim!.match } }),
            },
            occurredAt: message.sentAt,
          });
        }
        return findings;
      },
      explain({ entity, message, signatures }) {
        if (!entity) return { zh: '号码在发送时没有登记使用主体，无从比对报备签名', en: 'No using entity was registered for the number then: nothing to compare with' };
        if (signatures.length === 0) return { zh: '短信中没有【】签名', en: 'The message carries no 【】 signature' };
        const list = signatures.map((s) => `【${s.text}】`).join('');
        const repeated = signatures.some((s) => reported.has(`${message.sender}|${s.normalised}`));
        return repeated
          ? { zh: `签名 ${list} 已在此号码的其他短信上报告过`, en: `Signature ${list} was already reported on another message from this number` }
          : { zh: `签名 ${list} 均已由登记使用主体${entity.name}报备`, en: `Signature ${list} is filed by the registered entity ${entity.name}` };
      },
    };
  },
};
