import { openDatabase } from '../../ormconfig.ts';
import { openDataset } from '../dataset/readers.ts';
import { runImport } from './importRuns.ts';
import type { ImportProgress } from './importer.ts';

export interface ImportWorkerData {
  databaseUrl: string;
  location: string;
  source: string;
  actor: string;
}

export type ImportWorkerMessage =
  | { type: 'started'; runId: number }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'finished'; status: 'succeeded' | 'refused' };

/** The worker's side of ImportJobs: open the database, import, report back. */
export async function importInWorker(data: ImportWorkerData, post: (message: ImportWorkerMessage) => void): Promise<void> {
  const dataSource = await openDatabase(data.databaseUrl);
  try {
    const dataset = await openDataset(data.location);
    let lastPost = 0;
    const outcome = await runImport(dataSource, dataset, {
      source: data.source,
      actor: data.actor,
      onStart: (runId) => post({ type: 'started', runId }),
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastPost > 200) { lastPost = now; post({ type: 'progress', progress }); }
      },
    });
    post({ type: 'finished', status: outcome.status });
  } finally {
    await dataSource.destroy();
  }
}
