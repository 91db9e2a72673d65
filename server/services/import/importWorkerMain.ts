import { openDatabase } from '../../../ormconfig.ts';
import { DatasetOpenError, openDataset } from '../../dataset/readers.ts';
import { runImport } from './importRuns.ts';
import type { ImportProgress } from './importer.ts';

/** What to import, from where, for whom. */
export interface ImportRequest {
  /** A dataset directory or workbook. */
  location: string;
  source: string;
  actor: string;
  /** A carrier user's import is confined to that carrier (importer.ts ImportOptions.carrier). */
  carrier: { id: number; code: string } | null;
}

export interface ImportWorkerData extends ImportRequest {
  databaseUrl: string;
}

export type ImportWorkerMessage =
  | { type: 'started'; runId: number }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'finished'; status: 'succeeded' | 'refused' }
  /** The dataset cannot be opened (readers.ts DatasetOpenError): no run was started. */
  | { type: 'unopenable'; code: string; subject: string; params: Record<string, string> };

/** The worker's side of ImportJobs: open the database, import, report back. */
export async function importInWorker(
  data: ImportWorkerData,
  post: (message: ImportWorkerMessage) => void,
): Promise<void> {
  const dataSource = await openDatabase(data.databaseUrl);
  try {
    let dataset;
    try {
      dataset = await openDataset(data.location);
    } catch (error) {
      if (!(error instanceof DatasetOpenError)) throw error;
      post({ type: 'unopenable', code: error.code, subject: error.subject, params: error.params });
      return;
    }
    let lastPost = 0;
    const outcome = await runImport(dataSource, dataset, {
      source: data.source,
      actor: data.actor,
      carrier: data.carrier,
      onStart: (runId) => post({ type: 'started', runId }),
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastPost > 200) {
          lastPost = now;
          post({ type: 'progress', progress });
        }
      },
    });
    post({ type: 'finished', status: outcome.status });
  } finally {
    await dataSource.destroy();
  }
}
