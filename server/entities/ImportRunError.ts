import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ImportRun } from './ImportRun.ts';

/** One bad cell or row of a refused import: file, line, column, value, reason. */
@Entity('import_run_errors')
@Index('idx_import_run_errors_run', ['runId'])
export class ImportRunError {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('int', { name: 'run_id' })
  runId!: number;

  @ManyToOne('ImportRun', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'fk_import_run_errors_run' })
  run!: ImportRun;

  @Column('varchar', { length: 100 })
  file!: string;

  /** 1-based line (CSV) or row (XLSX); 0 for a file-level problem. */
  @Column('int')
  line!: number;

  @Column('varchar', { length: 100, nullable: true })
  column!: string | null;

  @Column('varchar', { length: 500, nullable: true })
  value!: string | null;

  @Column('varchar', { length: 500 })
  reason!: string;
}
