import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { PhraseParams } from '../i18n/phrase.ts';
import type { Carrier } from './Carrier.ts';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** open → notified → rectified, or dismissed with a written reason (issue "The audit"). */
export const FINDING_STATUSES = ['open', 'notified', 'rectified', 'dismissed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
/**
 * The one definition every page counts by. Open findings are those a notice may still be issued
 * for (待处理); notified ones wait for the rectification a notice asked for (已通知). Both are
 * unresolved: they count towards an agent's risk until rectified or dismissed.
 */
export const NOTIFIABLE_STATUSES = ['open'] as const satisfies readonly FindingStatus[];
export const UNRESOLVED_STATUSES = ['open', 'notified'] as const satisfies readonly FindingStatus[];

/** The trail a finding carries: the chain, the text that triggered it, the figures behind a threshold. */
export interface FindingEvidence {
  /** Root→leaf allocations, as `lookup --json` prints them. */
  chain?: Array<{
    prefix: string;
    holder: string;
    holderName: string;
    lessee: string;
    lesseeName: string;
    lesseeKind: 'agent' | 'entity';
    level: number;
    validFrom: string;
    validTo: string | null;
    declared: boolean;
  }>;
  /** The message text and the span in it that triggered the rule. */
  text?: string;
  span?: { start: number; end: number };
  /** Every cue a pretext rule read in the text (what it is, the words, their span), marked on the finding page. */
  cues?: Array<{ kind: string; text: string; start: number; end: number }>;
  /** Anything else worth showing, label → value (rendered as a definition list). */
  facts?: Record<string, string | number>;
}

/** 风险线索: one rule broken, with its evidence and where it is in the workflow. */
@Entity('findings')
@Index('uq_findings_dedupe', ['dedupeKey'], { unique: true })
@Index('idx_findings_status_severity', ['status', 'severity'])
@Index('idx_findings_rule', ['rule'])
@Index('idx_findings_root_carrier', ['rootCarrierId'])
@Index('idx_findings_agent', ['agentUscc'])
@Index('idx_findings_occurred', ['occurredAt'])
@Index('idx_findings_message', ['messageId'])
@Index('idx_findings_entity', ['entityUscc'])
export class Finding {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** sha256 of what makes the finding the same one on the next run (rule + subject), so a re-run updates it. */
  @Column('varchar', { name: 'dedupe_key', length: 64 })
  dedupeKey!: string;

  @Column('varchar', { length: 32 })
  rule!: string;

  @Column('varchar', { length: 8 })
  severity!: Severity;

  @Column('varchar', { length: 10, default: 'open' })
  status!: FindingStatus;

  /**
   * The carrier whose tree the finding lies in: what scopes it to that carrier's staff. Null: none (an unallocated
   * number).
   */
  @Column('int', { name: 'root_carrier_id', nullable: true })
  rootCarrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'root_carrier_id', foreignKeyConstraintName: 'fk_findings_root_carrier' })
  rootCarrier!: Carrier | null;

  /** The agent answerable for it (the one a notice goes to), by USCC. */
  @Column('varchar', { name: 'agent_uscc', length: 18, nullable: true })
  agentUscc!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  prefix!: string | null;

  @Column('varchar', { length: 20, nullable: true })
  number!: string | null;

  /** messages.id and the id the source gave it (messages.csv `id`), when the finding is about a message. */
  @Column('int', { name: 'message_id', nullable: true })
  messageId!: number | null;

  @Column('varchar', { name: 'message_ref', length: 64, nullable: true })
  messageRef!: string | null;

  @Column('int', { name: 'complaint_id', nullable: true })
  complaintId!: number | null;

  @Column('varchar', { name: 'complaint_ref', length: 64, nullable: true })
  complaintRef!: string | null;

  @Column('varchar', { name: 'entity_uscc', length: 18, nullable: true })
  entityUscc!: string | null;

  /** What it says: a catalogue code (finding.*) and its parameters, rendered in the reader's language. */
  @Column('varchar', { name: 'detail_code', length: 100, nullable: true })
  detailCode!: string | null;

  @Column('simple-json', { name: 'detail_params', nullable: true })
  detailParams!: PhraseParams | null;

  /** The prose of a finding stored before it had a code (migration 1764200000000); null since. */
  @Column('varchar', { length: 1000, nullable: true })
  detail!: string | null;

  @Column('varchar', { name: 'detail_en', length: 1000, nullable: true })
  detailEn!: string | null;

  @Column('simple-json')
  evidence!: FindingEvidence;

  /** When what it reports happened (a message's sent_at, an allocation's valid_from), for date filters. */
  @Column('datetime', { name: 'occurred_at', nullable: true })
  occurredAt!: Date | null;

  @Column('datetime', { name: 'first_seen_at' })
  firstSeenAt!: Date;

  @Column('datetime', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  /** The audit run that last produced it. */
  @Column('int', { name: 'last_run_id' })
  lastRunId!: number;

  @Column('datetime', { name: 'status_changed_at', nullable: true })
  statusChangedAt!: Date | null;

  @Column('varchar', { name: 'status_changed_by', length: 100, nullable: true })
  statusChangedBy!: string | null;

  /** Why it was dismissed (required then), or a note on another status change. */
  @Column('varchar', { name: 'status_reason', length: 1000, nullable: true })
  statusReason!: string | null;

  @VersionColumn({ type: 'int', default: 1 })
  version!: number;
}
