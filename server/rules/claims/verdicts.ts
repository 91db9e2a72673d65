/**
 * The two decisions built on claims (docs/domain.md#rules):
 *  GOV_IMPERSONATION — a message that presents itself as a government body (signature or text)
 *    while the number's registered entity is not that body;
 *  LOOKALIKE_SIGNATURE — a signature confusable with a protected one (full-width, traditional
 *    characters, spaces, homoglyphs, one edit) but not registered to its owner.
 * The caller resolves the registered entity at the message's sent_at (null: nobody held the number).
 */
import { normaliseUscc, usccKind } from '../../numbering/uscc.ts';
import { canonicalise } from './canonical.ts';
import type { ClaimDetector } from './detector.ts';
import { isBareWarning } from '../pretext/reader.ts';
import { PROVINCES, bodyFamilies, claimedFamilies, claimedPlaces, type BodyFamily } from './governmentPattern.ts';
import { abbreviationsOf } from './protectedNames.ts';
import type { Claim, ImpersonationVerdict, KnownSignature, ProtectedSenderRef, RegisteredEntity } from './types.ts';
import { phrase, type Phrase } from '../../i18n/phrase.ts';

/**
 * Only a government organ (11) or a public institution (12) may send as a government department
 * (docs/domain.md#uscc).
 */
export function mayActAsGovernment(registered: RegisteredEntity): boolean {
  const kind = usccKind(normaliseUscc(registered.uscc));
  return kind === 'government' || kind === 'institution';
}

/** True when the claim is written as the registered entity's own name or one of its abbreviations. */
function isOwnName(claim: Claim, registered: RegisteredEntity): boolean {
  const claimed = canonicalise(claim.text);
  const own = canonicalise(registered.name);
  return claimed === own || abbreviationsOf(own).includes(claimed);
}

/** True when `registered` is the protected sender: same USCC, or, for a sender listed without one, the same name. */
export function owns(registered: RegisteredEntity, sender: ProtectedSenderRef): boolean {
  if (sender.uscc !== null && sender.uscc !== '') return normaliseUscc(sender.uscc) === normaliseUscc(registered.uscc);
  const own = canonicalise(registered.name);
  return own === canonicalise(sender.name) || sender.aliases.some((alias) => canonicalise(alias) === own);
}

/** The traffic police are part of the police: a 公安局 saying 交警, or a 交警支队 saying 公安, is not another body. */
function sameKindOfBody(claimed: Set<BodyFamily>, registered: Set<BodyFamily>): boolean {
  for (const family of claimed) {
    if (registered.has(family)) return true;
    if (family === 'traffic-police' && registered.has('police')) return true;
    if (family === 'police' && registered.has('traffic-police')) return true;
  }
  return false;
}

/**
 * For a claim that only has the shape of a government body's name: is the registered government
 * entity clearly another body? Yes when its name is of another kind (a hospital saying 交警, a 税务局
 * saying 法院), or when the claim names a place its name does not contain (潍坊交警 sent by
 * 青岛市公安局交通警察支队). A claim without a place (交警大队) is not clearly another body.
 */
function clearlyAnotherBody(claim: Claim, registered: RegisteredEntity): boolean {
  const claimed = canonicalise(claim.text);
  const own = canonicalise(registered.name);
  if (!sameKindOfBody(claimedFamilies(claimed), bodyFamilies(own))) return true;
  const places = claimedPlaces(claimed);
  if (places.length === 0) return false;
  const place = places[places.length - 1];
  if (own.includes(place)) return false;
  // 【福建12329】 from 泉州住房公积金中心: a province the body's name does not spell out may still be its own.
  return !(PROVINCES.includes(place) && !PROVINCES.some((province) => own.includes(province)));
}

/**
 * A warning against fraud that gives no link or number to call defrauds nobody, whoever signs
 * it: a carrier relaying 【国家反诈中心提醒】 to its subscribers is not impersonating the police.
 */
function bareWarning(detector: ClaimDetector, content: string): boolean {
  return isBareWarning(content, detector.foldedMessage(content).text);
}

