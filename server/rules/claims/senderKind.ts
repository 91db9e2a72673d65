/**
 * Whether a protected sender is a government body or a brand (an enterprise whose name others
 * must not send as: a bank, a carrier, an ETC issuer, a courier). The protected-sender list holds
 * both; GOV_IMPERSONATION is about the first, BRAND_IMPERSONATION about the second.
 *
 * The kind follows from the sender's USCC (DOMAIN.md: a `11` government organ or `12` public
 * institution is a government body, anything else is not); a sender listed without a USCC is a
 * government body when its name has the shape of one (国家税务总局, 最高人民法院), else a brand.
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
  return bodyFamilies(canonicalise(sender.name)).size > 0 ? 'government' : 'brand';
}
