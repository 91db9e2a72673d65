import { ancestry, chainEvidence, rootCarrierOf, trafficSubject } from './evidence.ts';
import { overlappingPairs } from './overlaps.ts';
import { filedSignatures, type FiledSignatures, type MessageSignature } from './signatures.ts';
import type { AuditedMessage, Rule } from './types.ts';
import type { FindingEvidence } from '../entities/Finding.ts';
import { shanghaiDayStart } from '../numbering/time.ts';
import { float64Column, int32Column, Interner } from '../util/columns.ts';
import { allocationsOf } from './allocations.ts';
import { NumberIds } from './numberIds.ts';
import { listOf, phrase } from '../i18n/phrase.ts';

/**
 * NUMBER_MULTI_ENTITY (docs/domain.md#number_multi_entity): one number maps to two using entities
 * at the same moment, or traffic from one number carries signatures of two unrelated entities
 * ("one number, one entity"). In the tree: two grants to different entities, in different parents'
 * trees (siblings are OVERLAPPING_ALLOCATION's), whose prefixes and periods overlap. In the
 * traffic: the signatures one number sent under belong (by filing) to two or more entities with
 * different USCCs, within one allocation of the number: a number passed from one entity to the next
 * is not this.
 */
export const numberMultiEntity: Rule = {
  code: 'NUMBER_MULTI_ENTITY',
  start: (snapshot) => {
    const firsts = new FirstSightings(filedSignatures(snapshot));
    /**
     * By number id, the numbers FirstSightings no longer answers for; one seen under another allocation too chains on
     * through `next`.
     */
    const detailed = new Map<number, Group>();
    /** The groups that showed a second owner, in that order. */
    const multiple: Group[] = [];
    return {
      *structure() {
        const { all, byId } = allocationsOf(snapshot);
        const grants = all.filter((a) => a.lessee.kind === 'entity');
        for (const [a, b] of overlappingPairs(grants)) {
          if (a.parentId === b.parentId || a.lessee.key === b.lessee.key) continue;
          const links = ancestry(b, byId);
          yield {
            rule: 'NUMBER_MULTI_ENTITY',
            severity: 'high',
            key: ['tree', a.prefix, a.lessee.key, a.validFrom, b.prefix, b.lessee.key, b.validFrom],
            rootCarrierId: rootCarrierOf(links),
            agent: b.holder.kind === 'agent' ? b.holder.key : null,
            prefix: b.prefix,
            number: null,
            message: null,
            complaint: null,
            entity: b.lessee.key,
            text: phrase('finding.NUMBER_MULTI_ENTITY.tree', {
              prefix: b.prefix,
              first: a.lessee.name,
              firstVia: a.holder.name,
              second: b.lessee.name,
              secondVia: b.holder.name,
            }),
            evidence: { chain: [...chainEvidence(ancestry(a, byId)), ...chainEvidence(links)] },
            occurredAt: shanghaiDayStart(a.validFrom > b.validFrom ? a.validFrom : b.validFrom),
          };
        }
      },
      message(context) {
        const { message, signatures } = context;
        if (signatures.length === 0) return null;
        const leafId = context.leaf?.id ?? NO_LEAF;
        let number = -1;
        for (const signature of signatures) {
          const { filed } = signature;
          if (!filed) continue;
          if (number < 0) number = firsts.numbers.idOf(message.sender);
          for (let k = 0; k < filed.owners.length; k++) {
            const owner = filed.owners[k];
            if (firsts.absorbs(number, leafId, filed.ownerNumbers[k], message, signature)) continue;
            let head = detailed.get(number);
            if (!head) detailed.set(number, (head = firsts.moved(number, message.sender)));
            let group: Group | null = head;
            while (group && group.leafId !== leafId) group = group.next;
            if (!group) {
              detailed.set(number, {
                sender: message.sender,
                leafId,
                sightings: [sightingOf(owner, message, signature)],
                subject: null,
                text: null,
                next: head,
              });
              continue;
            }
            if (group.sightings.some((s) => s.owner === owner)) continue;
            group.sightings.push(sightingOf(owner, message, signature));
            if (group.subject === null) multiple.push(group);
            // Of the first message showing the latest new owner: what the finding points at.
            group.subject = trafficSubject(context);
            group.text = { text: message.content, span: { start: signature.start, end: signature.end } };
          }
        }
        return null;
      },
      *finish() {
        for (const group of multiple) {
          const subject = group.subject!;
          const signatures = group.sightings.map((m) =>
            phrase('finding.NUMBER_MULTI_ENTITY.signature', {
              signature: m.signature,
              entity: snapshot.entities.get(m.owner)?.name ?? m.owner,
            }),
          );
          const first = [...group.sightings].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime())[0];
          yield {
            rule: 'NUMBER_MULTI_ENTITY',
            severity: 'high',
            key: ['traffic', group.sender, subject.prefix ?? ''],
            ...subject,
            number: group.sender,
            message: { id: first.id, ref: first.ref },
            complaint: null,
            text: phrase('finding.NUMBER_MULTI_ENTITY.traffic', {
              sender: group.sender,
              count: group.sightings.length,
              signatures: listOf(signatures),
            }),
            evidence: { ...subject.evidence, ...group.text, facts: { owners: group.sightings.length } },
            occurredAt: first.sentAt,
          };
        }
      },
    };
  },
};

