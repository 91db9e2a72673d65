/**
 * Whether a protected sender is a government body or a brand (an enterprise whose name others
 * must not send as: a bank, a carrier, an ETC issuer, a courier). The protected-sender list holds
 * both; GOV_IMPERSONATION is about the first, BRAND_IMPERSONATION about the second.
 *
 * The kind follows from the sender's USCC (docs/domain.md#uscc: a `11` government organ or `12`
 * public institution is a government body, anything else is not). A sender listed without a USCC is
 * a government body when its name has the shape of one (国家税务总局, 最高人民法院) or not the shape of a
 * business's (国家移民管理局); it is a brand when it reads as a business (中国工商银行, 支付宝).
 */
import { isValidUscc, normaliseUscc, usccKind } from '../../numbering/uscc.ts';
import { canonicalise } from './canonical.ts';
import { bodyFamilies } from './governmentPattern.ts';
import type { ProtectedSenderRef } from './types.ts';

export type SenderKind = 'government' | 'brand';

const kinds = new WeakMap<ProtectedSenderRef, SenderKind>();

export function senderKind(sender: ProtectedSenderRef): SenderKind {
  let kind = kinds.get(sender);
  if (kind === undefined) {
    kinds.set(sender, (kind = kindOf(sender)));
  }
  return kind;
}

function kindOf(sender: ProtectedSenderRef): SenderKind {
  const uscc = sender.uscc === null ? '' : normaliseUscc(sender.uscc);
  if (uscc !== '' && isValidUscc(uscc)) {
    const kind = usccKind(uscc);
    return kind === 'government' || kind === 'institution' ? 'government' : 'brand';
  }
  const name = canonicalise(sender.name);
  if (bodyFamilies(name).size > 0) return 'government';
  // The list was for government bodies first: a sender without a USCC is a brand only when its
  // name is shaped like a business's (…公司, …银行, 中国移动, 支付宝), so 国家移民管理局 stays a body.
  return BUSINESS_NAME.test(name) || BRAND_WORDS.some((word) => name.includes(word)) ? 'brand' : 'government';
}

/** How a business's name ends. */
const BUSINESS_NAME =
  /(?:公司|集团|银行|信用社|合作社|商城|商行|速运|速递|快递|物流|驿站|邮政|移动|联通|电信|广电|航空|保险|证券|基金|支付|科技)$/;
/** Well-known brands whose names end otherwise. */
const BRAND_WORDS = ['支付宝', '淘宝', '天猫', '京东', '拼多多', '抖音', '美团', '12306', 'ems', '银联'];
