import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';

export type ImportStatus = 'running' | 'succeeded' | 'refused' | 'failed';

/** One import of a dataset, from the web page, the CLI or the demo seed. */
@Entity('import_runs')
@Index('idx_import_runs_started', ['startedAt'])
export class ImportRun {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** What was imported: a directory, a workbook or the uploaded file names. */
  @Column('varchar', { length: 300 })
  source!: string;

  @Column('varchar', { length: 10 })
  status!: ImportStatus;

  @Column('datetime', { name: 'started_at' })
  startedAt!: Date;

  @Column('datetime', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  /** Rows read so far across all files: the progress shown while it runs. */
  @Column('int', { name: 'rows_read', default: 0 })
  rowsRead!: number;

  /** A carrier user's import is confined to that carrier's chains; null: an unconfined import. */
  @Column('int', { name: 'carrier_id', nullable: true })
  carrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'carrier_id', foreignKeyConstraintName: 'fk_import_runs_carrier' })
  carrier!: Carrier | null;

  /** Per-file counts, as JSON (services/import/importer.ts ImportSummary). */
  @Column('simple-json', { nullable: true })
  summary!: unknown;

  /** How many bad rows were found; the first ones are in import_run_errors. */
  @Column('int', { name: 'error_count', default: 0 })
  errorCount!: number;

  /** The process running it (services/import/importOwners.ts); null for runs from before owners were kept. */
  @Column('varchar', { length: 300, nullable: true })
  owner!: string | null;

  /** Why a run failed for a reason other than bad rows (e.g. the database went away). */
  @Column('varchar', { name: 'failure', length: 1000, nullable: true })
  failure!: string | null;
}
