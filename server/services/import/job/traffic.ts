import { createHash } from 'node:crypto';
import { Complaint, Message } from '../../../entities/index.ts';
import type { DatasetTable } from '../../../dataset/readers.ts';
import { compactPhone, normalisePhone } from '../../../numbering/phone.ts';
import type { ImportJob } from './core.ts';

/** messages.recipient holds 20 characters: E.164 has at most 16. */
const RECIPIENT_MAX = 20;

/**
 * The traffic's files: messages and complaints, each row keyed by its id or, without one, by a
 * hash of what it says, so that importing the same traffic again changes nothing.
 */
export class TrafficPass {
  constructor(private readonly job: ImportJob) {}

  async importMessages(table: DatasetTable): Promise<void> {
    const job = this.job;
    const unique = job.duplicateCheck();
    const batch = job.batcher(Message, ['natural_key'], ['external_id', 'sender', 'sent_at', 'content', 'recipient']);
    await job.eachRow(table, (row) => {
      const externalId = row.optional('id', 64);
      const sender = row.number106('sender', 'number');
      const sentAt = row.timestamp('sent_at', true);
      const content = row.required('content', 5000);
      let recipient: string | null = null;
      const recipientRaw = row.raw('recipient');
      if (recipientRaw !== '') {
        const phone = normalisePhone(recipientRaw);
        if (phone.ok) {
          recipient = phone.value;
        } else {
          // docs/dataset-format.md#values: an optional field that does not parse is kept,
          // normalised where it can be, and reported.
          const kept = compactPhone(recipientRaw);
          if ([...kept].length <= RECIPIENT_MAX) {
            recipient = kept;
            row.warning('recipient', recipientRaw, phone.code);
          } else {
            row.warning('recipient', recipientRaw, 'recipient.not_kept', { max: RECIPIENT_MAX });
          }
        }
      }
      if (row.bad) return;
      const naturalKey =
        externalId !== null ? `id:${externalId}` : `h:${sha256([sender!, sentAt!.toISOString(), content!])}`;
      if (!unique(row, naturalKey, externalId !== null ? 'id' : 'content', externalId ?? content!)) return;
      return batch.add({
        externalId,
        naturalKey,
        sender: sender!,
        sentAt: sentAt!,
        content: content!,
        recipient,
      } as Message);
    });
    await batch.flush();
  }

  async importComplaints(table: DatasetTable): Promise<void> {
    const job = this.job;
    const unique = job.duplicateCheck();
    const batch = job.batcher(
      Complaint,
      ['natural_key'],
      ['external_id', 'sender', 'reported_at', 'received_at', 'loss_yuan', 'region', 'summary'],
    );
    await job.eachRow(table, (row) => {
      const externalId = row.optional('id', 64);
      const sender = row.number106('sender', 'number');
      const reportedAt = row.timestamp('reported_at', true);
      const receivedAt = row.timestamp('received_at', false);
      const lossRaw = row.raw('loss_yuan');
      let lossYuan: string | null = null;
      if (lossRaw !== '') {
        if (/^\d{1,12}(\.\d{1,2})?$/.test(lossRaw)) lossYuan = Number(lossRaw).toFixed(2);
        else row.issue('loss_yuan', lossRaw, 'complaint.bad_amount');
      }
      const region = row.optional('region', 100);
      const summary = row.optional('summary', 5000);
      if (row.bad) return;
      const naturalKey =
        externalId !== null
          ? `id:${externalId}`
          : `h:${sha256([sender!, reportedAt!.toISOString(), receivedAt?.toISOString() ?? '', lossYuan ?? '', region ?? '', summary ?? ''])}`;
      if (!unique(row, naturalKey, externalId !== null ? 'id' : 'sender', externalId ?? sender!)) return;
      return batch.add({
        externalId,
        naturalKey,
        sender: sender!,
        reportedAt: reportedAt!,
        receivedAt,
        lossYuan,
        region,
        summary,
      } as Complaint);
    });
    await batch.flush();
  }
}

function sha256(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}
