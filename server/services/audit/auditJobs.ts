import { MoreThanOrEqual, type DataSource } from 'typeorm';
import { AuditRun } from '../../entities/index.ts';
import { runAudit } from './auditRuns.ts';
import { UserError } from '../../errors.ts';
import { logger } from '../../log.ts';

/**
 * How many audits one user may start in a window: each reads all the traffic, so a script starting them back to back
 * would keep the store busy.
 */
export const MAX_AUDIT_STARTS = 5;
export const AUDIT_START_WINDOW_MINUTES = 10;

/** The user started MAX_AUDIT_STARTS audits within the window: the next one waits. */
export class AuditRateError extends UserError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'audits.too_many',
      { count: MAX_AUDIT_STARTS, minutes: AUDIT_START_WINDOW_MINUTES },
      {
        headers: { 'Retry-After': String(retryAfterSeconds) },
        message: 'too many audits started',
      },
    );
  }
}

/** An audit is already running: a second one would only repeat it. */
export class AuditBusyError extends UserError {
  constructor(readonly runId: number) {
    super(409, 'audits.busy', { id: runId }, { message: 'an audit is already running' });
  }
}

interface AuditJob {
  runId: number;
  cancelRequested: boolean;
  done: Promise<void>;
}

/**
 * The web app's audit runs in the background of this process: it reads the traffic a page at a
 * time (awaiting the database between pages, so requests keep being served), writes its
 * progress to audit_runs for the page to show, and stops at the next page when cancelled.
 */
export class AuditJobs {
  private current: AuditJob | null = null;

  /** `run` is runAudit; a test passes one that holds a run at a chosen step. */
  constructor(private readonly run: typeof runAudit = runAudit) {}

  get runningId(): number | null {
    return this.current?.runId ?? null;
  }

  /** Starts a run; resolves with its id once it is recorded. */
  async start(dataSource: DataSource, actor: string, now = new Date()): Promise<number> {
    await this.refuseWhileRunning(dataSource);
    // Counted from audit_runs, so every server process and a restart see the same starts.
    const windowStart = new Date(now.getTime() - AUDIT_START_WINDOW_MINUTES * 60_000);
    const recent = await dataSource.getRepository(AuditRun).find({
      where: { actor: actor.slice(0, 100), startedAt: MoreThanOrEqual(windowStart) },
      order: { startedAt: 'ASC' },
      take: MAX_AUDIT_STARTS,
    });
    if (recent.length >= MAX_AUDIT_STARTS) {
      throw new AuditRateError(Math.max(1, Math.ceil((recent[0].startedAt.getTime() - windowStart.getTime()) / 1000)));
    }
    // Another start may have begun while the count was read.
    await this.refuseWhileRunning(dataSource);
    const job: AuditJob = { runId: -1, cancelRequested: false, done: Promise.resolve() };
    this.current = job;
    return new Promise<number>((resolve, reject) => {
      job.done = this.run(dataSource, {
        actor,
        onStart: (runId) => {
          job.runId = runId;
          resolve(runId);
        },
        cancelled: () => job.cancelRequested,
      })
        .then(
          () => undefined,
          (error) => {
            // The failure is recorded on the run (status failed, failure text) for the page to show.
            logger().error({ err: error, runId: job.runId }, 'audit failed');
            reject(error);
          },
        )
        .finally(() => {
          if (this.current === job) this.current = null;
        });
    });
  }

  /**
   * Refuses a start while an audit runs here. A run whose row already says it ended (the page
   * shows it finished) is still tidying up (its audit log entry, its worker threads): the start
   * waits for that instead of answering "busy" to a user who saw the run end.
   */
  private async refuseWhileRunning(dataSource: DataSource): Promise<void> {
    for (let job = this.current; job; job = this.current) {
      const row = job.runId > 0 ? await dataSource.getRepository(AuditRun).findOneBy({ id: job.runId }) : null;
      if (row?.status === 'running' || row === null) throw new AuditBusyError(job.runId);
      await job.done.catch(() => undefined);
      // The finished job clears itself; a start that came in meanwhile is seen on the next turn.
      if (this.current === job) this.current = null;
    }
  }

  /** Asks the running audit to stop; false when `runId` is not running here. */
  cancel(runId: number): boolean {
    if (!this.current || this.current.runId !== runId) return false;
    this.current.cancelRequested = true;
    return true;
  }

  /** Resolves when the running audit (if any) has ended: for tests and shutdown. */
  async idle(): Promise<void> {
    await this.current?.done.catch(() => undefined);
  }
}
