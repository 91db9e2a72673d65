import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { AuditRun } from '../../server/entities/index.ts';
import { AuditBusyError, AuditJobs } from '../../server/services/audit/auditJobs.ts';
import type { runAudit } from '../../server/services/audit/auditRuns.ts';
import { describeEachDatabase } from '../support/databases.ts';

/**
 * A stand-in for runAudit that records its run, then stops at a step the test releases: first
 * with the row still running, then with the row ended but the job not yet over (runAudit still
 * writes its audit log entry and closes its worker threads after the row says it ended).
 */
function heldRun() {
  let releaseRow!: () => void;
  let releaseEnd!: () => void;
  const rowEnds = new Promise<void>((resolve) => (releaseRow = resolve));
  const jobEnds = new Promise<void>((resolve) => (releaseEnd = resolve));
  let rowEnded!: () => void;
  const rowHasEnded = new Promise<void>((resolve) => (rowEnded = resolve));
  const run = (async (dataSource: DataSource, options: Parameters<typeof runAudit>[1]) => {
    const runs = dataSource.getRepository(AuditRun);
    const row = await runs.save(
      runs.create({
        status: 'running',
        actor: options.actor,
        startedAt: new Date(),
        finishedAt: null,
        itemsTotal: 0,
        itemsDone: 0,
        findingsTotal: null,
        findingsNew: null,
        carrierTotals: null,
        failure: null,
      }),
    );
    options.onStart?.(row.id);
    await rowEnds;
    await runs.update(row.id, { status: 'succeeded', finishedAt: new Date(), findingsTotal: 0, findingsNew: 0 });
    rowEnded();
    await jobEnds;
    return { runId: row.id, status: 'succeeded', findings: [], newFindings: 0 };
  }) as typeof runAudit;
  return { run, releaseRow, releaseEnd, rowHasEnded };
}

describeEachDatabase('audit jobs of one server process', (ctx) => {
  it('refuses a second start while the run is going, and accepts one as soon as its row says it ended', async () => {
    const first = heldRun();
    const jobs = new AuditJobs(first.run);
    const firstId = await jobs.start(ctx.dataSource, 'someone');
    const busy = await jobs.start(ctx.dataSource, 'someone').then(
      () => null,
      (error: unknown) => error,
    );
    expect(busy).to.be.instanceOf(AuditBusyError);
    expect((busy as AuditBusyError).runId).to.equal(firstId);

    // The run page now shows the run finished; the user starts the next one at once.
    first.releaseRow();
    await first.rowHasEnded;
    expect(jobs.runningId).to.equal(firstId);
    let secondId: number | null = null;
    const second = jobs.start(ctx.dataSource, 'someone').then((id) => (secondId = id));
    // The start waits for the ended run's tidy-up rather than answering "busy".
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(secondId).to.equal(null);
    first.releaseEnd();
    await second;
    expect(secondId).to.be.a('number').and.not.equal(firstId);
    await jobs.idle();
    const rows = await ctx.dataSource.getRepository(AuditRun).find({ order: { id: 'ASC' } });
    expect(rows.map((r) => r.status)).to.deep.equal(['succeeded', 'succeeded']);
  });
});
