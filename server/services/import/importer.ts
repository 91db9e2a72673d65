import type { DataSource, EntityManager, ObjectLiteral, EntityTarget } from 'typeorm';
import {
  Agent,
  Allocation,
  Carrier,
  Complaint,
  Issuer,
  Message,
  ProtectedSender,
  UrlListEntry,
  UsingEntity,
} from '../../entities/index.ts';
import { discardConnection } from '../../db/typeormAdapter.ts';
import type { Dataset, DatasetTable } from '../../dataset/readers.ts';
import { t, type Locale } from '../../i18n/index.ts';
import type { DatasetFile } from '../../dataset/tables.ts';
import { attributeTraffic } from '../audit/attribution.ts';
import { invalidateAllocationIndex } from '../lookup/lookup.ts';
import { importIssuers } from './issuers.ts';
import { dialectOf } from './upsert.ts';
import { logger } from '../../log.ts';
import { ImportJob } from './job/core.ts';
import type { FileSummary, ImportIssue, ImportOptions, ImportSummary } from './job/report.ts';
import { PartiesPass } from './job/parties.ts';
import { AllocationsPass } from './job/allocations.ts';
import { TrafficPass } from './job/traffic.ts';
import { ReferenceDataPass } from './job/referenceData.ts';

export {
  MAX_REPORTED_ISSUES,
  MAX_SUMMARY_WARNINGS,
  type FileSummary,
  type ImportIssue,
  type ImportOptions,
  type ImportProgress,
  type ImportSummary,
} from './job/report.ts';

/** What an issue says in `locale`: its code's message, filled from its params. */
export function issueMessage(issue: Pick<ImportIssue, 'code' | 'params'>, locale: Locale): string {
  const params = issue.params ?? {};
  // A fault (a CSV file's) names the finer text that fills the code's {detail}, in the same language.
  if (!('fault' in params)) return t(locale, `issue.${issue.code}`, params);
  return t(locale, `issue.${issue.code}`, { detail: t(locale, `issue.${issue.code}.${params.fault}`, params) });
}

/** The dataset was refused: nothing was written. */
export class ImportRefused extends Error {
  constructor(
    readonly issues: ImportIssue[],
    readonly issueCount: number,
  ) {
    super(`import refused: ${issueCount} problem(s) in the dataset`);
  }
}

/**
 * Imports a dataset in one transaction
 * (docs/dataset-format.md#one-transaction-every-problem-reported): every bad row of every file is
 * reported, a refused import leaves the store exactly as it was, and re-importing the same dataset
 * changes nothing (rows are matched on their natural keys and updated in place).
 */
export async function importDataset(
  dataSource: DataSource,
  dataset: Dataset,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const summary = await inOneTransaction(dataSource, async (manager) => {
    const job = new ImportJob(manager, dataset, options);
    try {
      await run(job);
    } catch (error) {
      // Writes still queued on the connection, and the upserts a LOAD DATA chunk may still send,
      // must all be over before the rollback: one sent after it would run in a transaction of
      // its own, which resetting autocommit would then commit.
      await job.settleWrites();
      throw error;
    }
    if (job.issueCount > 0) throw new ImportRefused(job.issues, job.issueCount);
    if (dataset.tables.some((t) => t.file === 'allocations' || t.file === 'messages' || t.file === 'complaints'))
      await attributeTraffic(manager);
    return job.summary;
  });
  // The committed data is new: lookups must not answer from the index built before it.
  invalidateAllocationIndex(dataSource);
  return summary;
}

/**
 * Runs `work` in one transaction, committed if it returns and rolled back if it throws. On MySQL
 * the connection's autocommit is off meanwhile: the importer queues writes on the connection
 * (ImportJob.batcher), and when one fails in a way that ends the transaction (a deadlock: InnoDB
 * rolls it back), those queued behind it still run. With autocommit off they open a new
 * transaction, which the rollback here discards; with it on, each would commit on its own.
 * autocommit is turned back on only after the commit or rollback, when no transaction is open
 * (turning it on commits an open one).
 */
