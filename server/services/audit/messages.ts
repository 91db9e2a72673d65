import type { DataSource } from 'typeorm';
import { AuditRun, Finding, Message } from '../../entities/index.ts';
import { FINDING_STATUSES, SEVERITIES, type Severity } from '../../entities/Finding.ts';
import { AuditPass, type MessageVerdict as RuleVerdict } from '../../rules/engine.ts';
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
  /** Only messages the audit flagged (MessageVerdict). */
  flagged?: boolean;
}

/**
 * A message is flagged when the audit stored a finding about it that nobody dismissed; a message
 * whose findings were all dismissed reads as clean again.
 */
const FLAGGING_STATUSES = FINDING_STATUSES.filter((status) => status !== 'dismissed');

/** What the audit made of a message: how many live findings, and the worst of them. */
export interface MessageVerdict {
  findings: number;
  worst: Severity;
}

/** The findings in scope that flag their message (FLAGGING_STATUSES). */
function flaggingFindings(dataSource: DataSource, scope: Scope) {
  return scoped
    .findings(dataSource.getRepository(Finding).createQueryBuilder('vf'), scope)
    .andWhere('vf.status IN (:...flagging)', { flagging: FLAGGING_STATUSES });
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
  if (filter.flagged) {
    const flagging = flaggingFindings(dataSource, scope).select('1').andWhere('vf.message_id = m.id');
    query.andWhere(`EXISTS (${flagging.getQuery()})`, flagging.getParameters());
  }
  const [rows, total] = await query
    .orderBy('m.sent_at', 'DESC')
    .addOrderBy('m.id', 'DESC')
    .skip((page - 1) * perPage)
    .take(perPage)
    .getManyAndCount();
  return { rows, total };
}

/** The verdict on each of the messages `ids` that the audit flagged; a message not in the map is clean. */
export async function messageVerdicts(
  dataSource: DataSource,
  scope: Scope,
  ids: number[],
): Promise<Map<number, MessageVerdict>> {
  if (ids.length === 0) return new Map();
  const rows = await flaggingFindings(dataSource, scope)
    .select('vf.message_id', 'messageId')
    .addSelect('vf.severity', 'severity')
    .addSelect('COUNT(*)', 'count')
    .andWhere('vf.message_id IN (:...ids)', { ids })
    .groupBy('vf.message_id')
    .addGroupBy('vf.severity')
    .getRawMany<{ messageId: number | string; severity: Severity; count: number | string }>();
  const verdicts = new Map<number, MessageVerdict>();
  for (const row of rows) {
    const id = Number(row.messageId);
    const verdict = verdicts.get(id) ?? { findings: 0, worst: row.severity };
    verdict.findings += Number(row.count);
    if (SEVERITIES.indexOf(row.severity) > SEVERITIES.indexOf(verdict.worst)) verdict.worst = row.severity;
    verdicts.set(id, verdict);
  }
  return verdicts;
}

/** Whether any audit has finished: before one has, no message is clean, only not yet audited. */
export async function anyAuditFinished(dataSource: DataSource): Promise<boolean> {
  return dataSource.getRepository(AuditRun).existsBy({ status: 'succeeded' });
}

export interface MessageExplanation {
  message: Message;
  context: TrafficContext;
  verdicts: RuleVerdict[];
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