/** “济南交警”, or “济南交警”（济南市公安局交通警察支队） when it names a protected sender otherwise. */
function quoted(claim: Claim): Phrase {
  const sender = claim.protectedSender;
  return sender === null || sender.name === claim.text
    ? phrase('finding.claim.quoted', { text: claim.text })
    : phrase('finding.claim.quoted_sender', { text: claim.text, sender: sender.name });
}

/** 短信以“济南交警”的名义签名 / 短信在正文中自称“济南交警支队” */
function presents(claim: Claim): Phrase {
  const code = claim.kind === 'signature' ? 'finding.claim.signs_as' : 'finding.claim.introduces_as';
  return phrase(code, { quoted: quoted(claim) });
}

/** The GOV_IMPERSONATION verdict for one claim, or null when the registered entity may make it. */
function impersonationOf(claim: Claim, registered: RegisteredEntity | null): ImpersonationVerdict | null {
  if (registered === null) {
    return { claim, reason: phrase('finding.claim.unregistered', { presents: presents(claim) }) };
  }
  if (!mayActAsGovernment(registered)) {
    const params = { presents: presents(claim), name: registered.name, uscc: registered.uscc };
    return { claim, reason: phrase('finding.claim.not_government', params) };
  }
  const sender = claim.protectedSender;
  let anotherBody: boolean;
  if (sender === null) anotherBody = clearlyAnotherBody(claim, registered);
  // A lookalike may be the registered body's own, merely similar, name (海陵区法院 is one edit from 海淀区法院).
  else if (claim.match === 'lookalike' && isOwnName(claim, registered)) anotherBody = false;
  else anotherBody = !owns(registered, sender);
  if (!anotherBody) return null;
  const params = { presents: presents(claim), name: registered.name, uscc: registered.uscc };
  return { claim, reason: phrase('finding.claim.another_body', params) };
}

/**
 * GOV_IMPERSONATION decision: the message claims a government body and the number's registered
 * entity at sent_at is not that body — registered is null, or its USCC is not a `11`/`12` USCC
 * (government organ / public institution), or a matched protected sender has a USCC different
 * from the registered one, or (pattern-only claim) the registered government entity's name is
 * clearly a different body. The first such claim in the message decides. `known`: see
 * ClaimDetector.claims.
 */
export function impersonation(
  detector: ClaimDetector,
  content: string,
  registered: RegisteredEntity | null,
  known?: readonly KnownSignature[],
): ImpersonationVerdict | null {
  for (const claim of detector.claims(content, known)) {
    if (!claim.government) continue;
    const verdict = impersonationOf(claim, registered);
    if (verdict !== null) return bareWarning(detector, content) ? null : verdict;
  }
  return null;
}

/**
 * LOOKALIKE_SIGNATURE decision: a signature confusable with a protected sender (match
 * 'normalised' | 'lookalike', not 'exact') whose registered entity is not that protected sender's
 * owner. A signature that is the registered entity's own name is not a disguise of someone else's.
 */
export function lookalikeSignature(
  detector: ClaimDetector,
  content: string,
  registered: RegisteredEntity | null,
  known?: readonly KnownSignature[],
): ImpersonationVerdict | null {
  for (const claim of detector.claims(content, known)) {
    if (claim.kind !== 'signature' || claim.protectedSender === null) continue;
    if (claim.match !== 'normalised' && claim.match !== 'lookalike') continue;
    if (registered !== null && (owns(registered, claim.protectedSender) || isOwnName(claim, registered))) continue;
    if (bareWarning(detector, content)) return null;
    const sender = claim.protectedSender;
    // One edit away, or the same once folded (width, script, spacing, inserted characters).
    const code = claim.match === 'lookalike' ? 'finding.claim.lookalike' : 'finding.claim.normalised';
    const holder =
      registered === null
        ? phrase('finding.holder.unregistered')
        : phrase('finding.claim.not_owner', { name: registered.name });
    return { claim, reason: phrase(code, { text: claim.text, sender: sender.name, holder }) };
  }
  return null;
}
