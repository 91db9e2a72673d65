import { trafficSubject } from './evidence.ts';
import { findCallbackNumbers } from './text/callbackNumbers.ts';
import { suspiciousUrls, type UrlLists } from './text/urls.ts';
import type { FindingDraft, Rule } from './types.ts';

/**
 * SUSPICIOUS_URL — DOMAIN.md: "a short link not on the allow-list, or a domain on the
 * block-list" (the field report's short-URL section). One finding per message and domain; the
 * callback numbers in the same text (normalised to E.164) go into the evidence.
 */
export const suspiciousUrl: Rule = {
  code: 'SUSPICIOUS_URL',
  start: (snapshot) => {
    const lists: UrlLists = { allow: snapshot.urlLists.allow, block: snapshot.urlLists.block, shortLink: new Set() };
    return {
      message(context) {
        const { message } = context;
        const verdicts = suspiciousUrls(message.content, lists);
        if (verdicts.length === 0) return null;
        const callbacks = findCallbackNumbers(message.content).map((c) => c.e164);
        const subject = trafficSubject(context);
        const byDomain = new Map(verdicts.map((v) => [v.domain, v]));
        return [...byDomain.values()].map((verdict): FindingDraft => ({
          rule: 'SUSPICIOUS_URL', severity: verdict.reason === 'block-listed' ? 'high' : 'medium',
          key: [String(message.ref ?? message.id), verdict.domain], ...subject,
          number: message.sender, message: { id: message.id, ref: message.ref }, complaint: null,
          detail: `号码 ${message.sender} 的短信含可疑链接：${verdict.detail}`,
          detailEn: `A message from ${message.sender} carries a suspicious link: ${verdict.detailEn}`,
          evidence: {
            ...subject.evidence, text: message.content, span: { start: verdict.url.start, end: verdict.url.end },
            facts: { url: verdict.url.url, domain: verdict.domain, ...(callbacks.length ? { callbackNumbers: callbacks.join(' ') } : {}) },
          },
          occurredAt: message.sentAt,
        }));
      },
    };
  },
};
