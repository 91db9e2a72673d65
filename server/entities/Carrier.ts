import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 运营商: the root of every allocation tree. */
@Entity('carriers')
@Index('uq_carriers_code', ['code'], { unique: true })
export class Carrier {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 16 })
  code!: string;

  @Column('varchar', { length: 100 })
  name!: string;
}
