/**
 * Claims of identity in SMS text and the two rules built on them: GOV_IMPERSONATION and
 * LOOKALIKE_SIGNATURE (docs/domain.md#rules). Pure: plain data in, decisions out.
 */
export type { Claim, ImpersonationVerdict, KnownSignature, ProtectedSenderRef, RegisteredEntity } from './types.ts';
export { ClaimDetector } from './detector.ts';
export { impersonation, lookalikeSignature, mayActAsGovernment, owns } from './verdicts.ts';
export { senderKind, type SenderKind } from './senderKind.ts';
