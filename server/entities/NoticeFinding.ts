import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Finding } from './Finding.ts';
import type { Notice } from './Notice.ts';

/** Which findings a notice was issued for (their text as printed is in the notice's content). */
@Entity('notice_findings')
@Index('idx_notice_findings_finding', ['findingId'])
export class NoticeFinding {
  @PrimaryColumn('int', { name: 'notice_id' })
  noticeId!: number;

  @PrimaryColumn('int', { name: 'finding_id' })
  findingId!: number;

  @ManyToOne('Notice')
  @JoinColumn({ name: 'notice_id', foreignKeyConstraintName: 'fk_notice_findings_notice' })
  notice!: Notice;

  @ManyToOne('Finding')
  @JoinColumn({ name: 'finding_id', foreignKeyConstraintName: 'fk_notice_findings_finding' })
  finding!: Finding;
}
