import type { FindingEvidence } from '../entities/Finding.ts';
import { trafficSubject } from './evidence.ts';
import { detectorFor, registeredOf } from './impersonationRules.ts';
import type { Cue } from './pretext/cues.ts';
import { PretextReader, type Sector } from './pretext/reader.ts';
import { brandImpersonation, officialPretext, type BrandVerdict } from './pretext/verdicts.ts';
import type { AuditSnapshot, FindingDraft, MessageContext, Rule, RuleCode } from './types.ts';
import { listOf, phrase, type Phrase } from '../i18n/phrase.ts';

const readers = new WeakMap<AuditSnapshot, PretextReader>();

/**
 * One reader per snapshot (it compiles the protected brands' names once), shared by the rules
 * below; it reads the folding of the snapshot's claim detector, which the claim rules made first.
 */
export function readerFor(snapshot: AuditSnapshot): PretextReader {
  let reader = readers.get(snapshot);
  if (!reader) readers.set(snapshot, (reader = new PretextReader(snapshot.protectedSenders, detectorFor(snapshot))));
  return reader;
}

/** 事由“医保”、施压“停用”… */
const cueList = (cues: readonly Cue[]) =>
  listOf(cues.map((cue) => phrase('finding.cue', { kind: phrase(`finding.cue.${cue.kind}`), text: cue.text })));

function holder(context: MessageContext): Phrase {
  return context.entity
    ? phrase('finding.holder.registered', { name: context.entity.name, uscc: context.entity.uscc })
    : phrase('finding.holder.unregistered');
}

function draft(
  rule: RuleCode,
  context: MessageContext,
  cues: readonly Cue[],
  facts: Record<string, string>,
  text: Phrase,
): FindingDraft {
  const { message } = context;
  const subject = trafficSubject(context);
  const evidence: FindingEvidence = {
    ...subject.evidence,
    text: message.content,
    span: { start: cues[0].start, end: cues[0].end },
    cues: [...cues],
    facts,
  };
  return {
    rule,
    severity: 'high',
    key: [String(message.ref ?? message.id)],
    ...subject,
    number: message.sender,
    message: { id: message.id, ref: message.ref },
    complaint: null,
    text,
    evidence,
    occurredAt: message.sentAt,
  };
}

/** The cues as facts: 事由 → “医保”, one line per kind. */
function cueFacts(cues: readonly Cue[]): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const cue of cues) facts[`cue_${cue.kind}`] = cue.text;
  return facts;
}

/**
 * OFFICIAL_PRETEXT — a message that presents an official or public-service matter (social or
 * medical insurance, housing fund, a traffic violation, a police or court case, a tax refund, a
 * business licence, a subsidy, epidemic tracing…) with pressure and a channel, from a number not
 * registered to a government organ or public institution. The decision is pretext/verdicts.ts's.
 */
export const officialPretextRule: Rule = {
  code: 'OFFICIAL_PRETEXT',
  start: (snapshot) => {
    const detector = detectorFor(snapshot);
    const reader = readerFor(snapshot);
    return {
      message(context) {
        const verdict = officialPretext(reader, detector, context.message.content, registeredOf(context));
        if (verdict === null) return null;
        const { sender } = context.message;
        return draft(
          'OFFICIAL_PRETEXT',
          context,
          verdict.cues,
          cueFacts(verdict.cues),
          phrase('finding.OFFICIAL_PRETEXT', { sender, cues: cueList(verdict.cues), holder: holder(context) }),
        );
      },
      explain(context) {
        if (context.entity && officialPretext(reader, detector, context.message.content, null) !== null) {
          return {
            zh: `短信以官方事务为由施压，但号码登记的使用主体${context.entity.name}是机关或事业单位，或已按冒用政府机关处理`,
            en: `It presents an official matter with pressure, but the number's registered entity ${context.entity.name} is a government organ or public institution, or GOV_IMPERSONATION reports it`,
          };
        }
        return {
          zh: '短信没有同时出现官方事由、施压用语和引导渠道，或是在提醒防范诈骗',
          en: 'The message does not combine an official matter, pressure and a way to act, or it warns against fraud',
        };
      },
    };
  },
};

/** The protected sender the message claims, or the kind of business whose matter it presents (finding.sector.*). */
function brandName(verdict: BrandVerdict): string | Phrase {
  if (verdict.sender !== null) return verdict.sender.name;
  const sector: Sector = verdict.how === 'pretext' && verdict.sector !== null ? verdict.sector : 'bank';
  return phrase(`finding.sector.${sector}`);
}

/**
 * BRAND_IMPERSONATION — a message that claims a protected sender that is not a government body
 * (a bank, a carrier, an ETC issuer, a courier: the protected-sender list holds enterprises too),
 * or presents such a business's matter with pressure and a channel, from a number registered to
 * someone else.
 */
export const brandImpersonationRule: Rule = {
  code: 'BRAND_IMPERSONATION',
  start: (snapshot) => {
    const detector = detectorFor(snapshot);
    const reader = readerFor(snapshot);
    return {
      message(context) {
        const verdict = brandImpersonation(reader, detector, context.message.content, registeredOf(context));
        if (verdict === null) return null;
        const { sender } = context.message;
        const brand = brandName(verdict);
        const facts: Record<string, string> = verdict.sender !== null ? { matchedSender: verdict.sender.name } : {};
        if (verdict.how === 'claim') {
          const code =
            verdict.claim.kind === 'signature'
              ? 'finding.BRAND_IMPERSONATION.signature'
              : 'finding.BRAND_IMPERSONATION.text';
          return draft(
            'BRAND_IMPERSONATION',
            context,
            verdict.cues,
            { claimed: verdict.claim.text, ...facts, match: verdict.claim.match },
            phrase(code, { sender, claimed: verdict.claim.text, brand, holder: holder(context) }),
          );
        }
        return draft(
          'BRAND_IMPERSONATION',
          context,
          verdict.cues,
          { ...facts, ...cueFacts(verdict.cues) },
          phrase('finding.BRAND_IMPERSONATION.pretext', {
            sender,
            brand,
            cues: cueList(verdict.cues),
            holder: holder(context),
          }),
        );
      },
      explain() {
        return {
          zh: '短信没有自称受保护的企业，也没有以其业务为由施压并引导操作，或号码登记给该企业本身',
          en: 'The message neither claims a protected business nor presents its matter with pressure and a way to act, or the number is registered to that business',
        };
      },
    };
  },
};
