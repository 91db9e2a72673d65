import { createHash } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { mysqlConnectionOf, valueConversion } from '../../db/typeormAdapter.ts';
import {
  Agent,
  AuditRun,
  Complaint,
  Finding,
  Message,
  ProtectedSender,
  Signature,
  UrlListEntry,
  UsingEntity,
} from '../../entities/index.ts';
import type { CarrierTotals } from '../../entities/AuditRun.ts';
import { AuditPass } from '../../rules/engine.ts';
import { RULES } from '../../rules/index.ts';
import {
  DEFAULT_THRESHOLDS,
  type AgentInfo,
  type AuditSnapshot,
  type EntityInfo,
  type FindingDraft,
  type Rule,
} from '../../rules/types.ts';
import { pushTo } from '../../util/pushTo.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import {
  AuditShares,
  auditThreads,
  shareableRules,
  storedMessages,
  type AuditedPage,
  type StoredPage,
} from './auditShares.ts';
import { allocationIndexFor } from '../lookup/lookup.ts';
import { Upserter } from '../import/upsert.ts';

const PAGE_ROWS = 5_000;
/** Dedupe keys asked for at once when the findings are written. */
const READ_KEYS = 1_000;
/**
 * How often a run writes its progress to audit_runs (the page shows it): a write per page of
 * traffic, each its own committed transaction, held the reading up for as long as the database
 * took to sync it.
 */
const PROGRESS_WRITE_MS = 1_000;

/** Everything the rules read besides the traffic. */
export async function loadSnapshot(dataSource: DataSource): Promise<AuditSnapshot> {
  const agents = new Map<string, AgentInfo>();
  for (const a of await dataSource.getRepository(Agent).find())
    agents.set(a.uscc, { id: a.id, uscc: a.uscc, name: a.name, licenceNo: a.licenceNo });
  const signatures = new Map<number, string[]>();
  for (const s of await dataSource.getRepository(Signature).find()) pushTo(signatures, s.entityId, s.text);
  const entities = new Map<string, EntityInfo>();
  for (const e of await dataSource.getRepository(UsingEntity).find()) {
    entities.set(e.uscc, {
      id: e.id,
      uscc: e.uscc,
      name: e.name,
      kind: e.kind,
      signatures: signatures.get(e.id) ?? [],
    });
  }
  const urls = await dataSource.getRepository(UrlListEntry).find();
  return {
    index: await allocationIndexFor(dataSource, { fresh: true }),
    agents,
    entities,
    protectedSenders: (await dataSource.getRepository(ProtectedSender).find()).map((p) => ({
      name: p.name,
      uscc: p.uscc,
      aliases: p.aliases,
    })),
    urlLists: {
      allow: new Set(urls.filter((u) => u.list === 'allow').map((u) => u.domain)),
      block: new Set(urls.filter((u) => u.list === 'block').map((u) => u.domain)),
    },
    thresholds: DEFAULT_THRESHOLDS,
  };
}

export function dedupeKey(finding: Pick<FindingDraft, 'rule' | 'key'>): string {
  return createHash('sha256')
    .update([finding.rule, ...finding.key].join('\u0000'))
    .digest('hex');
}

export interface AuditProgress {
  itemsDone: number;
  itemsTotal: number;
}

export interface AuditOutcome {
  runId: number;
  status: 'succeeded' | 'cancelled';
  /** What this run found, in the order the rules produced it. */
  findings: FindingDraft[];
  newFindings: number;
}

export interface AuditOptions {
  actor: Actor;
  onStart?: (runId: number) => void;
  onProgress?: (progress: AuditProgress) => void;
  /** Checked between pages of traffic: when it says so, the run stops and nothing is written. */
  cancelled?: () => boolean;
  rules?: readonly Rule[];
  /**
   * Threads the traffic is audited in (services/audit/auditShares.ts); by default one per core when
   * there is enough traffic to repay starting them (auditThreads), else this thread alone.
   */
  threads?: number;
}

/**
 * Runs every rule over the stored data (docs/cli.md#audit). The traffic is read a page at a
 * time; the findings are kept in memory (they are few next to the messages) and written in one
 * short transaction at the end: a re-run updates `last_seen_at` of the findings it sees again
 * (matched on their dedupe key) and leaves their workflow status alone, so a dismissed finding
 * stays dismissed; a cancelled run writes no findings at all. A large audit runs the rules over
 * the traffic in one thread per core (services/audit/auditShares.ts) while this thread reads the pages.
 */
