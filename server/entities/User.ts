import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';
import type { Carrier } from './Carrier.ts';

/** admin: users and reference data; carrier: one carrier's ranges only; regulator: reads all. */
export const ROLES = ['admin', 'carrier', 'regulator'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in. */
@Entity('users')
@Index('uq_users_name', ['name'], { unique: true })
@Index('idx_users_carrier', ['carrierId'])
export class User {
  @PrimaryGeneratedColumn('increment', { type: 'int' })
  id!: number;

  @Column('varchar', { length: 64 })
  name!: string;

  @Column('varchar', { length: 10 })
  role!: Role;

  /** The carrier a `carrier` user works for; null for the other roles. */
  @Column('int', { name: 'carrier_id', nullable: true })
  carrierId!: number | null;

  @ManyToOne('Carrier', { nullable: true })
  @JoinColumn({ name: 'carrier_id', foreignKeyConstraintName: 'fk_users_carrier' })
  carrier!: Carrier | null;

  /** `scrypt$N$r$p$salt$hash` (services/accounts/passwords.ts); null until a password is set. */
  @Column('varchar', { name: 'password_hash', length: 200, nullable: true })
  passwordHash!: string | null;

  /** Consecutive failed sign-ins; reset by a successful one. */
  @Column('int', { name: 'failed_logins', default: 0 })
  failedLogins!: number;

  @Column('datetime', { name: 'locked_until', nullable: true })
  lockedUntil!: Date | null;

  /** Set when an administrator switches the account off: it can no longer sign in. */
  @Column('datetime', { name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @Column('datetime', { name: 'created_at' })
  createdAt!: Date;

  @VersionColumn({ type: 'int' })
  version!: number;
}
