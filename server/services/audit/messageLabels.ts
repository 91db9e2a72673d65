/**
 * Staff labels on messages: a carrier's compliance clerk marks a message as impersonating a
 * government body or public service, a brand, or as legitimate, with a reason (logged in the
 * audit log), and `sms106 export` writes the labels in the real-world corpus's format, so that the
 * carrier's own misses and false alarms become regression cases (test/fixtures/realworld/README.md).
 */
import { QueryFailedError, type DataSource } from 'typeorm';
import { Message } from '../../entities/index.ts';
import { MESSAGE_LABELS, MessageLabel, type MessageLabelValue } from '../../entities/MessageLabel.ts';
import { normaliseUscc, usccKind } from '../../numbering/uscc.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import { scopedWhere, type Scope } from '../accounts/scope.ts';
import { UserError } from '../../errors.ts';

export { MESSAGE_LABELS, type MessageLabelValue };

/** Why a label could not be set: an i18n key. */
export class MessageLabelError extends UserError {
  constructor(readonly code: 'messages.label_not_found' | 'messages.label_changed_meanwhile') {
    super(409, code);
  }
}

/**
 * The label on a message, or null. The caller has found the message in the user's scope: the
 * label goes with the message, whichever carrier the message was attributed to when labelled.
 */
export async function labelOf(dataSource: DataSource, messageId: number): Promise<MessageLabel | null> {
  return dataSource.getRepository(MessageLabel).findOneBy({ messageId });
}

/** True for the store's refusal of a second row with the same unique key (MySQL/MariaDB, SQLite). */
function isDuplicateKey(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string }) : null;
  return driverError?.code === 'ER_DUP_ENTRY' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export interface LabelChange {
  label: MessageLabelValue;
  reason: string;
  /** The version of the label the form was made from; 0 when the message had none. */
  expectedVersion: number;
  /** The registered using entity when the message was sent, as the message page resolved it. */
  entity: { uscc: string; name: string } | null;
}

/**
 * Sets (or changes) the label of a message in scope and logs it; refused when someone else
 * changed the label since the form was shown.
 */
export async function setMessageLabel(
  dataSource: DataSource,
  scope: Scope,
  messageId: number,
  change: LabelChange,
  actor: Actor,
): Promise<MessageLabel> {
  try {
    return await saveLabel(dataSource, scope, messageId, change, actor);
  } catch (error) {
    // Two first labels at once: the second insert meets the first's row.
    if (isDuplicateKey(error)) throw new MessageLabelError('messages.label_changed_meanwhile');
    throw error;
  }
}

async function saveLabel(
  dataSource: DataSource,
  scope: Scope,
  messageId: number,
  change: LabelChange,
  actor: Actor,
): Promise<MessageLabel> {
  return dataSource.transaction(async (manager) => {
    const message = await manager.findOneBy(Message, { id: messageId, ...scopedWhere.traffic(scope) });
    if (!message) throw new MessageLabelError('messages.label_not_found');
    const existing = await manager.findOneBy(MessageLabel, { messageId });
    if ((existing?.version ?? 0) !== change.expectedVersion)
      throw new MessageLabelError('messages.label_changed_meanwhile');
    const fields = {
      messageId,
      messageRef: message.externalId,
      sender: message.sender,
      sentAt: message.sentAt,
      content: message.content,
      rootCarrierId: message.rootCarrierId,
      entityUscc: change.entity?.uscc ?? null,
      entityName: change.entity?.name.slice(0, 200) ?? null,
      label: change.label,
      reason: change.reason.slice(0, 1000),
      labelledBy: actor.slice(0, 100),
      labelledAt: new Date(),
    };
    let saved: MessageLabel;
    if (existing === null) saved = await manager.save(manager.create(MessageLabel, fields));
    else {
      const result = await manager
        .createQueryBuilder()
        .update(MessageLabel)
        .set({ ...fields, version: existing.version + 1 })
        .where('id = :id AND version = :version', { id: existing.id, version: existing.version })
        .execute();
      if (result.affected === 0) throw new MessageLabelError('messages.label_changed_meanwhile');
      saved = await manager.findOneByOrFail(MessageLabel, { id: existing.id });
    }
    await recordAudit(manager, {
      actor,
      action: 'message.labelled',
      subject: `message:${messageId}`,
      before: existing === null ? null : { messageId, label: existing.label, reason: existing.reason },
      after: { messageId, label: change.label, reason: change.reason },
    });
    return saved;
  });
}

/** The columns of a labels export: the real-world corpus's (test/fixtures/realworld/README.md). */
export const CORPUS_COLUMNS = [
  'id',
  'split',
  'label',
  'kind',
  'claims',
  'sender',
  'sender_kind',
  'text',
  'source',
  'note',
] as const;

function senderKindOf(uscc: string | null): string {
  if (uscc === null) return '';
  const kind = usccKind(normaliseUscc(uscc));
  return kind === 'government' || kind === 'institution' ? kind : 'enterprise';
}

/**
 * Every label as a corpus row. A label is a case to learn from, so its split is `tune`; the
 * source names the store's message (`sms106:message/<ref>`), and the note who labelled it, when
 * and why.
 */
export async function labelRows(
  dataSource: DataSource,
): Promise<Array<Record<(typeof CORPUS_COLUMNS)[number], string>>> {
  const labels = await dataSource.getRepository(MessageLabel).find({ order: { id: 'ASC' } });
  return labels.map((label) => {
    const ref = label.messageRef ?? `#${label.messageId ?? label.id}`;
    return {
      id: `label-${label.id}`,
      split: 'tune',
      label: label.label,
      kind: 'staff-label',
      claims: '',
      sender: label.label === 'legit' ? (label.entityName ?? '') : '',
      sender_kind: label.label === 'legit' ? senderKindOf(label.entityUscc) : '',
      text: label.content,
      source: `sms106:message/${ref}`,
      note: `${label.labelledBy} ${label.labelledAt.toISOString()} ${label.sender}: ${label.reason}`,
    };
  });
}
