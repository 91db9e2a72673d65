import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Agent } from './Agent.ts';
import type { Carrier } from './Carrier.ts';
import type { UsingEntity } from './UsingEntity.ts';

export type LesseeKind = 'agent' | 'entity';

/**
 * 号段分配: "lessee holds prefix from validFrom to validTo (inclusive), granted by holder".
 * A root is a carrier's grant to a first-level agent; every other allocation is carved out of
 * its parent, the allocation through which its holder held an enclosing prefix at validFrom.
 */
@Entity('allocations')
@Index('uq_allocations_natural', ['prefix', 'lesseeUscc', 'validFrom'], { unique: true })
@Index('idx_allocations_lessee_agent', ['lesseeAgentId'])
@Index('idx_allocations_holder_agent', ['holderAgentId'])
@Index('idx_allocations_lessee_entity', ['lesseeEntityId'])
@Index('idx_allocations_root_carrier_holder', ['rootCarrierId', 'holderCarrierId'])
export class Allocation {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 20 })
  prefix!: string;

  @Column('int', { name: 'holder_carrier_id', nullable: true })
  holderCarrierId!: number | null;

  /**
   * No foreign key: a root's holder is its root carrier, which root_carrier_id's key ties (migration 1764130000000).
   */
  @ManyToOne('Carrier', { nullable: true, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'holder_carrier_id' })
  holderCarrier!: Carrier | null;

  @Column('int', { name: 'holder_agent_id', nullable: true })
  holderAgentId!: number | null;

  @ManyToOne('Agent', { nullable: true })
  @JoinColumn({ name: 'holder_agent_id', foreignKeyConstraintName: 'fk_allocations_holder_agent' })
  holderAgent!: Agent | null;

  @Column('varchar', { name: 'lessee_kind', length: 6 })
  lesseeKind!: LesseeKind;

  /** The lessee's USCC: with prefix and validFrom it is the allocation's natural key. */
  @Column('varchar', { name: 'lessee_uscc', length: 18 })
  lesseeUscc!: string;

  @Column('int', { name: 'lessee_agent_id', nullable: true })
  lesseeAgentId!: number | null;

  @ManyToOne('Agent', { nullable: true })
  @JoinColumn({ name: 'lessee_agent_id', foreignKeyConstraintName: 'fk_allocations_lessee_agent' })
  lesseeAgent!: Agent | null;

  @Column('int', { name: 'lessee_entity_id', nullable: true })
  lesseeEntityId!: number | null;

  @ManyToOne('UsingEntity', { nullable: true })
  @JoinColumn({ name: 'lessee_entity_id', foreignKeyConstraintName: 'fk_allocations_lessee_entity' })
  lesseeEntity!: UsingEntity | null;

  /** First day of validity, YYYY-MM-DD. */
  @Column('date', { name: 'valid_from' })
  validFrom!: string;

  /** Last day of validity (inclusive), YYYY-MM-DD; null = open-ended. */
  @Column('date', { name: 'valid_to', nullable: true })
  validTo!: string | null;

  @Column('varchar', { name: 'miit_filing_no', length: 64, nullable: true })
  miitFilingNo!: string | null;

  /** false when the agent never declared this hand-over to the carrier. */
  @Column('boolean', { default: true })
  declared!: boolean;

  @Column('int', { name: 'parent_id', nullable: true })
  parentId!: number | null;

  /** No foreign key: the importer, the only writer, resolves every parent (migration 1764130000000). */
  @ManyToOne('Allocation', { nullable: true, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'parent_id' })
  parent!: Allocation | null;

  /**
   * The carrier at the root of this allocation's chain: what a carrier's staff may see is exactly
   * the allocations with their carrier here. Set by the importer from the parent's.
   */
  @Column('int', { name: 'root_carrier_id' })
  rootCarrierId!: number;

  @ManyToOne('Carrier')
  @JoinColumn({ name: 'root_carrier_id', foreignKeyConstraintName: 'fk_allocations_root_carrier' })
  rootCarrier!: Carrier;

  /** Agents in the chain down to this lessee: a first-level agent's grant is 1. */
  @Column('int')
  level!: number;
}
