import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One change to the store or to an account: who did it, when, what, and the ids it touched. */
@Entity('audit_events')
@Index('idx_audit_events_at', ['at'])
@Index('idx_audit_events_action', ['action', 'at'])
@Index('idx_audit_events_actor', ['actor', 'at'])
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('datetime')
  at!: Date;

  /** The user's name; `cli:<os user>` for the command line; `system` for the server itself. */
  @Column('varchar', { length: 100 })
  actor!: string;

  /** e.g. `import.succeeded`, `user.created`, `session.signed_in` (an i18n key under `audit.`). */
  @Column('varchar', { length: 40 })
  action!: string;

  /** What it was done to: `import_run:12`, `user:zhang.san`. */
  @Column('varchar', { length: 200 })
  subject!: string;

  /** Ids and values before the change, as JSON; null when there was nothing before. */
  @Column('simple-json', { name: 'before_state', nullable: true })
  before!: Record<string, unknown> | null;

  /** Ids and values after the change, as JSON. */
  @Column('simple-json', { name: 'after_state', nullable: true })
  after!: Record<string, unknown> | null;
}
