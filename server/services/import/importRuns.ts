import type { DataSource } from 'typeorm';
import { ImportRun, ImportRunError } from '../../entities/index.ts';
import type { Dataset } from '../../dataset/readers.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import { claimRunOwnership } from './importOwners.ts';
import { importDataset, ImportRefused, type ImportProgress, type ImportSummary } from './importer.ts';

export type ImportOutcome =
  | { status: 'succeeded'; runId: number; summary: ImportSummary }
  | { status: 'refused'; runId: number; refused: ImportRefused };

export interface ImportRunOptions {
  source?: string;
  actor?: Actor;
  carrier?: { id: number; code: string } | null;
  onStart?: (runId: number) => void;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Imports a dataset and keeps a record of it (import_runs): when, what, how it ended, and the
 * problems of a refused import, so the web pages can show them later. The record is written
 * outside the import's transaction, so a refused import still leaves its report.
 */
export async function runImport(
  dataSource: DataSource,
  dataset: Dataset,
  options: ImportRunOptions = {},
): Promise<ImportOutcome> {
  // Held from before the run is recorded as running until its outcome is: no one sees it running unowned.
  const ownership = await claimRunOwnership(dataSource);
  try {
    return await recordedImport(dataSource, dataset, options, ownership.owner);
  } finally {
    await ownership.release();
  }
}

async function recordedImport(
  dataSource: DataSource,
  dataset: Dataset,
  options: ImportRunOptions,
  owner: string,
): Promise<ImportOutcome> {
  const runs = dataSource.getRepository(ImportRun);
  const actor = options.actor ?? 'system';
  const run = await runs.save(
    runs.create({
      source: (options.source ?? dataset.name).slice(0, 300),
      status: 'running',
      startedAt: new Date(),
      finishedAt: null,
      rowsRead: 0,
      carrierId: options.carrier?.id ?? null,
      summary: null,
      errorCount: 0,
      owner,
      failure: null,
    }),
  );
  options.onStart?.(run.id);
  let rowsRead = 0;
  try {
    const summary = await importDataset(dataSource, dataset, {
      carrier: options.carrier ?? null,
      onProgress: (progress) => {
        rowsRead = progress.rowsRead;
        options.onProgress?.(progress);
      },
    });
    await runs.update(run.id, {
      status: 'succeeded',
      finishedAt: new Date(),
      rowsRead,
      summary: storedSummary(summary),
      failure: null,
    });
    await recordAudit(dataSource, {
      actor,
      action: 'import.succeeded',
      subject: `import_run:${run.id}`,
      after: {
        runId: run.id,
        source: run.source,
        files: summary.files.map((f) => ({ file: f.file, rows: f.rows, added: f.added })),
      },
    });
    return { status: 'succeeded', runId: run.id, summary };
  } catch (error) {
    if (error instanceof ImportRefused) {
      const rows = error.issues.map((issue) => ({
        runId: run.id,
        file: issue.file.slice(0, 100),
        line: issue.line,
        column: issue.column?.slice(0, 100) ?? null,
        value: issue.value?.slice(0, 500) ?? null,
        reason: JSON.stringify({ code: issue.code, params: issue.params ?? {} }).slice(0, 500),
      }));
      try {
        // One transaction: a page that reads the run as refused also finds its problems.
        await dataSource.transaction(async (manager) => {
          await manager.getRepository(ImportRun).update(run.id, {
            status: 'refused',
            finishedAt: new Date(),
            rowsRead,
            errorCount: error.issueCount,
            failure: null,
          });
          for (let i = 0; i < rows.length; i += 500) {
            await manager
              .createQueryBuilder()
              .insert()
              .into(ImportRunError)
              .values(rows.slice(i, i + 500))
              .updateEntity(false)
              .execute();
          }
        });
      } catch (storing) {
        // The report could not be kept: the run ends as failed, not left running.
        await failed(storing);
        throw storing;
      }
      await recordAudit(dataSource, {
        actor,
        action: 'import.refused',
        subject: `import_run:${run.id}`,
        after: { runId: run.id, source: run.source, problems: error.issueCount },
      });
      return { status: 'refused', runId: run.id, refused: error };
    }
    await failed(error);
    throw error;
  }

  async function failed(error: unknown): Promise<void> {
    const failure = error instanceof Error ? error.message : String(error);
    await runs.update(run.id, { status: 'failed', finishedAt: new Date(), rowsRead, failure: failure.slice(0, 1000) });
    await recordAudit(dataSource, {
      actor,
      action: 'import.failed',
      subject: `import_run:${run.id}`,
      after: { runId: run.id, source: run.source },
    });
  }
}

/**
 * import_runs.summary is TEXT on MySQL and MariaDB (65,535 bytes). Its lists (unknown columns,
 * files passed over, warnings) are bounded by limits.ts, but not all together: where the whole
 * would not fit, they are cut short and the summary says so (listsCut), rather than a committed
 * import being recorded as failed.
 */
const SUMMARY_MAX_BYTES = 60_000;

export function storedSummary(summary: ImportSummary): ImportSummary & { listsCut?: true } {
  if (Buffer.byteLength(JSON.stringify(summary)) <= SUMMARY_MAX_BYTES) return summary;
  const keep = 10;
  return {
    ...summary,
    files: summary.files.map((f) => ({
      ...f,
      unknownColumns: f.unknownColumns.slice(0, keep).map((c) => c.slice(0, 64)),
    })),
    ignoredFiles: summary.ignoredFiles.slice(0, keep).map((f) => f.slice(0, 100)),
    warnings: summary.warnings.slice(0, keep),
    listsCut: true,
  };
}
