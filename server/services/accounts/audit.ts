import os from 'node:os';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from '../../entities/index.ts';

/** Who is acting: a user's name, or the command line's operating-system user. */
export type Actor = string;

export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the command line is still the actor.
  }
  return `cli:${user}`;
}

export async function recordAudit(
  db: DataSource | EntityManager,
  event: {
    actor: Actor;
    action: string;
    subject: string;
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
  },
): Promise<void> {
  const manager = 'manager' in db ? db.manager : db;
  await manager.save(
    manager.create(AuditEvent, {
      at: new Date(),
      actor: event.actor.slice(0, 100),
      action: event.action,
      subject: event.subject.slice(0, 200),
      before: event.before ?? null,
      after: event.after ?? null,
    }),
  );
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

/** The newest events first, filtered, a page at a time. */
export async function auditEvents(
  dataSource: DataSource,
  filter: AuditFilter,
  page: number,
  perPage: number,
): Promise<{ rows: AuditEvent[]; total: number }> {
  const query = dataSource
    .getRepository(AuditEvent)
    .createQueryBuilder('e')
    .orderBy('e.at', 'DESC')
    .addOrderBy('e.id', 'DESC');
  if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
  if (filter.actor) query.andWhere('e.actor = :actor', { actor: filter.actor });
  if (filter.from) query.andWhere('e.at >= :from', { from: filter.from });
  if (filter.to) query.andWhere('e.at < :to', { to: filter.to });
  const [rows, total] = await query
    .skip((page - 1) * perPage)
    .take(perPage)
    .getManyAndCount();
  return { rows, total };
}

/** The actions that exist, for the filter's choices. */
export const AUDIT_ACTIONS = [
  'import.succeeded',
  'import.refused',
  'import.failed',
  'user.created',
  'user.updated',
  'user.password_set',
  'reference.created',
  'reference.updated',
  'reference.deleted',
  'audit.succeeded',
  'audit.failed',
  'audit.cancelled',
  'finding.dismissed',
  'finding.reopened',
  'message.labelled',
  'notice.issued',
  'notice.acknowledged',
  'notice.rectified',
  'session.signed_in',
  'session.signed_out',
  'session.sign_in_failed',
] as const;
