import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { UsingEntity } from './UsingEntity.ts';

/** 短信签名: a 【…】 signature an entity has filed. */
@Entity('signatures')
@Index('uq_signatures_entity_text', ['entityId', 'text'], { unique: true })
export class Signature {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int', { name: 'entity_id' })
  entityId!: number;

  @ManyToOne('UsingEntity', (entity: UsingEntity) => entity.signatures, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entity_id', foreignKeyConstraintName: 'fk_signatures_entity' })
  entity!: UsingEntity;

  /** The signature without its brackets, as filed. */
  @Column('varchar', { length: 100 })
  text!: string;
}
