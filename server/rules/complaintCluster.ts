import { pushTo } from '../util/pushTo.ts';
import { beijingMinute } from './evidence.ts';
import type { FindingDraft, Rule } from './types.ts';
import { phrase } from '../i18n/phrase.ts';

interface Traced {
  id: number;
  ref: string | null;
  at: Date;
  loss: number;
  sender: string;
  rootCarrierId: number | null;
}

const DAY_MS = 86_400_000;

/**
 * COMPLAINT_CLUSTER (docs/domain.md#complaint_cluster): several complaints trace to the same agent
 * in a window (gathering isolated cases into a pattern). Each complaint is traced to the agent
 * answerable for its sender at the time it was reported; `complaintClusterSize` or more against one
 * agent within `complaintWindowDays` make a cluster (overlapping windows merge into one). Severity
 * grows with the count: 3 medium, 5 high, 10 critical.
 */
export const complaintCluster: Rule = {
  code: 'COMPLAINT_CLUSTER',
  start: (snapshot) => {
    const { complaintClusterSize: size, complaintWindowDays: days } = snapshot.thresholds;
    const byAgent = new Map<string, Traced[]>();
    return {
      complaint({ complaint, agent, rootCarrierId }) {
        if (agent)
          pushTo(byAgent, agent, {
            id: complaint.id,
            ref: complaint.ref,
            at: complaint.reportedAt,
            loss: complaint.lossYuan ?? 0,
            sender: complaint.sender,
            rootCarrierId,
          });
        return null;
      },
      *finish() {
        for (const [agent, complaints] of byAgent) {
          complaints.sort((a, b) => a.at.getTime() - b.at.getTime());
          for (const cluster of clusters(complaints, size, days * DAY_MS)) {
            const first = cluster[0];
            const last = cluster[cluster.length - 1];
            const loss = cluster.reduce((sum, c) => sum + c.loss, 0);
            const name = snapshot.agents.get(agent)?.name ?? agent;
            const senders = [...new Set(cluster.map((c) => c.sender))];
            const finding: FindingDraft = {
              rule: 'COMPLAINT_CLUSTER',
              severity: cluster.length >= 10 ? 'critical' : cluster.length >= 5 ? 'high' : 'medium',
              key: [agent, String(first.ref ?? first.id)],
              rootCarrierId: first.rootCarrierId,
              agent,
              prefix: null,
              number: senders.length === 1 ? senders[0] : null,
              message: null,
              complaint: { id: first.id, ref: first.ref },
              entity: null,
              text: phrase('finding.COMPLAINT_CLUSTER', {
                from: beijingMinute(first.at).slice(0, 10),
                to: beijingMinute(last.at).slice(0, 10),
                count: cluster.length,
                agent: name,
                days,
                size,
                numbers: senders.length,
                loss: loss.toFixed(2),
              }),
              evidence: {
                facts: {
                  complaints: cluster.length,
                  lossYuan: loss.toFixed(2),
                  senders: senders.join(' '),
                  complaintIds: cluster.map((c) => c.ref ?? String(c.id)).join(' '),
                },
              },
              occurredAt: last.at,
            };
            yield finding;
          }
        }
      },
    };
  },
};

/**
 * Runs of complaints (sorted by time) in which some `windowMs` window holds at least `size`;
 * windows that share a complaint belong to one run.
 */
function clusters(sorted: readonly Traced[], size: number, windowMs: number): Traced[][] {
  const result: Traced[][] = [];
  let clusterStart = -1;
  let clusterEnd = -1;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end].at.getTime() - sorted[start].at.getTime() > windowMs) start++;
    if (end - start + 1 < size) continue;
    if (clusterStart >= 0 && clusterEnd >= start) {
      clusterEnd = end;
      continue;
    }
    if (clusterStart >= 0) result.push(sorted.slice(clusterStart, clusterEnd + 1));
    clusterStart = start;
    clusterEnd = end;
  }
  if (clusterStart >= 0) result.push(sorted.slice(clusterStart, clusterEnd + 1));
  return result;
}
