import { trafficSubject } from './evidence.ts';
import { findCallbackNumbers } from './text/callbackNumbers.ts';
import { findUrls, suspiciousUrls, type UrlLists } from './text/urls.ts';
import type { FindingDraft, Rule } from './types.ts';
import { phrase } from '../i18n/phrase.ts';

/**
 * SUSPICIOUS_URL (docs/domain.md#suspicious_url): a short link not on the allow-list, or a domain
 * on the block-list (the field report's short-URL section). One finding per message and domain; the
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
          rule: 'SUSPICIOUS_URL',
          severity: verdict.reason === 'block-listed' ? 'high' : 'medium',
          key: [String(message.ref ?? message.id), verdict.domain],
          ...subject,
          number: message.sender,
          message: { id: message.id, ref: message.ref },
          complaint: null,
          text: phrase(`finding.SUSPICIOUS_URL.${verdict.reason === 'block-listed' ? 'block_listed' : 'short_link'}`, {
            sender: message.sender,
            url: verdict.url.url,
            domain: verdict.domain,
          }),
          evidence: {
            ...subject.evidence,
            text: message.content,
            span: { start: verdict.url.start, end: verdict.url.end },
            facts: {
              url: verdict.url.url,
              domain: verdict.domain,
              ...(callbacks.length ? { callbackNumbers: callbacks.join(' ') } : {}),
            },
          },
          occurredAt: message.sentAt,
        }));
      },
      explain({ message }) {
        const urls = findUrls(message.content);
        if (urls.length === 0) return { zh: '短信中没有链接', en: 'The message carries no link' };
        const hosts = [...new Set(urls.map((u) => u.host))].join('、');
        return {
          zh: `链接 ${hosts} 不在黑名单上，也不是未列入白名单的短链接`,
          en: `Link ${hosts} is on no block-list and is not a short link missing from the allow-list`,
        };
      },
    };
  },
};