/** The first message that showed a signature filed by `owner`. */
interface Sighting {
  owner: string;
  id: number;
  ref: string | null;
  signature: string;
  sentAt: Date;
}

function sightingOf(owner: string, message: AuditedMessage, signature: MessageSignature): Sighting {
  return { owner, id: message.id, ref: message.ref, signature: signature.text, sentAt: message.sentAt };
}

/**
 * One number's traffic under one allocation. Nearly every number shows one owner only, so the
 * finding's subject is worked out when a second owner shows, not for every number.
 */
interface Group {
  sender: string;
  /** Its allocation's id, NO_LEAF for none. */
  leafId: number;
  sightings: Sighting[];
  /** Set when a second owner shows, from the message of the latest new owner. */
  subject: ReturnType<typeof trafficSubject> | null;
  text: Pick<FindingEvidence, 'text' | 'span'> | null;
  /** The same number under another allocation. */
  next: Group | null;
}

const NO_LEAF = -1;
/** In FirstSightings.owners: the number has moved to Group objects. */
const MOVED = -1;

/**
 * The first sighting of each number, in columns by NumberIds id: all that nearly every number
 * ever needs, without an object or a string kept per number. A number that shows a second owner,
 * or sends under a second allocation, moves to Group objects.
 */
class FirstSightings {
  readonly numbers = new NumberIds();
  /** Allocation ids: floats, as ids past 32 bits (TiDB's AUTO_RANDOM, docs/scaling.md) are exact only there. */
  private readonly leaves = float64Column();
  /** The owner's number among FiledSignatures.filers, or MOVED. */
  private readonly owners = int32Column();
  /** The signature's number among FiledSignatures.all when written as filed, else ~ its number in `otherTexts`. */
  private readonly signatures = int32Column();
  private readonly messageIds = float64Column();
  private readonly sentAt = float64Column();
  private readonly refs: Array<string | null> = [];
  private readonly otherTexts = new Interner<string>();

  constructor(private readonly filed: FiledSignatures) {}

  /**
   * Whether the sighting needs nothing more: the number's first (it is kept here), or the same
   * owner again under the same allocation.
   */
  absorbs(
    number: number,
    leafId: number,
    owner: number,
    message: AuditedMessage,
    signature: MessageSignature,
  ): boolean {
    if (number === this.leaves.length) {
      this.leaves.push(leafId);
      this.owners.push(owner);
      this.signatures.push(
        signature.text === signature.filed!.key ? signature.filed!.n : ~this.otherTexts.of(signature.text),
      );
      this.messageIds.push(message.id);
      this.sentAt.push(message.sentAt.getTime());
      this.refs.push(message.ref);
      return true;
    }
    const known = this.owners.data[number];
    return known === owner && this.leaves.data[number] === leafId;
  }

  /** The number's first sighting as a Group, from now on the only record of it. */
  moved(number: number, sender: string): Group {
    const signature = this.signatures.data[number];
    const sighting: Sighting = {
      owner: this.filed.filers[this.owners.data[number]],
      id: this.messageIds.data[number],
      ref: this.refs[number],
      signature: signature >= 0 ? this.filed.all[signature].key : this.otherTexts.values[~signature],
      sentAt: new Date(this.sentAt.data[number]),
    };
    this.owners.data[number] = MOVED;
    this.refs[number] = null;
    return { sender, leafId: this.leaves.data[number], sightings: [sighting], subject: null, text: null, next: null };
  }
}
