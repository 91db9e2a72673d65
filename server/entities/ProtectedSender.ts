import { Column, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

/** A government or other sender whose name must not be used by anyone else. */
@Entity('protected_senders')
@Index('uq_protected_senders_name', ['name'], { unique: true })
export class ProtectedSender {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 100 })
  name!: string;

  @Column('varchar', { length: 18, nullable: true })
  uscc!: string | null;

  /** Other names the sender is known by, in file order. */
  @Column('simple-json')
  aliases!: string[];

  /** Bumped by every change: an edit form made from an older version is refused. */
  @VersionColumn({ type: 'int', default: 1 })
  version!: number;
}
