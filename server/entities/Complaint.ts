import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';

/** 投诉/案件线索: a victim report or case naming a sender number and a date. */
@Entity('complaints')
@Index('idx_complaints_root_carrier', ['rootCarrierId'])
@Index('uq_complaints_natural', ['naturalKey'], { unique: true })
@Index('idx_complaints_sender_reported', ['sender', 'reportedAt'])
export class Complaint {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { name: 'external_id', length: 64, nullable: true })
  externalId!: string | null;

  /** `id:<external id>`, else `h:<sha256 of every field>`. */
  @Column('varchar', { name: 'natural_key', length: 80 })
  naturalKey!: string;

  @Column('varchar', { length: 20 })
  sender!: string;

  @Column('datetime', { name: 'reported_at' })
  reportedAt!: Date;

  @Column('datetime', { name: 'received_at', nullable: true })
  receivedAt!: Date | null;

  /** Kept as the decimal text it was given in, so nothing is rounded on the way through. */
  @Column('decimal', { name: 'loss_yuan', precision: 14, scale: 2, nullable: true })
  lossYuan!: string | null;

  @Column('varchar', { length: 100, nullable: true })
  region!: string | null;

  @Column('text', { nullable: true })
  summary!: string | null;

  /** The carrier whose chain held the sender at the time; null when none did (services/audit/attribution.ts). */
  @Column('int', { name: 'root_carrier_id', nullable: true })
  rootCarrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'root_carrier_id', foreignKeyConstraintName: 'fk_complaints_root_carrier' })
  rootCarrier!: Carrier | null;
}
