import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  /** Rows in the dataset, when known before reading (for the progress bar). */
  @Column('int', { name: 'rows_total', nullable: true })
  rowsTotal!: number | null;

  /** Per-file counts, as JSON (services/importer.ts ImportSummary). */
  @Column('simple-json', { nullable: true })
  summary!: unknown;

  /** How many bad rows were found; the first ones are in import_run_errors. */
  @Column('int', { name: 'error_count', default: 0 })
  errorCount!: number;

  /** Why a run failed for a reason other than bad rows (e.g. the database went away). */
  @Column('varchar', { name: 'failure', length: 1000, nullable: true })
  failure!: string | null;
}