export async function runAudit(dataSource: DataSource, options: AuditOptions): Promise<AuditOutcome> {
  const runs = dataSource.getRepository(AuditRun);
  const messageCount = await dataSource.getRepository(Message).count();
  const itemsTotal = messageCount + (await dataSource.getRepository(Complaint).count());
  const run = await runs.save(
    runs.create({
      status: 'running',
      actor: options.actor.slice(0, 100),
      startedAt: new Date(),
      finishedAt: null,
      itemsTotal,
      itemsDone: 0,
      findingsTotal: null,
      findingsNew: null,
      carrierTotals: null,
      failure: null,
    }),
  );
  options.onStart?.(run.id);
  let starting: Promise<AuditShares> | null = null;
  let shares: AuditShares | null = null;
  // The first page of traffic is asked for at once: the database reads it while the snapshot
  // loads, the threads start and the structural rules run.
  const messages = messagePages(dataSource);
  const first = messages.next();
  first.catch(() => undefined);
  try {
    const rules = options.rules ?? RULES;
    const threads = options.threads ?? (shareableRules(rules) ? auditThreads(messageCount) : 1);
    const loading = loadSnapshot(dataSource);
    // The threads load their code while the snapshot loads and the structural rules run here:
    // on two cores the three take about the time the threads alone took before the rules began.
    if (threads > 1) {
      starting = AuditShares.start(loading, rules, threads);
      starting.catch(() => undefined);
    }
    const snapshot = await loading;
    const pass = new AuditPass(snapshot, rules);
    const found = new Map<string, FindingDraft>();
    const keep = (drafts: readonly FindingDraft[]) => {
      for (const draft of drafts) found.set(dedupeKey(draft), draft);
    };
    keep(pass.structure());
    if (starting) shares = await starting;
    let itemsDone = 0;
    let progressWritten = performance.now();
    let writing: Promise<unknown> = Promise.resolve();
    const progress = (count: number) => {
      itemsDone += count;
      options.onProgress?.({ itemsDone, itemsTotal });
      if (performance.now() - progressWritten < PROGRESS_WRITE_MS) return;
      progressWritten = performance.now();
      // Written while the next pages are read; one write at a time, in order, awaited before the run ends.
      const done = itemsDone;
      writing = writing.then(() => runs.update(run.id, { itemsDone: done }));
      writing.catch(() => undefined);
    };
    const stop = async () => {
      await writing;
      return cancel(dataSource, run.id, options.actor);
    };
    const pages = resumed(first, messages);
    for await (const page of shares ? shares.auditPages(pages) : auditedHere(pass, pages)) {
      keep(page.findings);
      progress(page.count);
      if (options.cancelled?.()) return await stop();
    }
    for await (const page of complaintPages(dataSource)) {
      for (const c of page) {
        keep(
          pass.complaint({
            id: c.id,
            ref: c.externalId,
            sender: c.sender,
            reportedAt: c.reportedAt,
            lossYuan: c.lossYuan === null ? null : Number(c.lossYuan),
            summary: c.summary,
          }),
        );
      }
      progress(page.length);
      if (options.cancelled?.()) return await stop();
    }
    if (shares) keep(await shares.finish(pass));
    keep(pass.finish());
    await writing;
    const fresh = await dataSource.transaction((manager) => storeFindings(manager, run.id, found));
    const newFindings = fresh.size;
    await runs.update(run.id, {
      itemsDone,
      status: 'succeeded',
      finishedAt: new Date(),
      findingsTotal: found.size,
      findingsNew: newFindings,
      carrierTotals: totalsByCarrier(found, fresh),
    });
    await recordAudit(dataSource, {
      actor: options.actor,
      action: 'audit.succeeded',
      subject: `audit_run:${run.id}`,
      after: { runId: run.id, findings: found.size, new: newFindings },
    });
    return { runId: run.id, status: 'succeeded', findings: [...found.values()], newFindings };
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    await runs.update(run.id, { status: 'failed', finishedAt: new Date(), failure: failure.slice(0, 1000) });
    await recordAudit(dataSource, {
      actor: options.actor,
      action: 'audit.failed',
      subject: `audit_run:${run.id}`,
      after: { runId: run.id },
    });
    throw error;
  } finally {
    // A run that ended early leaves no read of the traffic behind (a finished one has none).
    await messages.return(undefined).catch(() => undefined);
    // Threads started for a run that failed before it used them are stopped too.
    await (shares ?? (await starting?.catch(() => null)))?.close();
  }
}

async function cancel(dataSource: DataSource, runId: number, actor: Actor): Promise<AuditOutcome> {
  await dataSource.getRepository(AuditRun).update(runId, { status: 'cancelled', finishedAt: new Date() });
  await recordAudit(dataSource, { actor, action: 'audit.cancelled', subject: `audit_run:${runId}`, after: { runId } });
  return { runId, status: 'cancelled', findings: [], newFindings: 0 };
}

