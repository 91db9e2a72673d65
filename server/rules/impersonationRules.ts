import { ClaimDetector, impersonation, lookalikeSignature, type ImpersonationVerdict } from './claims/index.ts';
import { trafficSubject } from './evidence.ts';
import type { AuditSnapshot, Explanation, FindingDraft, MessageContext, Rule } from './types.ts';
import { phrase } from '../i18n/phrase.ts';

const detectors = new WeakMap<AuditSnapshot, ClaimDetector>();

/** One detector per snapshot (it compiles the protected names once), shared by the two rules below. */
export function detectorFor(snapshot: AuditSnapshot): ClaimDetector {
  let detector = detectors.get(snapshot);
  if (!detector) detectors.set(snapshot, (detector = new ClaimDetector(snapshot.protectedSenders)));
  return detector;
}

/** GOV_IMPERSONATION's reasons start "短信…" ("号码 … 发出的短信…"), LOOKALIKE_SIGNATURE's "签名…" ("号码 … 的短信签名…"). */
function finding(
  rule: 'GOV_IMPERSONATION' | 'LOOKALIKE_SIGNATURE',
  severity: FindingDraft['severity'],
  context: MessageContext,
  verdict: ImpersonationVerdict,
): FindingDraft {
  const { message } = context;
  const subject = trafficSubject(context);
  const { claim } = verdict;
  return {
    rule,
    severity,
    key: [String(message.ref ?? message.id)],
    ...subject,
    number: message.sender,
    message: { id: message.id, ref: message.ref },
    complaint: null,
    text: phrase(`finding.${rule}`, { sender: message.sender, reason: verdict.reason }),
    evidence: {
      ...subject.evidence,
      text: message.content,
      span: { start: claim.start, end: claim.end },
      facts: {
        claimed: claim.text,
        ...(claim.protectedSender ? { matchedSender: claim.protectedSender.name } : {}),
        match: claim.match,
      },
    },
    occurredAt: message.sentAt,
  };
}

/** Why a message's claims, if any, were not impersonation: for the message explorer. */
function explainClaims(detector: ClaimDetector, context: MessageContext): Explanation {
  const claims = detector.claims(context.message.content);
  if (claims.length === 0)
    return {
      zh: '短信没有以任何机构的身份自称（签名或“这里是……”“……提醒您”）',
      en: 'The message presents itself as no body (no signature or self-identification)',
    };
  const list = claims.map((c) => `“${c.text}”`).join('、');
  const government = claims.filter((c) => c.government);
  if (government.length === 0)
    return {
      zh: `自称 ${list}，不是政府机关，也不像受保护的发送方`,
      en: `It presents itself as ${list}: not a government body and not like a protected sender`,
    };
  const holder = context.entity ? `${context.entity.name}（${context.entity.uscc}）` : '—';
  return {
    zh: `自称 ${list}，与号码登记的使用主体 ${holder} 一致`,
    en: `It presents itself as ${list}, which is the number's registered using entity ${holder}`,
  };
}

/** The entity the message's number was registered to, as the claim and pretext verdicts take it. */
export const registeredOf = (context: MessageContext) =>
  context.entity ? { uscc: context.entity.uscc, name: context.entity.name } : null;

/**
 * GOV_IMPERSONATION (docs/domain.md#gov_impersonation): a message that presents itself as a
 * government body (signature or text) while the number's registered entity is not that body
 * (the field report's traffic-police case). Who the message claims to be and the disguises it
 * survives are claims/detector.ts's; the decision is claims/verdicts.ts `impersonation`.
 */
export const govImpersonation: Rule = {
  code: 'GOV_IMPERSONATION',
  start: (snapshot) => {
    const detector = detectorFor(snapshot);
    return {
      message(context) {
        const verdict = impersonation(detector, context.message.content, registeredOf(context), context.signatures);
        return verdict ? finding('GOV_IMPERSONATION', 'critical', context, verdict) : null;
      },
      explain: (context) => explainClaims(detector, context),
    };
  },
};

/**
 * LOOKALIKE_SIGNATURE (docs/domain.md#lookalike_signature): a signature confusable with a
 * protected one (full-width, traditional characters, spaces, homoglyphs, one edit) but not
 * registered to its owner.
 */
export const lookalikeSignatureRule: Rule = {
  code: 'LOOKALIKE_SIGNATURE',
  start: (snapshot) => {
    const detector = detectorFor(snapshot);
    return {
      message(context) {
        const verdict = lookalikeSignature(
          detector,
          context.message.content,
          registeredOf(context),
          context.signatures,
        );
        return verdict ? finding('LOOKALIKE_SIGNATURE', 'high', context, verdict) : null;
      },
      explain(context) {
        const signatures = detector.claims(context.message.content).filter((c) => c.kind === 'signature');
        if (signatures.length === 0) return { zh: '短信没有签名', en: 'The message has no signature' };
        const list = signatures.map((c) => `“${c.text}”`).join('、');
        return {
          zh: `签名 ${list} 与受保护发送方的名称既不相同也不相近，或本就登记给其所有者`,
          en: `Signature ${list} is neither confusable with a protected sender nor used by anyone but its owner`,
        };
      },
    };
  },
};
