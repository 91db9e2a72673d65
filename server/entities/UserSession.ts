import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { User } from './User.ts';

/**
 * A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy of
 * the database does not let anyone sign in. Kept in the database so sessions survive a restart.
 */
@Entity('user_sessions')
@Index('idx_user_sessions_user', ['userId'])
@Index('idx_user_sessions_expires', ['expiresAt'])
export class UserSession {
  /** hex SHA-256 of the cookie's token. */
  @PrimaryColumn('varchar', { name: 'token_hash', length: 64 })
  tokenHash!: string;

  @Column('int', { name: 'user_id' })
  userId!: number;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_sessions_user' })
  user!: User;

  /** The token every state-changing request of this session must carry (CSRF). */
  @Column('varchar', { name: 'csrf_token', length: 64 })
  csrfToken!: string;

  @Column('datetime', { name: 'created_at' })
  createdAt!: Date;

  @Column('datetime', { name: 'expires_at' })
  expiresAt!: Date;
}
