import { chainAt, type Chain } from '../chain/allocationIndex.ts';
import { answerableAgent } from './evidence.ts';
import { filedSignatures, signaturesOf, type FiledSignatures } from './signatures.ts';
import type {
  AuditedComplaint,
  AuditedMessage,
  AuditSnapshot,
  EntityInfo,
  Explanation,
  FindingDraft,
  MessageContext,
  Rule,
  RuleCode,
  RuleRun,
  TrafficContext,
} from './types.ts';

/** One rule's answer about one message, for the message explorer. */
export interface MessageVerdict {
  rule: RuleCode;
  findings: FindingDraft[];
  /** Why it did not fire; null when it fired, or when the rule judges traffic only as a whole. */
  explanation: Explanation | null;
  /** The rule looks at the traffic as a whole (HIDDEN_RELEASE, COMPLAINT_CLUSTER…): see the stored findings. */
  aggregate: boolean;
}

const leafOf = (chain: Chain | null) => (chain ? chain.links[chain.links.length - 1] : null);
const rootCarrierIdOf = (chain: Chain | null) =>
  chain && chain.links[0].holder.kind === 'carrier' ? chain.links[0].holder.id : null;

function collect(into: FindingDraft[], produced: FindingDraft | readonly FindingDraft[] | null | undefined): void {
  if (!produced) return;
  if (Array.isArray(produced)) for (const finding of produced as readonly FindingDraft[]) into.push(finding);
  else into.push(produced as FindingDraft);
}

/**
 * One audit over a snapshot: the structural rules, then the traffic one message or complaint at
 * a time (so a million messages never sit in memory together), then what the aggregate rules
 * concluded. Pure: the same snapshot and traffic give the same findings.
 */
export class AuditPass {
  private readonly runs: RuleRun[];
  private readonly codes: RuleCode[];
  private readonly messageRules: Array<NonNullable<RuleRun['message']>>;
  private readonly complaintRules: Array<NonNullable<RuleRun['complaint']>>;
  private readonly filed: FiledSignatures;
  /** Each registered entity's record as the pass met it, by its number in the index (Chain.entityNumber). */
  private readonly entities: Array<EntityInfo | null | undefined>;

  constructor(
    private readonly snapshot: AuditSnapshot,
    rules: readonly Rule[],
  ) {
    this.filed = filedSignatures(snapshot);
    this.entities = new Array(snapshot.index.partyCount).fill(undefined);
    this.runs = rules.map((rule) => rule.start(snapshot));
    this.codes = rules.map((rule) => rule.code);
    this.messageRules = this.runs.flatMap((run) => (run.message ? [run.message.bind(run)] : []));
    this.complaintRules = this.runs.flatMap((run) => (run.complaint ? [run.complaint.bind(run)] : []));
  }

  structure(): FindingDraft[] {
    const findings: FindingDraft[] = [];
    for (const run of this.runs) if (run.structure) for (const finding of run.structure()) findings.push(finding);
    return findings;
  }

  /** Who held `sender` at `at`, and what every traffic rule wants to know about that. */
  #trafficContext(sender: string, at: Date): TrafficContext {
    const chain = chainAt(this.snapshot.index, sender, at);
    return {
      chain,
      leaf: leafOf(chain),
      entity: this.#entityIn(chain),
      agent: answerableAgent(chain),
      rootCarrierId: rootCarrierIdOf(chain),
    };
  }

  /** The registered using entity of a chain's leaf: its record, remembered by the entity's number in the index. */
  #entityIn(chain: Chain | null): EntityInfo | null {
    if (chain === null || chain.entityNumber < 0) return null;
    let entity = this.entities[chain.entityNumber];
    if (entity === undefined)
      this.entities[chain.entityNumber] = entity = this.snapshot.entities.get(chain.entity!.key) ?? null;
    return entity;
  }

  #messageContext(message: AuditedMessage): MessageContext {
    // The traffic context's fields written out here: one object per message rather than two.
    const chain = chainAt(this.snapshot.index, message.sender, message.sentAt);
    return {
      chain,
      leaf: leafOf(chain),
      entity: this.#entityIn(chain),
      agent: answerableAgent(chain),
      rootCarrierId: rootCarrierIdOf(chain),
      message,
      signatures: signaturesOf(message.content, this.filed),
    };
  }

  message(message: AuditedMessage): FindingDraft[] {
    const findings: FindingDraft[] = [];
    this.#audit(message, findings);
    return findings;
  }

  /** `message` for each of a page of messages, the findings in message order. */
  messages(messages: Iterable<AuditedMessage>): FindingDraft[] {
    const findings: FindingDraft[] = [];
    for (const message of messages) this.#audit(message, findings);
    return findings;
  }

  #audit(message: AuditedMessage, findings: FindingDraft[]): void {
    const context = this.#messageContext(message);
    for (const rule of this.messageRules) collect(findings, rule(context));
  }

  /** Every rule's verdict on one message, with the reason when it did not fire. */
  explain(message: AuditedMessage): { context: TrafficContext; verdicts: MessageVerdict[] } {
    const context = this.#messageContext(message);
    const verdicts: MessageVerdict[] = [];
    this.runs.forEach((run, i) => {
      if (!run.message) return;
      const findings: FindingDraft[] = [];
      collect(findings, run.message(context));
      const aggregate = run.finish !== undefined && findings.length === 0 && !run.explain;
      verdicts.push({
        rule: this.codes[i],
        findings,
        aggregate,
        explanation: findings.length === 0 && run.explain ? run.explain(context) : null,
      });
    });
    return { context, verdicts };
  }

  complaint(complaint: AuditedComplaint): FindingDraft[] {
    const context = { ...this.#trafficContext(complaint.sender, complaint.reportedAt), complaint };
    const findings: FindingDraft[] = [];
    for (const rule of this.complaintRules) collect(findings, rule(context));
    return findings;
  }

  /**
   * The end of one thread's share of the traffic (services/audit/auditShares.ts): the findings of the
   * rules that gather per number, and, per rule, what the rules that gather across numbers
   * gathered (undefined for the others), for the main thread's pass to `gather`.
   */
  finishShare(): { findings: FindingDraft[]; gathered: unknown[] } {
    const findings: FindingDraft[] = [];
    const gathered: unknown[] = [];
    for (const run of this.runs) {
      if (run.gathered) gathered.push(run.gathered());
      else {
        gathered.push(undefined);
        if (run.finish) for (const finding of run.finish()) findings.push(finding);
      }
    }
    return { findings, gathered };
  }

  /** Takes in what another thread's pass over the same rules gathered (finishShare). */
  gather(gathered: readonly unknown[]): void {
    this.runs.forEach((run, i) => {
      if (gathered[i] !== undefined) run.gather!(gathered[i]);
    });
  }

  finish(): FindingDraft[] {
    const findings: FindingDraft[] = [];
    for (const run of this.runs) if (run.finish) for (const finding of run.finish()) findings.push(finding);
    return findings;
  }
}
