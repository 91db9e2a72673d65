import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { ImportRun } from '../../server/entities/index.ts';
import { ImportJobs } from '../../server/services/import/importJobs.ts';

describe('web imports in a worker thread that stops halfway', () => {
  let directory = '';
  let url = '';
  let dataSource: DataSource;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-jobs-'));
    url = `sqlite:${path.join(directory, 'store.sqlite')}`;
    dataSource = await openDatabase(url);
  });

  after(async () => {
    await dataSource?.destroy();
    await rm(directory, { recursive: true, force: true });
  });

  async function recordRun(status: 'running' | 'refused'): Promise<number> {
    const run = await dataSource.getRepository(ImportRun).save({
      source: 'upload',
      status,
      startedAt: new Date(),
      finishedAt: status === 'running' ? null : new Date(),
      rowsRead: 0,
      carrierId: null,
      summary: null,
      errorCount: 0,
      owner: `pid:${process.pid}@${os.hostname()}`,
      failure: null,
    });
    return run.id;
  }

  const stoppingWorker = new URL('../support/stoppingImportWorker.js', import.meta.url);

  async function runStoppingWorker(runId: number, jobs = new ImportJobs(stoppingWorker)): Promise<void> {
    const location = await mkdtemp(path.join(directory, 'upload-'));
    expect(
      await jobs.start(dataSource, url, { location, source: String(runId), actor: 'test', carrier: null }),
    ).to.equal(runId);
    for (let waited = 0; !jobs.state(runId)?.done; waited += 20) {
      expect(waited, 'the job ends').to.be.below(10_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('ends the run as failed, so that its page does not show it running for ever', async () => {
    const id = await recordRun('running');
    await runStoppingWorker(id);
    expect(await dataSource.getRepository(ImportRun).findOneByOrFail({ id })).to.include({
      status: 'failed',
      failure: 'interrupted: the import worker stopped',
    });
  });

  it('keeps the outcome the run recorded before its worker stopped', async () => {
    const id = await recordRun('refused');
    await runStoppingWorker(id);
    expect(await dataSource.getRepository(ImportRun).findOneByOrFail({ id })).to.include({
      status: 'refused',
      failure: null,
    });
  });

  it('remembers only the most recent ended jobs, not every job since the server started', async () => {
    const jobs = new ImportJobs(stoppingWorker, 2);
    const ids = [await recordRun('refused'), await recordRun('refused'), await recordRun('refused')];
    for (const id of ids) await runStoppingWorker(id, jobs);
    expect(ids.map((id) => jobs.state(id)?.done ?? null)).to.deep.equal([null, true, true]);
  });
});
