import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** One run of every rule over the stored data, from the web page or `sms106 audit`. */
/** Per carrier id: [findings, new findings]. */
export type CarrierTotals = Record<string, [number, number]>;

@Entity('audit_runs')
@Index('idx_audit_runs_started', ['startedAt'])
export class AuditRun {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 10 })
  status!: AuditRunStatus;

  @Column('varchar', { length: 100 })
  actor!: string;

  @Column('datetime', { name: 'started_at' })
  startedAt!: Date;

  @Column('datetime', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  /** Messages and complaints to read, and read so far: the progress bar. */
  @Column('int', { name: 'items_total', default: 0 })
  itemsTotal!: number;

  @Column('int', { name: 'items_done', default: 0 })
  itemsDone!: number;

  /** Findings this run produced, and how many of them were new. */
  @Column('int', { name: 'findings_total', nullable: true })
  findingsTotal!: number | null;

  @Column('int', { name: 'findings_new', nullable: true })
  findingsNew!: number | null;

  /**
   * The same two counts per carrier, keyed by carrier id: what a carrier's staff see of the run
   * (their findings only). Null for runs from before it was kept.
   */
  @Column('simple-json', { name: 'carrier_totals', nullable: true })
  carrierTotals!: CarrierTotals | null;

  @Column('varchar', { length: 1000, nullable: true })
  failure!: string | null;
}
