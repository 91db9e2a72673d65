/**
 * The decisions of OFFICIAL_PRETEXT and BRAND_IMPERSONATION (docs/pretext.md), pure like the
 * claim verdicts: the message, the entity its number was registered to when it was sent (null:
 * nobody), and the snapshot's readers in; a verdict with the cues that made it out.
 */
import {
  impersonation,
  mayActAsGovernment,
  owns,
  type Claim,
  type ClaimDetector,
  type ProtectedSenderRef,
  type RegisteredEntity,
} from '../claims/index.ts';
import { canonicalise } from '../claims/canonical.ts';
import type { Cue } from './cues.ts';
import type { OfficialPretext, PretextReader, Sector } from './reader.ts';

/**
 * OFFICIAL_PRETEXT: the message presents an official or public-service matter with pressure and
 * a channel (or the reader addressed as its holder), and its number is not registered to a
 * government organ or public institution. A message GOV_IMPERSONATION already reports (it names
 * the body) is left to that rule.
 */
export function officialPretext(
  reader: PretextReader,
  detector: ClaimDetector,
  content: string,
  registered: RegisteredEntity | null,
): OfficialPretext | null {
  if (registered !== null && mayActAsGovernment(registered)) return null;
  const pretext = reader.official(content);
  if (pretext === null) return null;
  if (impersonation(detector, content, registered) !== null) return null;
  return pretext;
}

export type BrandVerdict =
  /** The message signs or speaks as a protected brand (【中国工商银行】, 工行提醒您, 【95588】). */
  | { how: 'claim'; claim: Claim; sender: ProtectedSenderRef; cues: Cue[] }
  /** It names a protected brand, or speaks for a kind of business, with a threat or lure and a channel. */
  | { how: 'pretext'; sender: ProtectedSenderRef | null; sector: Sector | null; cues: Cue[] };

/**
 * True when `registered` is the protected brand: its USCC, its name or an alias (owns), or, a
 * brand being registered branch by branch, a name that begins with the brand's name or a long
 * alias (中国工商银行股份有限公司北京市分行 is 中国工商银行's).
 */
function isBrandOwner(registered: RegisteredEntity | null, sender: ProtectedSenderRef): boolean {
  if (registered === null) return false;
  if (owns(registered, sender)) return true;
  const name = canonicalise(registered.name);
  return [sender.name, ...sender.aliases].some((form) => {
    const brand = canonicalise(form);
    return brand.length >= MIN_BRAND_PREFIX && name.startsWith(brand);
  });
}

/** Fewest characters a brand's name needs to count as the start of a branch's name (招商银行, not 工行). */
const MIN_BRAND_PREFIX = 4;

/**
 * BRAND_IMPERSONATION: a message that claims a protected sender that is not a government body
 * (a bank, a carrier, an ETC issuer, a courier), or presents such a brand's matter with pressure
 * and a channel, from a number registered to someone else.
 */
export function brandImpersonation(
  reader: PretextReader,
  detector: ClaimDetector,
  content: string,
  registered: RegisteredEntity | null,
): BrandVerdict | null {
  for (const claim of detector.claims(content)) {
    if (!claim.brand || claim.protectedSender === null) continue;
    if (isBrandOwner(registered, claim.protectedSender)) return null;
    const cue: Cue = { kind: 'topic', text: claim.text, start: claim.start, end: claim.end };
    return { how: 'claim', claim, sender: claim.protectedSender, cues: [cue] };
  }
  const pretext = reader.brand(content, registered?.name ?? null, (sender) => isBrandOwner(registered, sender));
  return pretext === null ? null : { how: 'pretext', ...pretext };
}
