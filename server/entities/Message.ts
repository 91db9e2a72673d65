import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';

/** 短信样本: one observed SMS. */
@Entity('messages')
@Index('idx_messages_root_carrier', ['rootCarrierId'])
@Index('uq_messages_natural', ['naturalKey'], { unique: true })
@Index('idx_messages_sender_sent', ['sender', 'sentAt'])
export class Message {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** The id column of messages.csv, when the source gave one. */
  @Column('varchar', { name: 'external_id', length: 64, nullable: true })
  externalId!: string | null;

  /**
   * `id:<external id>`, else `h:<sha256 of sender, sent_at and content>`
   * (docs/dataset-format.md#keys-and-re-imports).
   */
  @Column('varchar', { name: 'natural_key', length: 80 })
  naturalKey!: string;

  @Column('varchar', { length: 20 })
  sender!: string;

  @Column('datetime', { name: 'sent_at' })
  sentAt!: Date;

  @Column('text')
  content!: string;

  /** E.164, e.g. +8613800138000. */
  @Column('varchar', { length: 20, nullable: true })
  recipient!: string | null;

  /** The carrier whose chain held the sender at the time; null when none did (services/audit/attribution.ts). */
  @Column('int', { name: 'root_carrier_id', nullable: true })
  rootCarrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'root_carrier_id', foreignKeyConstraintName: 'fk_messages_root_carrier' })
  rootCarrier!: Carrier | null;
}