/** The stored complaints in id order, a page at a time (keyset paging: no OFFSET that slows down). */
async function* complaintPages(dataSource: DataSource): AsyncGenerator<Complaint[]> {
  let afterId = 0;
  for (;;) {
    const page = await dataSource
      .getRepository(Complaint)
      .createQueryBuilder('t')
      .where('t.id > :afterId', { afterId })
      .orderBy('t.id', 'ASC')
      .limit(PAGE_ROWS)
      .getMany();
    if (page.length > 0) yield page;
    if (page.length < PAGE_ROWS) return;
    afterId = page[page.length - 1].id;
  }
}

/**
 * The stored messages, a page at a time in id order (keyset paging: no OFFSET that slows down),
 * as columns (StoredPage). The next page is asked for as soon as a page arrives, so the database
 * reads it while the rules work through this one.
 *
 * On MySQL the pages come over a connection of their own, straight from mysql2 as arrays, the
 * contents as their UTF-8 bytes (CAST AS BINARY): the audit's threads decode them, and this
 * thread, which reads every page and feeds them, neither decodes a text nor copies it into the
 * message to a thread (docs/performance.md). On SQLite five columns are read raw, without making
 * a Message entity of every row (that tripled the cost of reading).
 */
async function* messagePages(dataSource: DataSource): AsyncGenerator<StoredPage> {
  const type = dataSource.options.type;
  if (type === 'mysql' || type === 'mariadb') yield* mysqlMessagePages(dataSource);
  else yield* sqliteMessagePages(dataSource);
}

/** The pages `read` gives, each asked for as soon as the one before it arrives. */
async function* readAhead(read: (afterId: number) => Promise<StoredPage>): AsyncGenerator<StoredPage> {
  let next: Promise<StoredPage> | null = read(0);
  try {
    while (next) {
      const page: StoredPage = await next;
      next = page.count === PAGE_ROWS ? read(page.ids[page.count - 1]) : null;
      if (page.count > 0) yield page;
    }
  } finally {
    // A run stopped early (cancelled, or failed further on) no longer wants the page read ahead.
    await next?.catch(() => undefined);
  }
}

function emptyPage(count: number): StoredPage {
  return {
    count,
    ids: new Float64Array(count),
    sentAt: new Float64Array(count),
    refs: new Array(count),
    senders: new Array(count),
    contents: new Array(count),
  };
}

async function* mysqlMessagePages(dataSource: DataSource): AsyncGenerator<StoredPage> {
  const runner = dataSource.createQueryRunner();
  try {
    const connection = await mysqlConnectionOf(runner);
    const sql =
      'SELECT id, external_id, sender, sent_at, CAST(content AS BINARY) FROM messages WHERE id > ? ORDER BY id LIMIT ?';
    type Row = [number, string | null, string, Date, Buffer];
    const read = (afterId: number) =>
      new Promise<StoredPage>((resolve, reject) => {
        connection.query<Row[]>({ sql, values: [afterId, PAGE_ROWS], rowsAsArray: true }, (error, rows) => {
          if (error) return reject(error);
          const page = emptyPage(rows.length);
          for (let i = 0; i < rows.length; i++) {
            const [id, ref, sender, sentAt, content] = rows[i];
            page.ids[i] = id;
            page.refs[i] = ref;
            page.senders[i] = sender;
            page.sentAt[i] = sentAt.getTime();
            page.contents[i] = content;
          }
          resolve(page);
        });
      });
    yield* readAhead(read);
  } finally {
    await runner.release();
  }
}

async function* sqliteMessagePages(dataSource: DataSource): AsyncGenerator<StoredPage> {
  const sentAt = dataSource.getMetadata(Message).findColumnWithPropertyName('sentAt')!;
  const conversion = valueConversion(dataSource);
  type Row = { id: number | string; ref: string | null; sender: string; sentAt: unknown; content: string };
  const read = async (afterId: number): Promise<StoredPage> => {
    const rows = await dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .select([
        'm.id AS id',
        'm.external_id AS ref',
        'm.sender AS sender',
        'm.sent_at AS sentAt',
        'm.content AS content',
      ])
      .where('m.id > :afterId', { afterId })
      .orderBy('m.id', 'ASC')
      .limit(PAGE_ROWS)
      .getRawMany<Row>();
    const page = emptyPage(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      page.ids[i] = Number(row.id);
      page.refs[i] = row.ref;
      page.senders[i] = row.sender;
      page.sentAt[i] = (conversion.prepareHydratedValue(row.sentAt, sentAt) as Date).getTime();
      page.contents[i] = row.content;
    }
    return page;
  };
  yield* readAhead(read);
}

