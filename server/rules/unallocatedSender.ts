import { beijingMinute, trafficSubject } from './evidence.ts';
import type { FindingDraft, Rule, TrafficContext } from './types.ts';
import { phrase } from '../i18n/phrase.ts';

/**
 * UNALLOCATED_SENDER (docs/domain.md#unallocated_sender): a message or complaint from a number with
 * no valid allocation at that moment (expired / never granted). A number that was held only by an
 * agent, with no using entity registered, also has no one it "maps to" ("every number maps to
 * exactly one using entity"): reported under the same rule, naming the agent, one severity lower.
 */
export const unallocatedSender: Rule = {
  code: 'UNALLOCATED_SENDER',
  start: () => ({
    message: (context) =>
      context.entity
        ? null
        : draft(
            context,
            context.message.sender,
            context.message.sentAt,
            { message: { id: context.message.id, ref: context.message.ref }, complaint: null },
            'message',
            context.message.content,
          ),
    explain: ({ entity, leaf }) => ({
      zh: `发送时号码登记给使用主体${entity?.name ?? ''}（${leaf?.prefix ?? ''}）`,
      en: `At the time the number was registered to ${entity?.name ?? ''} (${leaf?.prefix ?? ''})`,
    }),
    complaint: (context) =>
      draft(
        context,
        context.complaint.sender,
        context.complaint.reportedAt,
        { message: null, complaint: { id: context.complaint.id, ref: context.complaint.ref } },
        'complaint',
        context.complaint.summary,
      ),
  }),
};

function draft(
  context: TrafficContext,
  sender: string,
  at: Date,
  subject: Pick<FindingDraft, 'message' | 'complaint'>,
  kind: 'message' | 'complaint',
  text: string | null,
): FindingDraft | null {
  if (context.entity) return null;
  const item = subject.message ?? subject.complaint!;
  const key = [kind, String(item.ref ?? item.id)];
  const when = beijingMinute(at);
  if (!context.chain) {
    return {
      rule: 'UNALLOCATED_SENDER',
      severity: kind === 'complaint' ? 'high' : 'medium',
      key,
      ...trafficSubject(context),
      number: sender,
      ...subject,
      text: phrase(`finding.UNALLOCATED_SENDER.${kind}`, { sender, when }),
      evidence: text ? { text } : {},
      occurredAt: at,
    };
  }
  const leaf = context.leaf!;
  const subjectFields = trafficSubject(context);
  return {
    rule: 'UNALLOCATED_SENDER',
    severity: kind === 'complaint' ? 'medium' : 'low',
    key,
    ...subjectFields,
    number: sender,
    ...subject,
    text: phrase(`finding.UNALLOCATED_SENDER.${kind}_agent_only`, {
      sender,
      when,
      agent: leaf.lessee.name,
      prefix: leaf.prefix,
    }),
    evidence: { ...subjectFields.evidence, ...(text ? { text } : {}) },
    occurredAt: at,
  };
}
