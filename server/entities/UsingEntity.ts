import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import type { Signature } from './Signature.ts';

/** 使用主体: the organisation that actually sends under a number. */
@Entity('entities')
@Index('uq_entities_uscc', ['uscc'], { unique: true })
@Index('idx_entities_name', ['name'])
export class UsingEntity {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 18 })
  uscc!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  /** Staff override of the class the USCC implies (see numbering/uscc.ts ENTITY_KINDS). */
  @Column('varchar', { length: 20, nullable: true })
  kind!: string | null;

  @OneToMany('Signature', (signature: Signature) => signature.entity)
  signatures!: Signature[];
}
