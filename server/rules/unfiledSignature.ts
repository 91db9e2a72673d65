import { trafficSubject } from './evidence.ts';
import { signatureKey, signaturesOf } from './signatures.ts';
import type { FindingDraft, Rule } from './types.ts';

/**
 * UNFILED_SIGNATURE — DOMAIN.md: "a signature that the registered entity never filed" (signature
 * filing). Compared after signatureKey (width, spaces, case); one finding per number and signature,
 * however many messages carried it.
 */
export const unfiledSignature: Rule = {
  code: 'UNFILED_SIGNATURE',
  start: () => {
    const filedCache = new Map<string, Set<string>>();
    const reported = new Set<string>();
    return {
      message(context) {
        const { entity, message } = context;
        if (!entity) return null;
        const signatures = signaturesOf(message.content);
        if (signatures.length === 0) return null;
        let filed = filedCache.get(entity.uscc);
        if (!filed) filedCache.set(entity.uscc, (filed = new Set(entity.signatures.map(signatureKey))));
        const findings: FindingDraft[] = [];
        for (const signature of signatures) {
          if (filed.has(signature.normalised)) continue;
          const once = `${message.sender}|${signature.normalised}`;
          if (reported.has(once)) continue;
          reported.add(once);
          const subject = trafficSubject(context);
          findings.push({
            rule: 'UNFILED_SIGNATURE', severity: 'medium', key: [message.sender, signature.normalised], ...subject,
            number: message.sender, message: { id: message.id, ref: message.ref }, complaint: null,
            detail: `号码 ${message.sender} 以签名【${signature.text}】发送短信，但登记使用主体${entity.name}未报备该签名（已报备：${entity.signatures.map((s) => `【${s}】`).join('') || '无'}）`,
            detailEn: `${message.sender} sent as 【${signature.text}】, a signature its registered entity ${entity.name} never filed`,
            evidence: { ...subject.evidence, text: message.content, span: { start: signature.start, end: signature.end } },
            occurredAt: message.sentAt,
          });
        }
        return findings;
      },
    };
  },
};
