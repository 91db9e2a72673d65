import type { DataSource } from 'typeorm';
import { Finding, Message } from '../../entities/index.ts';
import { AuditPass, type MessageVerdict } from '../../rules/engine.ts';
import { RULES } from '../../rules/index.ts';
import type { TrafficContext } from '../../rules/types.ts';
import { loadSnapshot } from './auditRuns.ts';
import { likeEscape } from '../../util/like.ts';
import { scoped, scopedWhere, type Scope } from '../accounts/scope.ts';

export interface MessageFilter {
  /** Digits the sender starts with. */
  sender?: string;
  /** Text the content contains. */
  text?: string;
}

/** Messages in scope (a carrier's staff: those attributed to their carrier), newest first. */
export async function listMessages(
  dataSource: DataSource,
  scope: Scope,
  filter: MessageFilter,
  page: number,
  perPage: number,
): Promise<{ rows: Message[]; total: number }> {
  const query = scoped.traffic(dataSource.getRepository(Message).createQueryBuilder('m'), scope);
  if (filter.sender) query.andWhere("m.sender LIKE :sender ESCAPE '!'", { sender: `${likeEscape(filter.sender)}%` });
  if (filter.text) query.andWhere("m.content LIKE :text ESCAPE '!'", { text: `%${likeEscape(filter.text)}%` });
  const [rows, total] = await query
    .orderBy('m.sent_at', 'DESC')
    .addOrderBy('m.id', 'DESC')
    .skip((page - 1) * perPage)
    .take(perPage)
    .getManyAndCount();
  return { rows, total };
}

export interface MessageExplanation {
  message: Message;
  context: TrafficContext;
  verdicts: MessageVerdict[];
  /** What the stored audit found about this message (any run, any status). */
  stored: Finding[];
}

/**
 * Why a message was or was not flagged: every rule is asked about it now, against the data as
 * it stands, and says what it found or why it found nothing; the findings stored for it by
 * earlier audit runs (including the rules that judge traffic as a whole) are listed beside.
 */
export async function explainMessage(
  dataSource: DataSource,
  scope: Scope,
  id: number,
): Promise<MessageExplanation | null> {
  const message = await dataSource.getRepository(Message).findOneBy({ id, ...scopedWhere.traffic(scope) });
  if (!message) return null;
  const pass = new AuditPass(await loadSnapshot(dataSource), RULES);
  const { context, verdicts } = pass.explain({
    id: message.id,
    ref: message.externalId,
    sender: message.sender,
    sentAt: message.sentAt,
    content: message.content,
  });
  const stored = await dataSource
    .getRepository(Finding)
    .find({ where: { messageId: message.id }, order: { id: 'ASC' } });
  return { message, context, verdicts, stored };
}