/** `pages` again, its first step already asked for. */
async function* resumed<T>(first: Promise<IteratorResult<T>>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  try {
    for (let step = await first; !step.done; step = await rest.next()) yield step.value;
  } finally {
    await rest.return?.();
  }
}

/** Pages of messages audited by `pass`, in this thread. */
async function* auditedHere(pass: AuditPass, pages: AsyncIterable<StoredPage>): AsyncGenerator<AuditedPage> {
  for await (const page of pages) yield { findings: pass.messages(storedMessages(page)), count: page.count };
}

/** What a stored finding shows, from its draft; the workflow columns are the store's own. */
function findingValues(draft: FindingDraft) {
  return {
    rule: draft.rule,
    severity: draft.severity,
    rootCarrierId: draft.rootCarrierId,
    agentUscc: draft.agent,
    prefix: draft.prefix,
    number: draft.number,
    messageId: draft.message?.id ?? null,
    messageRef: draft.message?.ref ?? null,
    complaintId: draft.complaint?.id ?? null,
    complaintRef: draft.complaint?.ref ?? null,
    entityUscc: draft.entity,
    detailCode: draft.text.code,
    detailParams: draft.text.params,
    detail: null,
    detailEn: null,
    evidence: draft.evidence,
    occurredAt: draft.occurredAt,
  };
}

/** Inserts the new findings and refreshes the ones seen before; returns how many were new. */
/**
 * A run's findings and new findings per carrier whose chain they lie in; findings outside any carrier's chain count for
 * none.
 */
function totalsByCarrier(found: Map<string, FindingDraft>, fresh: ReadonlySet<string>): CarrierTotals {
  const totals: CarrierTotals = {};
  for (const [key, draft] of found) {
    if (draft.rootCarrierId === null) continue;
    const counts = (totals[draft.rootCarrierId] ??= [0, 0]);
    counts[0] += 1;
    if (fresh.has(key)) counts[1] += 1;
  }
  return totals;
}

/** Writes the run's findings; returns the dedupe keys of those stored for the first time. */
async function storeFindings(
  manager: EntityManager,
  runId: number,
  found: Map<string, FindingDraft>,
): Promise<Set<string>> {
  const now = new Date();
  const keys = [...found.keys()];
  const added = new Set<string>();
  // New findings go in as multi-row INSERTs of plain SQL (the query builder took longer to build
  // each statement than the database took to run it); the values go through the driver's own
  // conversion, as TypeORM would store them.
  const inserts = new Upserter<Finding>(manager, Finding, ['dedupe_key'], []);
  for (let i = 0; i < keys.length; i += READ_KEYS) {
    const chunk = keys.slice(i, i + READ_KEYS);
    const stored = await manager.find(Finding, {
      select: {
        id: true,
        dedupeKey: true,
        severity: true,
        detailCode: true,
        detailParams: true,
        evidence: true,
        agentUscc: true,
        rootCarrierId: true,
      },
      where: { dedupeKey: In(chunk) },
    });
    const byKey = new Map(stored.map((f) => [f.dedupeKey, f]));
    const fresh = chunk
      .filter((key) => !byKey.has(key))
      .map((key) => ({
        ...findingValues(found.get(key)!),
        dedupeKey: key,
        status: 'open' as const,
        firstSeenAt: now,
        lastSeenAt: now,
        lastRunId: runId,
        statusChangedAt: null,
        statusChangedBy: null,
        statusReason: null,
      }));
    await inserts.write(fresh);
    for (const finding of fresh) added.add(finding.dedupeKey);
    const seen = chunk.filter((key) => byKey.has(key));
    if (seen.length) {
      await manager
        .createQueryBuilder()
        .update(Finding)
        .set({ lastSeenAt: now, lastRunId: runId })
        .where({ dedupeKey: In(seen) })
        .execute();
    }
    for (const key of seen) {
      const values = findingValues(found.get(key)!);
      const current = byKey.get(key)!;
      // What it says is its code and parameters: a finding stored as prose (no code) is rewritten with them.
      const changed =
        current.severity !== values.severity ||
        current.detailCode !== values.detailCode ||
        JSON.stringify(current.detailParams) !== JSON.stringify(values.detailParams) ||
        JSON.stringify(current.evidence) !== JSON.stringify(values.evidence) ||
        current.agentUscc !== values.agentUscc ||
        current.rootCarrierId !== values.rootCarrierId;
      if (changed) await manager.update(Finding, { id: current.id }, values);
    }
  }
  return added;
}
