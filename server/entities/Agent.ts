import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 代理商/服务商: a company that holds or re-leases number ranges. */
@Entity('agents')
@Index('uq_agents_uscc', ['uscc'], { unique: true })
@Index('idx_agents_name', ['name'])
export class Agent {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 18 })
  uscc!: string;

  @Column('varchar', { length: 200 })
  name!: string;

  /** 增值电信业务经营许可证 number, e.g. B2-20190001; null when the agent has none. */
  @Column('varchar', { name: 'licence_no', length: 64, nullable: true })
  licenceNo!: string | null;

  @Column('varchar', { length: 200, nullable: true })
  contact!: string | null;

  @Column('varchar', { length: 300, nullable: true })
  address!: string | null;
}
