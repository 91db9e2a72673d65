import { trafficSubject } from './evidence.ts';
import { impersonation } from './claims/index.ts';
import { detectorFor, registeredOf } from './impersonationRules.ts';
import { brandImpersonation } from './pretext/verdicts.ts';
import { readerFor } from './pretextRules.ts';
import type { EntityInfo, FindingDraft, MessageContext, Rule, RuleCode } from './types.ts';
import { phrase, type Phrase } from '../i18n/phrase.ts';

/**
 * UNFILED_SIGNATURE (docs/domain.md#unfiled_signature): a signature that the registered entity
 * never filed (signature filing). Compared after signatureKey (width, spaces, case); one finding
 * per number and signature, however many messages carried it.
 */
export const unfiledSignature: Rule = {
  code: 'UNFILED_SIGNATURE',
  start: (snapshot) => {
    const reported = new Set<string>();
    const detector = detectorFor(snapshot);

    /**
     * The claim an unfiled signature makes, when it reads as a government body or a protected
     * brand and GOV_IMPERSONATION or BRAND_IMPERSONATION finds the message is not its owner's:
     * the finding is then high and says which. The body's own unfiled 【济南医保】 stays medium.
     */
    function claimOf(signature: MessageContext['signatures'][number], context: MessageContext) {
      const { content } = context.message;
      const claim = detector
        .claims(content)
        .find((c) => c.kind === 'signature' && c.start === signature.start + 1 && (c.government || c.brand));
      if (claim === undefined) return null;
      const registered = registeredOf(context);
      const impersonated = claim.government
        ? impersonation(detector, content, registered) !== null
        : brandImpersonation(readerFor(snapshot), detector, content, registered)?.how === 'claim';
      if (!impersonated) return null;
      const rule: RuleCode = claim.government ? 'GOV_IMPERSONATION' : 'BRAND_IMPERSONATION';
      return {
        rule,
        government: claim.government,
        claimed: claim.protectedSender?.name ?? claim.text,
        match: claim.match,
      };
    }

    function textOf(sender: string, signature: string, entity: EntityInfo, link: ReturnType<typeof claimOf>): Phrase {
      const filed = entity.signatures.map((s) => `【${s}】`).join('');
      const params = { sender, signature, entity: entity.name, filed: filed || phrase('finding.none') };
      if (link === null) return phrase('finding.UNFILED_SIGNATURE', params);
      const code = link.government ? 'finding.UNFILED_SIGNATURE.government' : 'finding.UNFILED_SIGNATURE.brand';
      return phrase(code, { ...params, claimed: link.claimed, rule: phrase(`rule.${link.rule}`) });
    }

    return {
      message(context) {
        const { entity, message, signatures } = context;
        if (!entity || signatures.length === 0) return null;
        let findings: FindingDraft[] | null = null;
        for (const signature of signatures) {
          if (signature.filed?.owners.includes(entity.uscc)) continue;
          const once = `${message.sender}|${signature.normalised}`;
          if (reported.has(once)) continue;
          reported.add(once);
          const subject = trafficSubject(context);
          const link = claimOf(signature, context);
          (findings ??= []).push({
            rule: 'UNFILED_SIGNATURE',
            severity: link === null ? 'medium' : 'high',
            key: [message.sender, signature.normalised],
            ...subject,
            number: message.sender,
            message: { id: message.id, ref: message.ref },
            complaint: null,
            text: textOf(message.sender, signature.text, entity, link),
            evidence: {
              ...subject.evidence,
              text: message.content,
              span: { start: signature.start, end: signature.end },
              ...(link === null ? {} : { facts: { claimLinked: link.claimed, match: link.match } }),
            },
            occurredAt: message.sentAt,
          });
        }
        return findings;
      },
      explain({ entity, message, signatures }) {
        if (!entity)
          return {
            zh: '号码在发送时没有登记使用主体，无从比对报备签名',
            en: 'No using entity was registered for the number then: nothing to compare with',
          };
        if (signatures.length === 0) return { zh: '短信中没有【】签名', en: 'The message carries no 【】 signature' };
        const list = signatures.map((s) => `【${s.text}】`).join('');
        const repeated = signatures.some((s) => reported.has(`${message.sender}|${s.normalised}`));
        return repeated
          ? {
              zh: `签名 ${list} 已在此号码的其他短信上报告过`,
              en: `Signature ${list} was already reported on another message from this number`,
            }
          : {
              zh: `签名 ${list} 均已由登记使用主体${entity.name}报备`,
              en: `Signature ${list} is filed by the registered entity ${entity.name}`,
            };
      },
    };
  },
};
