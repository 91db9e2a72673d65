import { Column, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

/** A law or regulation a rectification notice cites as its basis; staff fill in the articles. */
@Entity('legal_instruments')
@Index('uq_legal_instruments_title', ['title'], { unique: true })
export class LegalInstrument {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** As cited, with its 书名号: 《中华人民共和国反电信网络诈骗法》. */
  @Column('varchar', { length: 200 })
  title!: string;

  /** The articles a notice quotes, as staff wrote them. */
  @Column('text', { nullable: true })
  articles!: string | null;

  /** Order in lists and on notices. */
  @Column('int', { default: 0 })
  position!: number;

  /** Bumped by every change: an edit form made from an older version is refused. */
  @VersionColumn({ type: 'int', default: 1 })
  version!: number;
}
