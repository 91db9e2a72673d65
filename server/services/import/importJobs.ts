import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';
import { workerTsconfig } from '../../util/projectRoot.ts';
import { DatasetOpenError, openDataset } from '../../dataset/readers.ts';
import type { ImportProgress } from './importer.ts';
import { endStoppedRun } from './importOwners.ts';
import { runImport } from './importRuns.ts';
import { invalidateAllocationIndex } from '../lookup/lookup.ts';
import type { ImportRequest, ImportWorkerData, ImportWorkerMessage } from './importWorkerMain.ts';
import { LruMap } from '../../util/lruMap.ts';
import { UserError } from '../../errors.ts';
import { logger } from '../../log.ts';

export interface ImportJobState {
  runId: number;
  progress: ImportProgress | null;
  done: boolean;
}

/** Another import is still running: one at a time keeps the report and the store easy to trust. */
export class ImportBusyError extends UserError {
  constructor() {
    super(409, 'imports.busy', {}, { message: '' });
  }
}

/**
 * Imports started from the web page run in the background (a worker thread with its own
 * database connection); the page polls their progress here and reads the outcome from
 * import_runs once they are done.
 */
export class ImportJobs {
  private current: ImportJobState | null = null;
  /** Ended jobs, for pages polling a run that has just ended; older runs are read from import_runs. */
  private readonly finished: LruMap<number, ImportJobState>;

  /**
   * `workerScript`: the worker thread's module (tests give one that stops halfway);
   * `finishedLimit`: how many ended jobs are remembered.
   */
  constructor(
    private readonly workerScript: URL = new URL('./importWorker.js', import.meta.url),
    finishedLimit = 100,
  ) {
    this.finished = new LruMap(finishedLimit);
  }

  get running(): ImportJobState | null {
    return this.current && !this.current.done ? this.current : null;
  }

  state(runId: number): ImportJobState | null {
    return this.current?.runId === runId ? this.current : (this.finished.get(runId) ?? null);
  }

  /**
   * Starts importing the dataset at `location` (in the temporary upload directory `upload`,
   * removed when the import ends or fails to start) and resolves with the import run's id as soon
   * as it is recorded. A dataset that cannot be opened rejects with its DatasetOpenError.
   */
  async start(
    dataSource: DataSource,
    databaseUrl: string | null,
    request: ImportRequest,
    upload: string = request.location,
  ): Promise<number> {
    // The upload directory, not only the workbook in it: nothing of an upload outlives its import.
    const cleanUp = () => rm(upload, { recursive: true, force: true });
    if (this.running) {
      await cleanUp();
      throw new ImportBusyError();
    }
    const placeholder: ImportJobState = { runId: -1, progress: null, done: false };
    this.current = placeholder;
    let settling = false;
    const settle = (state: ImportJobState) => {
      if (settling) return;
      settling = true;
      // Done once the upload is gone: whoever sees the import ended finds nothing of it left.
      cleanUp()
        .catch((error: unknown) => logger().error({ err: error, upload }, "could not remove an import's upload"))
        .finally(() => {
          state.done = true;
          invalidateAllocationIndex(dataSource);
          this.finished.set(state.runId, state);
        });
    };
    try {
      if (!databaseUrl || databaseUrl === 'sqlite::memory:')
        return await this.startInProcess(dataSource, request, placeholder, settle);
      return await this.startWorker(dataSource, databaseUrl, request, placeholder, settle);
    } catch (error) {
      placeholder.done = true;
      await cleanUp();
      throw error;
    }
  }

  /** An in-memory database exists only in this process: import here (tests use this path). */
  private async startInProcess(
    dataSource: DataSource,
    request: ImportRequest,
    state: ImportJobState,
    settle: (s: ImportJobState) => void,
  ): Promise<number> {
    const dataset = await openDataset(request.location);
    return new Promise<number>((resolve, reject) => {
      runImport(dataSource, dataset, {
        source: request.source,
        actor: request.actor,
        carrier: request.carrier,
        onStart: (runId) => {
          state.runId = runId;
          resolve(runId);
        },
        onProgress: (progress) => {
          state.progress = progress;
        },
      }).then(
        () => settle(state),
        (error) => {
          logger().error({ err: error }, 'import failed');
          settle(state);
          reject(error);
        },
      );
    });
  }

  private startWorker(
    dataSource: DataSource,
    databaseUrl: string,
    request: ImportRequest,
    state: ImportJobState,
    settle: (s: ImportJobState) => void,
  ): Promise<number> {
    const workerData: ImportWorkerData & { tsconfig: string | null } = {
      ...request,
      databaseUrl,
      tsconfig: workerTsconfig,
    };
    const worker = new Worker(this.workerScript, { workerData });
    return new Promise<number>((resolve, reject) => {
      let started = false;
      let finished = false;
      worker.on('message', (message: ImportWorkerMessage) => {
        if (message.type === 'started') {
          started = true;
          state.runId = message.runId;
          resolve(message.runId);
        }
        if (message.type === 'unopenable') reject(new DatasetOpenError(message.code, message.subject, message.params));
        if (message.type === 'progress') state.progress = message.progress;
        // The outcome is in import_runs now: the next import may start even before the thread exits.
        if (message.type === 'finished') {
          finished = true;
          settle(state);
        }
      });
      worker.on('error', (error) => {
        logger().error({ err: error }, 'import worker failed');
        if (!started) reject(error);
      });
      worker.on('exit', () => {
        if (!started) {
          state.done = true;
          reject(new Error('the import worker stopped before the import started'));
          return;
        }
        // It said how the import ended ('finished'): settle has it.
        if (finished || state.done) return;
        // Stopped before it said how the import ended: the run is ended here unless it recorded
        // its outcome first (a failed import does, then rethrows). The page then reads it.
        endStoppedRun(dataSource, state.runId, 'interrupted: the import worker stopped').then(
          () => settle(state),
          (error) => {
            logger().error({ err: error, runId: state.runId }, 'could not end the import run of a stopped worker');
            settle(state);
          },
        );
      });
    });
  }
}
