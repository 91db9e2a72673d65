import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';

/** Who issues notices: a carrier's compliance department or a regulator's office (admin-editable). */
@Entity('issuers')
@Index('uq_issuers_code', ['code'], { unique: true })
export class Issuer {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** 发文机关代字, the part before 〔YYYY〕 in a document number: `京通管` in 京通管〔2026〕12号. */
  @Column('varchar', { length: 20 })
  code!: string;

  /** 发文机关全称, printed in red at the top of the notice. */
  @Column('varchar', { length: 200 })
  name!: string;

  /** The carrier whose staff issue under this code; null: a regulator's office. */
  @Column('int', { name: 'carrier_id', nullable: true })
  carrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'carrier_id', foreignKeyConstraintName: 'fk_issuers_carrier' })
  carrier!: Carrier | null;

  /** 署名: the department that signs, above the date. */
  @Column('varchar', { length: 200 })
  signatory!: string;

  /** 抄送: who gets a copy, as printed. */
  @Column('varchar', { name: 'copy_to', length: 500, nullable: true })
  copyTo!: string | null;

  /** 印发机关, printed in the footer block. */
  @Column('varchar', { name: 'printed_by', length: 200 })
  printedBy!: string;

  @VersionColumn({ type: 'int', default: 1 })
  version!: number;
}
