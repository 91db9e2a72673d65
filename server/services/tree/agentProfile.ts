import type { DataSource } from 'typeorm';
import type { IndexedAllocation, Party } from '../../chain/allocationIndex.ts';
import { dateOfDayNumber, dayNumber } from '../../numbering/time.ts';
import { allocationIndexFor } from '../lookup/lookup.ts';
import { carrierIdsOf, coversCarrier, type Scope } from '../accounts/scope.ts';
import {
  ancestryOn,
  growTree,
  rerootAtOnlyChild,
  NO_FINDING,
  openFindingMarks,
  layoutTree,
  treeIndexOf,
  visibleTree,
  DEFAULT_VISIBLE,
  type DatedAllocation,
  type TreeLayout,
  type TreeNode,
  type VisibleTree,
} from './tree.ts';
import { trafficTallyFor } from './treeTraffic.ts';

// Issue 6, the agent profile: where the agent sits (upstream), what hangs from it (downstream),
// the complaints traced to it month by month, and how its holdings changed over time.

export interface AgentRef {
  id: number;
  uscc: string;
  name: string;
}

export interface MonthCount {
  /** YYYY-MM, Beijing time. */
  month: string;
  count: number;
}

export interface HoldingSpan {
  allocation: IndexedAllocation;
  carrierId: number;
  /** Held through a chain valid on the chosen day. */
  current: boolean;
}

export interface AgentProfile {
  date: string;
  /** One chain root → holding per allocation the agent held on the day. */
  upstream: IndexedAllocation[][];
  /** The agent on top, its holdings on the day and everything granted from them; null when it held nothing. */
  downstream: { root: TreeNode; visible: VisibleTree; layout: TreeLayout } | null;
  /** Every month from the first complaint traced to the agent to the last (at most MAX_MONTHS, the latest). */
  complaintsByMonth: MonthCount[];
  complaintsTotal: number;
  /** Its holdings over all time, by start date (at most MAX_SPANS, the latest). */
  holdings: HoldingSpan[];
  holdingsTotal: number;
}

export const MAX_MONTHS = 36;
export const MAX_SPANS = 40;
/** The profile's drawing opens this many levels below the agent; the tree page opens more. */
export const PROFILE_DEPTH = 3;

function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number);
  const [lastYear, lastMonth] = last.split('-').map(Number);
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

/**
 * The agent's profile on `date` (YYYY-MM-DD), within `scope`: a carrier's staff see only the
 * holdings, subtrees and complaints in their carrier's tree.
 */
export async function agentProfile(
  dataSource: DataSource,
  scope: Scope,
  agent: AgentRef,
  date: string,
): Promise<AgentProfile> {
  const index = await allocationIndexFor(dataSource);
  const treeIndex = treeIndexOf(index);
  const day = dayNumber(date);
  const inScope = (dated: DatedAllocation) => coversCarrier(scope, dated.carrierId);
  const held = (treeIndex.byLessee.get(`agent:${agent.uscc}`) ?? []).filter(inScope);

  const upstream: IndexedAllocation[][] = [];
  const current: DatedAllocation[] = [];
  for (const dated of held) {
    const chain = ancestryOn(treeIndex, dated, day);
    if (!chain) continue;
    upstream.push(chain);
    current.push(dated);
  }
  // A holding inside another of its holdings' subtrees is drawn there, not a second time on top.
  const currentIds = new Set(current.map((d) => d.allocation.id));
  const tops = current.filter((dated) =>
    upstream
      .find((chain) => chain[chain.length - 1].id === dated.allocation.id)!
      .slice(0, -1)
      .every((link) => !currentIds.has(link.id)),
  );

  const [marks, tally] = await Promise.all([
    openFindingMarks(dataSource, carrierIdsOf(scope)),
    trafficTallyFor(dataSource, index),
  ]);
  let downstream: AgentProfile['downstream'] = null;
  if (tops.length > 0) {
    const party: Party = { kind: 'agent', id: agent.id, key: agent.uscc, name: agent.name };
    const root = rerootAtOnlyChild(
      growTree(party, marks.byAgent.get(agent.uscc) ?? NO_FINDING, tops, { treeIndex, day, marks, tally }),
    );
    const visible = visibleTree(root, {
      ...DEFAULT_VISIBLE,
      depth: PROFILE_DEPTH,
      toggled: new Set(),
      hits: new Set(),
    });
    downstream = { root, visible, layout: layoutTree(visible.top) };
  }

  const byMonth = new Map<string, number>();
  for (const [key, count] of tally.complaintsByAgentMonth.get(agent.uscc) ?? []) {
    const [carrierId, month] = key.split('|');
    if (!coversCarrier(scope, Number(carrierId))) continue;
    byMonth.set(month, (byMonth.get(month) ?? 0) + count);
  }
  const months = [...byMonth.keys()].sort();
  const complaintsByMonth =
    months.length === 0
      ? []
      : monthsBetween(months[0], months[months.length - 1])
          .slice(-MAX_MONTHS)
          .map((month) => ({ month, count: byMonth.get(month) ?? 0 }));

  const spans = [...held].sort(
    (a, b) => a.fromDay - b.fromDay || a.allocation.prefix.localeCompare(b.allocation.prefix),
  );
  return {
    date,
    upstream,
    downstream,
    complaintsByMonth,
    complaintsTotal: [...byMonth.values()].reduce((sum, n) => sum + n, 0),
    holdings: spans.slice(-MAX_SPANS).map((dated) => ({
      allocation: dated.allocation,
      carrierId: dated.carrierId,
      current: currentIds.has(dated.allocation.id),
    })),
    holdingsTotal: spans.length,
  };
}

/**
 * The first and last day a timeline of these spans must show: the chosen day, every start and
 * end, and today, so that an open-ended holding runs up to now.
 */
export function timelineRange(
  spans: readonly HoldingSpan[],
  date: string,
  today: string,
): { from: string; to: string } {
  let from = dayNumber(date);
  let to = Math.max(from, dayNumber(today));
  for (const { allocation } of spans) {
    from = Math.min(from, dayNumber(allocation.validFrom));
    to = Math.max(to, allocation.validTo === null ? dayNumber(allocation.validFrom) : dayNumber(allocation.validTo));
  }
  return { from: dateOfDayNumber(from), to: dateOfDayNumber(to) };
}
