import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';

/** What staff decided a message is: the labels of the real-world corpus (test/fixtures/realworld/README.md). */
export const MESSAGE_LABELS = ['gov', 'brand', 'legit'] as const;
export type MessageLabelValue = (typeof MESSAGE_LABELS)[number];

/**
 * A staff member's label on a message ("impersonation / not impersonation", with a reason): a
 * carrier's own misses and false alarms, exported (`sms106 export`) as regression cases in the
 * corpus format. The message's text, number, time and registered entity are copied in when it is
 * labelled, so the case outlives a re-import of the message.
 */
@Entity('message_labels')
@Index('uq_message_labels_message', ['messageId'], { unique: true })
@Index('idx_message_labels_root_carrier', ['rootCarrierId'])
export class MessageLabel {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** messages.id: a link, not a key (as findings.message_id); the label keeps its own copy of the message. */
  @Column('int', { name: 'message_id', nullable: true })
  messageId!: number | null;

  /** The message's id in its source (messages.csv `id`), when it had one. */
  @Column('varchar', { name: 'message_ref', length: 64, nullable: true })
  messageRef!: string | null;

  @Column('varchar', { length: 20 })
  sender!: string;

  @Column('datetime', { name: 'sent_at' })
  sentAt!: Date;

  @Column('text')
  content!: string;

  /** The carrier the message was scoped to, as messages.root_carrier_id. */
  @Column('int', { name: 'root_carrier_id', nullable: true })
  rootCarrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'root_carrier_id', foreignKeyConstraintName: 'fk_message_labels_root_carrier' })
  rootCarrier!: Carrier | null;

  /** The using entity the number was registered to when the message was sent, if any. */
  @Column('varchar', { name: 'entity_uscc', length: 18, nullable: true })
  entityUscc!: string | null;

  @Column('varchar', { name: 'entity_name', length: 200, nullable: true })
  entityName!: string | null;

  @Column('varchar', { length: 8 })
  label!: MessageLabelValue;

  @Column('varchar', { length: 1000 })
  reason!: string;

  @Column('varchar', { name: 'labelled_by', length: 100 })
  labelledBy!: string;

  @Column('datetime', { name: 'labelled_at' })
  labelledAt!: Date;

  /** Bumped by every change: a form made from an older version is refused. */
  @VersionColumn({ type: 'int', default: 1 })
  version!: number;
}