async function inOneTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const mysql = dialectOf(runner.manager) === 'mysql';
  // The first failure is the one reported (an ImportRefused stays one); any that follow it while
  // cleaning up are logged, not lost.
  const failures: unknown[] = [];
  let result: T | undefined;
  try {
    await runner.connect();
    if (mysql) await runner.query('SET SESSION autocommit = 0');
    await runner.startTransaction();
    try {
      result = await work(runner.manager);
      await runner.commitTransaction();
    } catch (error) {
      failures.push(error);
      await runner.rollbackTransaction().catch((rollbackError: unknown) => failures.push(rollbackError));
    }
  } catch (error) {
    failures.push(error);
  }
  if (mysql) {
    try {
      await runner.query('SET SESSION autocommit = 1');
    } catch (resetError) {
      failures.push(resetError);
      // Never back into the pool without autocommit: whatever ran on it next would not commit.
      discardConnection(runner);
    }
  }
  await runner.release();
  for (const later of failures.slice(1))
    logger().error({ err: later }, 'import: while ending its transaction after a failure');
  if (failures.length > 0) throw failures[0];
  return result as T;
}

/**
 * Reads the dataset's files in the order it lists them, each by the pass for its kind (job/:
 * parties, allocations, traffic, reference data), and keeps a summary of each. The passes share
 * the job: its report, the parties known so far, its row reading and write batching.
 */
async function run(job: ImportJob): Promise<void> {
  await job.prepare();
  const parties = new PartiesPass(job);
  const allocations = new AllocationsPass(job);
  const traffic = new TrafficPass(job);
  const referenceData = new ReferenceDataPass(job);
  const handlers: Record<DatasetFile, (table: DatasetTable) => Promise<void>> = {
    carriers: (t) => parties.importCarriers(t),
    agents: (t) => parties.importAgents(t),
    entities: (t) => parties.importEntities(t),
    allocations: (t) => allocations.importAllocations(t),
    messages: (t) => traffic.importMessages(t),
    complaints: (t) => traffic.importComplaints(t),
    protected_senders: (t) => referenceData.importProtectedSenders(t),
    url_lists: (t) => referenceData.importUrlLists(t),
    issuers: (t) =>
      importIssuers(t, {
        manager: job.manager,
        eachRow: (table, onRow) => job.eachRow(table, onRow),
        unique: job.duplicateCheck(),
        carriers: job.carriers,
        carrierScope: job.carrier,
        report: (issue) => job.report(issue),
        writing: () => job.writing,
      }),
  };
  if (job.carrier) await parties.loadSharedRegistry();
  for (const table of job.dataset.tables) {
    const before = await count(job.manager, table.file);
    const fileSummary: FileSummary = { file: table.label, rows: 0, added: 0, unknownColumns: [] };
    job.summary.files.push(fileSummary);
    job.currentFile = fileSummary;
    if (job.carrier && (table.file === 'protected_senders' || table.file === 'url_lists')) {
      job.report({ file: table.label, line: 1, column: null, value: null, code: 'scope.reference_data' });
      continue;
    }
    const firstIssue = job.issues.length;
    await handlers[table.file](table);
    // A file read in two passes reports in the order it found things; the report reads top to bottom.
    const fileIssues = job.issues.splice(firstIssue).sort((a, b) => a.line - b.line);
    for (const issue of fileIssues) job.issues.push(issue);
    // Into an empty table every row of an accepted file is new (its keys are unique): counting
    // a million freshly written rows again would take seconds.
    fileSummary.added = before === 0 ? fileSummary.rows : (await count(job.manager, table.file)) - before;
  }
}

const FILE_TARGETS: Record<DatasetFile, EntityTarget<ObjectLiteral>> = {
  carriers: Carrier,
  agents: Agent,
  entities: UsingEntity,
  allocations: Allocation,
  messages: Message,
  complaints: Complaint,
  protected_senders: ProtectedSender,
  url_lists: UrlListEntry,
  issuers: Issuer,
};

async function count(manager: EntityManager, file: DatasetFile): Promise<number> {
  return manager.count(FILE_TARGETS[file]);
}
