/**
 * The bench's generated traffic, deterministic, from numbers bench/largeDataset.ts granted:
 * shared by `npm run bench` and bench/auditProfile.ts.
 */
import type { AuditedMessage } from '../server/rules/types.ts';
import { ENTITIES, leafGrant, signatureOf } from './largeDataset.ts';

/** mulberry32: a small deterministic PRNG, so every run measures the same data. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Traffic as a carrier's sample looks: most messages carry their registered entity's own filed
 * signature; a few carry another entity's (UNFILED_SIGNATURE, HIDDEN_RELEASE), a short link
 * (SUSPICIOUS_URL), a traffic-police claim (GOV_IMPERSONATION), or come from an unallocated
 * number (UNALLOCATED_SENDER).
 */
export function* generatedMessages(
  allocationCount: number,
  count: number,
): Generator<AuditedMessage & { recipient: string }> {
  const random = prng(7);
  const leaves = allocationCount - 1100;
  const start = Date.parse('2022-01-01T00:00:00+08:00');
  for (let i = 1; i <= count; i++) {
    const grant = leafGrant(allocationCount, Math.floor(random() * leaves));
    let sender = `${grant.prefix}${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    const code = String(Math.floor(random() * 1e6)).padStart(6, '0');
    const kind = random();
    let content = `【${signatureOf(grant.entity)}】您的验证码为${code}，5分钟内有效，请勿泄露给他人。`;
    if (kind < 0.002)
      content = `【${signatureOf((grant.entity + 1 + Math.floor(random() * 50)) % ENTITIES)}】尊敬的客户，您的订单已发货，单号${code}。`;
    else if (kind < 0.003)
      content = `【${signatureOf(grant.entity)}】您的积分即将清零，点击 http://t.cn/A6${code} 兑换礼品。`;
    else if (kind < 0.0035)
      content = `【某市公安局交通管理局】您的驾驶证预约已通过，请于今日内缴纳费用${code}元，逾期作废。`;
    else if (kind < 0.006) sender = `10695${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    yield {
      id: i,
      ref: `m${i}`,
      sender,
      sentAt: new Date(start + Math.floor(random() * 3 * 365 * 86_400) * 1000),
      content,
      recipient: `+86138${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
    };
  }
}

/** A list in pages of `size`, as the audit reads stored traffic. */
export function* pagesOf<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
