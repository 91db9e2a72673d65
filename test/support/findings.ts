import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Carrier, Finding } from '../../server/entities/index.ts';
import type { FindingStatus, Severity } from '../../server/entities/Finding.ts';

let findings = 0;

/**
 * A stored finding, as an audit would leave it, naming whom the test says: the agent answerable,
 * the entity, the prefix. Pages that colour or rank by findings are tested with these.
 */
export async function addFinding(
  dataSource: DataSource,
  values: {
    carrier: string;
    severity: Severity;
    status?: FindingStatus;
    agent?: string;
    entity?: string;
    prefix?: string;
  },
): Promise<void> {
  const now = new Date();
  const carrier = await dataSource.getRepository(Carrier).findOneByOrFail({ code: values.carrier });
  await dataSource.getRepository(Finding).insert({
    dedupeKey: createHash('sha256').update(`test ${process.pid} ${++findings}`).digest('hex'),
    rule: 'MULTI_LEVEL_RELEASE',
    severity: values.severity,
    status: values.status ?? 'open',
    rootCarrierId: carrier.id,
    agentUscc: values.agent ?? null,
    entityUscc: values.entity ?? null,
    prefix: values.prefix ?? null,
    number: null,
    messageId: null,
    messageRef: null,
    complaintId: null,
    complaintRef: null,
    detail: 'test',
    detailEn: 'test',
    evidence: {},
    occurredAt: null,
    firstSeenAt: now,
    lastSeenAt: now,
    lastRunId: 1,
    statusChangedAt: null,
    statusChangedBy: null,
    statusReason: null,
  });
}
