import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One sign-in attempt that has not (yet) succeeded: reserved before the password is checked, so
 * that parallel attempts count against the account name and the client address the moment they
 * arrive, in the store every server process shares (services/accounts/accounts.ts authenticate). A
 * successful sign-in removes its name's attempts; attempts older than the windows are pruned.
 */
@Entity('sign_in_attempts')
@Index('idx_sign_in_attempts_name', ['name', 'at'])
@Index('idx_sign_in_attempts_ip', ['ip', 'at'])
@Index('idx_sign_in_attempts_at', ['at'])
export class SignInAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  /** The name as typed (trimmed), known or not: unknown names are limited alike. */
  @Column('varchar', { length: 64 })
  name!: string;

  /** The client address as express reports it (TRUST_PROXY decides which hop). */
  @Column('varchar', { length: 64 })
  ip!: string;

  @Column('datetime')
  at!: Date;
}
