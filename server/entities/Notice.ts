import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';
import type { Issuer } from './Issuer.ts';

/** issued → acknowledged (the agent's receipt recorded) → rectified; overdue is computed from the deadline. */
export const NOTICE_STATUSES = ['issued', 'acknowledged', 'rectified'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/**
 * 整改通知书. Everything printed on it is in `content` (JSON, services/notices/notices.ts NoticeContent) and
 * fingerprinted; those columns never change once written (database triggers refuse it, see the
 * Notices migration). The workflow columns below them record what happened afterwards.
 */
@Entity('notices')
@Index('uq_notices_number', ['issuerId', 'year', 'serial'], { unique: true })
@Index('uq_notices_document_number', ['documentNumber'], { unique: true })
@Index('uq_notices_verification', ['verificationCode'], { unique: true })
@Index('idx_notices_agent', ['agentUscc'])
@Index('idx_notices_carrier', ['carrierId'])
@Index('idx_notices_issued', ['issuedAt'])
export class Notice {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int', { name: 'issuer_id' })
  issuerId!: number;

  @ManyToOne('Issuer')
  @JoinColumn({ name: 'issuer_id', foreignKeyConstraintName: 'fk_notices_issuer' })
  issuer!: Issuer;

  @Column('int')
  year!: number;

  /** N in 代字〔YYYY〕N号: from 1 per issuer and year, no gaps, no duplicates. */
  @Column('int')
  serial!: number;

  @Column('varchar', { name: 'document_number', length: 60 })
  documentNumber!: string;

  /** The carrier whose staff issued it (the issuer's carrier); null for a regulator's notice. */
  @Column('int', { name: 'carrier_id', nullable: true })
  carrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'carrier_id', foreignKeyConstraintName: 'fk_notices_carrier' })
  carrier!: Carrier | null;

  @Column('varchar', { name: 'agent_uscc', length: 18 })
  agentUscc!: string;

  @Column('varchar', { name: 'agent_name', length: 200 })
  agentName!: string;

  /** 整改期限: the last day (Beijing) to rectify. */
  @Column('date')
  deadline!: string;

  @Column('datetime', { name: 'issued_at' })
  issuedAt!: Date;

  @Column('varchar', { name: 'issued_by', length: 100 })
  issuedBy!: string;

  /** What anyone types at /verify/CODE: unguessable (80 random bits). */
  @Column('varchar', { name: 'verification_code', length: 32 })
  verificationCode!: string;

  /** sha256 of `content` as stored: shown on the verification page, so a paper copy can be compared. */
  @Column('varchar', { length: 64 })
  fingerprint!: string;

  /** Everything the printed notice says, as JSON (NoticeContent); MEDIUMTEXT on MySQL (typeormAdapter.ts). */
  @Column('text')
  content!: string;

  /** The notice this one corrects; the old one stays, marked superseded. */
  @Column('int', { name: 'supersedes_id', nullable: true })
  supersedesId!: number | null;

  // Workflow: what happened after issuing. Not part of the content or its fingerprint.

  @Column('varchar', { length: 12, default: 'issued' })
  status!: NoticeStatus;

  @Column('int', { name: 'superseded_by_id', nullable: true })
  supersededById!: number | null;

  @Column('datetime', { name: 'acknowledged_at', nullable: true })
  acknowledgedAt!: Date | null;

  /** Who recorded the receipt, and the receipt as the agent gave it (signed by, how delivered). */
  @Column('varchar', { name: 'acknowledged_by', length: 100, nullable: true })
  acknowledgedBy!: string | null;

  @Column('varchar', { name: 'acknowledgement', length: 1000, nullable: true })
  acknowledgement!: string | null;

  @Column('datetime', { name: 'rectified_at', nullable: true })
  rectifiedAt!: Date | null;

  @Column('varchar', { name: 'rectified_by', length: 100, nullable: true })
  rectifiedBy!: string | null;

  /** The evidence of the fix, as staff recorded it. */
  @Column('text', { name: 'rectification', nullable: true })
  rectification!: string | null;
}
