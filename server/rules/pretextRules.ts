import type { FindingEvidence } from '../entities/Finding.ts';
import { trafficSubject } from './evidence.ts';
import { detectorFor, registeredOf } from './impersonationRules.ts';
import type { Cue } from './pretext/cues.ts';
import { PretextReader, type Sector } from './pretext/reader.ts';
import { brandImpersonation, officialPretext, type BrandVerdict } from './pretext/verdicts.ts';
import type { AuditSnapshot, FindingDraft, MessageContext, Rule, RuleCode } from './types.ts';

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

const CUE_ZH: Record<Cue['kind'], string> = { topic: '事由', pressure: '施压', channel: '渠道', address: '称呼收信人', sector: '行业' };
const CUE_EN: Record<Cue['kind'], string> = { topic: 'matter', pressure: 'pressure', channel: 'channel', address: 'addressing the reader', sector: 'business' };

/** 事由“医保”、施压“停用”… */
function cuesZh(cues: readonly Cue[]): string {
  return cues.map((cue) => `${CUE_ZH[cue.kind]}“${cue.text}”`).join('、');
}

function cuesEn(cues: readonly Cue[]): string {
  return cues.map((cue) => `${CUE_EN[cue.kind]} "${cue.text}"`).join(', ');
}

function holderZh(context: MessageContext): string {
  return context.entity ? `该号码登记的使用主体是“${context.entity.name}”（${context.entity.uscc}）` : '该号码在发送时没有登记的使用主体';
}

function holderEn(context: MessageContext): string {
  return context.entity ? `the number is registered to "${context.entity.name}" (${context.entity.uscc})` : 'the number had no registered using entity when it was sent';
}

function draft(rule: RuleCode, context: MessageContext, cues: readonly Cue[], facts: Record<string, string>, detail: string, detailEn: string): FindingDraft {
  const { message } = context;
  const subject = trafficSubject(context);
  const evidence: FindingEvidence = {
    ...subject.evidence, text: message.content, span: { start: cues[0].start, end: cues[0].end },
    cues: [...cues], facts,
  };
  return {
    rule, severity: 'high', key: [String(message.ref ?? message.id)], ...subject,
    number: message.sender, message: { id: message.id, ref: message.ref }, complaint: null, detail, detailEn, evidence, occurredAt: message.sentAt,
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
        return draft('OFFICIAL_PRETEXT', context, verdict.cues, cueFacts(verdict.cues),
          `号码 ${sender} 的短信以官方或公共服务事务为由施压并引导收信人操作（${cuesZh(verdict.cues)}），但${holderZh(context)}，不是机关或事业单位。`,
          `A message from ${sender} presents an official or public-service matter with pressure and a way to act (${cuesEn(verdict.cues)}), but ${holderEn(context)}, which is neither a government organ nor a public institution.`);
      },
      explain(context) {
        if (context.entity && officialPretext(reader, detector, context.message.content, null) !== null) {
          return { zh: `短信以官方事务为由施压，但号码登记的使用主体${context.entity.name}是机关或事业单位，或已按冒用政府机关处理`, en: `It presents an official matter with pressure, but the number's registered entity ${context.entity.name} is a government organ or public institution, or GOV_IMPERSONATION reports it` };
        }
        return { zh: '短信没有同时出现官方事由、施压用语和引导渠道，或是在提醒防范诈骗', en: 'The message does not combine an official matter, pressure and a way to act, or it warns against fraud' };
      },
    };
  },
};

function brandName(verdict: BrandVerdict, locale: 'zh' | 'en'): string {
  if (verdict.sender !== null) return verdict.sender.name;
  const sector: Sector = verdict.how === 'pretext' && verdict.sector !== null ? verdict.sector : 'bank';
  const zh: Record<Sector, string> = { bank: '银行', carrier: '电信运营商', etc: 'ETC 发行方', courier: '邮政快递企业', platform: '电商支付平台', airline: '航空公司', utility: '水电燃气企业' };
  const en: Record<Sector, string> = { bank: 'a bank', carrier: 'a carrier', etc: 'an ETC issuer', courier: 'a postal or courier company', platform: 'an e-commerce or payment platform', airline: 'an airline', utility: 'a utility' };
  return locale === 'zh' ? zh[sector] : en[sector];
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
        const name = brandName(verdict, 'zh');
        const nameEn = brandName(verdict, 'en');
        const facts: Record<string, string> = verdict.sender !== null ? { matchedSender: verdict.sender.name } : {};
        if (verdict.how === 'claim') {
          const how = verdict.claim.kind === 'signature' ? `以“${verdict.claim.text}”的名义签名` : `在正文中自称“${verdict.claim.text}”`;
          const howEn = verdict.claim.kind === 'signature' ? `signs as "${verdict.claim.text}"` : `introduces itself as "${verdict.claim.text}"`;
          return draft('BRAND_IMPERSONATION', context, verdict.cues, { claimed: verdict.claim.text, ...facts, match: verdict.claim.match },
            `号码 ${sender} 的短信${how}（受保护发送方“${name}”），但${holderZh(context)}，不是其所有者。`,
            `A message from ${sender} ${howEn} (the protected sender "${nameEn}"), but ${holderEn(context)}, not its owner.`);
        }
        return draft('BRAND_IMPERSONATION', context, verdict.cues, { ...facts, ...cueFacts(verdict.cues) },
          `号码 ${sender} 的短信以${name}的业务为由施压并引导收信人操作（${cuesZh(verdict.cues)}），但${holderZh(context)}。`,
          `A message from ${sender} presents the business of ${nameEn} with pressure and a way to act (${cuesEn(verdict.cues)}), but ${holderEn(context)}.`);
      },
      explain(context) {
        return { zh: '短信没有自称受保护的企业，也没有以其业务为由施压并引导操作，或号码登记给该企业本身', en: 'The message neither claims a protected business nor presents its matter with pressure and a way to act, or the number is registered to that business' };
      },
    };
  },
};
