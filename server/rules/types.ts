import type { AllocationIndex, Chain, IndexedAllocation } from '../chain/allocationIndex.ts';
import type { FindingEvidence, Severity } from '../entities/Finding.ts';
import type { Phrase } from '../i18n/phrase.ts';
import type { MessageSignature } from './signatures.ts';

/** The rule codes (docs/domain.md#rules): the stable names findings carry. */
export const RULE_CODES = [
  'MULTI_LEVEL_RELEASE',
  'SEGMENT_UNFILED',
  'AGENT_MULTIPLE_SEGMENTS',
  'NUMBER_MULTI_ENTITY',
  'OVERLAPPING_ALLOCATION',
  'UNLICENSED_LESSEE',
  'INVALID_USCC',
  'UNALLOCATED_SENDER',
  'GOV_IMPERSONATION',
  'LOOKALIKE_SIGNATURE',
  'UNFILED_SIGNATURE',
  'SUSPICIOUS_URL',
  'HIDDEN_RELEASE',
  'COMPLAINT_CLUSTER',
  'OFFICIAL_PRETEXT',
  'BRAND_IMPERSONATION',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** A finding as a rule produces it, before it is stored (services/accounts/audit.ts keeps it up to date). */
export interface FindingDraft {
  rule: RuleCode;
  severity: Severity;
  /** What makes it the same finding on the next run, besides the rule: the subject's natural keys. */
  key: readonly string[];
  /** The carrier whose tree it lies in (scopes it to that carrier's staff); null when none. */
  rootCarrierId: number | null;
  /** The agent answerable for it, by USCC. */
  agent: string | null;
  prefix: string | null;
  number: string | null;
  message: { id: number; ref: string | null } | null;
  complaint: { id: number; ref: string | null } | null;
  entity: string | null;
  /** What it says, as a catalogue code and parameters (the locales' findingText.json). */
  text: Phrase;
  evidence: FindingEvidence;
  occurredAt: Date | null;
}

export interface AgentInfo {
  id: number;
  uscc: string;
  name: string;
  licenceNo: string | null;
}

export interface EntityInfo {
  id: number;
  uscc: string;
  name: string;
  /** Staff override of the kind the USCC implies. */
  kind: string | null;
  /** Filed signatures, as stored (without 【】). */
  signatures: readonly string[];
}

export interface ProtectedSenderInfo {
  name: string;
  uscc: string | null;
  aliases: string[];
}

export interface UrlListsInfo {
  allow: ReadonlySet<string>;
  block: ReadonlySet<string>;
}

/** Everything the rules read besides the traffic, loaded once per run. */
export interface AuditSnapshot {
  index: AllocationIndex;
  agents: ReadonlyMap<string, AgentInfo>;
  entities: ReadonlyMap<string, EntityInfo>;
  protectedSenders: readonly ProtectedSenderInfo[];
  urlLists: UrlListsInfo;
  /** Thresholds, so tests and staff can see what they are. */
  thresholds: AuditThresholds;
}

export interface AuditThresholds {
  /** HIDDEN_RELEASE: distinct outside signatures under one allocation that make it a finding. */
  hiddenReleaseSignatures: number;
  /** COMPLAINT_CLUSTER: this many complaints against one agent within `complaintWindowDays`. */
  complaintClusterSize: number;
  complaintWindowDays: number;
}

export const DEFAULT_THRESHOLDS: AuditThresholds = {
  hiddenReleaseSignatures: 3,
  complaintClusterSize: 3,
  complaintWindowDays: 30,
};

export interface AuditedMessage {
  id: number;
  ref: string | null;
  sender: string;
  sentAt: Date;
  content: string;
}

export interface AuditedComplaint {
  id: number;
  ref: string | null;
  sender: string;
  reportedAt: Date;
  lossYuan: number | null;
  summary: string | null;
}

/** What the engine works out once per message or complaint and every rule shares. */
export interface TrafficContext {
  /** The chain that held the sender at the time; null when none did. */
  chain: Chain | null;
  /** The deepest allocation of that chain. */
  leaf: IndexedAllocation | null;
  /** The registered using entity, when the chain ends at one. */
  entity: EntityInfo | null;
  /** The agent answerable for the number: the one that granted it to the entity, or that holds it. */
  agent: string | null;
  rootCarrierId: number | null;
}

export interface MessageContext extends TrafficContext {
  message: AuditedMessage;
  /** The message's 【…】 signatures and their filings (signaturesOf), read once for every rule. */
  signatures: readonly MessageSignature[];
}

export interface ComplaintContext extends TrafficContext {
  complaint: AuditedComplaint;
}

/** What a rule does in one run; aggregate rules keep their state in the closure `start` returns. */
export interface RuleRun {
  /** Over the allocation tree and the registry. */
  structure?(): Iterable<FindingDraft>;
  message?(context: MessageContext): FindingDraft | readonly FindingDraft[] | null;
  complaint?(context: ComplaintContext): FindingDraft | readonly FindingDraft[] | null;
  /** After all the traffic: what the aggregate rules concluded. */
  finish?(): Iterable<FindingDraft>;
  /**
   * An audit split across threads gives each thread the messages of some senders
   * (services/audit/auditShares.ts). What a rule gathers per number it concludes in each thread; a rule
   * that gathers across numbers (per allocation, per agent) hands what its thread gathered over as
   * plain data (`gathered`) and the main thread's run takes every part in (`gather`) before its
   * own `finish`.
   */
  gathered?(): unknown;
  gather?(part: unknown): void;
  /** For the message explorer: why this message did not make the rule fire (asked only when it did not). */
  explain?(context: MessageContext): Explanation;
}

/** A reason in both languages. */
export interface Explanation {
  zh: string;
  en: string;
}

export interface Rule {
  code: RuleCode;
  start(snapshot: AuditSnapshot): RuleRun;
}
