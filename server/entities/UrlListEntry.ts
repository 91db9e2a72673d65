import { Column, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

export type UrlListName = 'allow' | 'block';

/** A domain on the short-link allow-list or the block-list. */
@Entity('url_list_entries')
@Index('uq_url_list_entries_domain', ['domain'], { unique: true })
export class UrlListEntry {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 253 })
  domain!: string;

  @Column('varchar', { length: 5 })
  list!: UrlListName;

  @Column('varchar', { length: 500, nullable: true })
  note!: string | null;

  /** Bumped by every change: an edit form made from an older version is refused. */
  @VersionColumn({ type: 'int', default: 1 })
  version!: number;
}
