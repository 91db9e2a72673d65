import type { DataSource } from 'typeorm';
import { chainAt, type AllocationIndex } from '../../chain/allocationIndex.ts';
import { Complaint, Message } from '../../entities/index.ts';
import { shanghaiDate } from '../../numbering/time.ts';
import { answerableAgent } from '../../rules/evidence.ts';

const PAGE_ROWS = 20_000;

/**
 * What the traffic says about each allocation: how many messages and complaints were sent
 * through it (each one's sender resolved with chainAt at its own time; every allocation of the
 * chain counts it, so a node's count is its whole subtree's without adding children up), and the
 * complaints traced to each answerable agent per Beijing month.
 */
export interface TrafficTally {
  messagesByAllocation: Map<number, number>;
  complaintsByAllocation: Map<number, number>;
  /** Answerable agent's USCC → `<root carrier id>|<YYYY-MM>` → complaints. */
  complaintsByAgentMonth: Map<string, Map<string, number>>;
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Resolves every message and complaint once; a page of rows at a time. */
export async function loadTrafficTally(dataSource: DataSource, index: AllocationIndex): Promise<TrafficTally> {
  const tally: TrafficTally = {
    messagesByAllocation: new Map(),
    complaintsByAllocation: new Map(),
    complaintsByAgentMonth: new Map(),
  };
  let afterId = 0;
  for (;;) {
    const page = await dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .select(['m.id', 'm.sender', 'm.sentAt'])
      .where('m.id > :afterId', { afterId })
      .orderBy('m.id', 'ASC')
      .limit(PAGE_ROWS)
      .getMany();
    for (const message of page) {
      const chain = chainAt(index, message.sender, message.sentAt);
      if (chain) for (const link of chain.links) increment(tally.messagesByAllocation, link.id);
    }
    if (page.length < PAGE_ROWS) break;
    afterId = page[page.length - 1].id;
  }
  afterId = 0;
  for (;;) {
    const page = await dataSource
      .getRepository(Complaint)
      .createQueryBuilder('c')
      .select(['c.id', 'c.sender', 'c.reportedAt'])
      .where('c.id > :afterId', { afterId })
      .orderBy('c.id', 'ASC')
      .limit(PAGE_ROWS)
      .getMany();
    for (const complaint of page) {
      const chain = chainAt(index, complaint.sender, complaint.reportedAt);
      if (!chain) continue;
      for (const link of chain.links) increment(tally.complaintsByAllocation, link.id);
      // The same agent COMPLAINT_CLUSTER holds answerable: the leaf's holder when the leaf lessee
      // is an entity, else the leaf lessee.
      const agent = answerableAgent(chain);
      if (agent === null) continue;
      let months = tally.complaintsByAgentMonth.get(agent);
      if (!months) tally.complaintsByAgentMonth.set(agent, (months = new Map()));
      increment(months, `${chain.links[0].holder.id}|${shanghaiDate(complaint.reportedAt).slice(0, 7)}`);
    }
    if (page.length < PAGE_ROWS) break;
    afterId = page[page.length - 1].id;
  }
  return tally;
}

const cache = new WeakMap<AllocationIndex, Promise<TrafficTally>>();

/**
 * The tally for the current index. Messages and complaints only arrive through imports, and every
 * import replaces the index (services/lookup/lookup.ts), so a tally kept per index is never stale.
 */
export function trafficTallyFor(dataSource: DataSource, index: AllocationIndex): Promise<TrafficTally> {
  let tally = cache.get(index);
  if (!tally) {
    tally = loadTrafficTally(dataSource, index);
    tally.catch(() => cache.delete(index));
    cache.set(index, tally);
  }
  return tally;
}
