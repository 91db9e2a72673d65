import type { Phrase } from '../../i18n/phrase.ts';

/** The data the claim rules read and the decisions they return (GOV_IMPERSONATION, LOOKALIKE_SIGNATURE). */

/** A sender whose name must not be used by anyone else (the protected_senders table). */
export interface ProtectedSenderRef {
  name: string;
  uscc: string | null;
  aliases: string[];
}

/** The using entity a number was registered to at the moment a message was sent. */
export interface RegisteredEntity {
  uscc: string;
  name: string;
}

/** How a claim matched a protected sender, or that it matched only the pattern of a government body (Claim.match). */
export const CLAIM_MATCHES = ['exact', 'normalised', 'abbreviation', 'lookalike', 'pattern', 'none'] as const;

export interface Claim {
  /** the text as written in the message, and its span in the original content (UTF-16 offsets) */
  text: string;
  start: number;
  end: number;
  kind: 'signature' | 'self-identification';
  /** the protected sender it matches, when it matches one */
  protectedSender: ProtectedSenderRef | null;
  /**
   * how: exact name/alias; equal after normalisation (NFKC, full/half width, traditional→simplified,
   * spaces/zero-width removed, homoglyphs); city abbreviation (济南交警 for 济南市公安局交通管理局);
   * lookalike (one edit away after normalisation); or only the generic pattern of a Chinese
   * government body. An abbreviation written with a disguise is 'normalised': the disguise is what
   * LOOKALIKE_SIGNATURE is about.
   */
  match: (typeof CLAIM_MATCHES)[number];
  /** true when the claimed body is a government body (protected sender match, or the government pattern) */
  government: boolean;
  /**
   * true when the claim names a protected sender that is not a government body: a bank, a
   * carrier, an ETC issuer, a courier (senderKind). BRAND_IMPERSONATION is about these.
   */
  brand: boolean;
}

/**
 * A 【…】 signature the caller has already found in the message (rules/signatures.ts
 * signaturesOf): its span (the brackets included), its text, and the number of the filed
 * signature it is written as, if any. Passed to ClaimDetector.claims, it spares the detector
 * cutting the text out and looking it up by text again; the claims are the same without it.
 */
export interface KnownSignature {
  start: number;
  end: number;
  text: string;
  filed: { n: number; key: string } | null;
}

export interface ImpersonationVerdict {
  claim: Claim;
  /** Why, one sentence: a catalogue phrase (finding.claim.*). */
  reason: Phrase;
}
