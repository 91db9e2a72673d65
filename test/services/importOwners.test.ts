import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { ImportRun } from '../../server/entities/index.ts';
import { claimRunOwnership, endInterruptedRuns } from '../../server/services/importOwners.ts';
import { runImport } from '../../server/services/importRuns.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';

/** A process of this host that runs until it is killed. */
function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: async () => { child.kill(); await once(child, 'exit'); } };
}

async function saveRun(dataSource: DataSource, owner: string | null): Promise<number> {
  const run = await dataSource.getRepository(ImportRun).save({
    source: 'another process', status: 'running' as const, startedAt: new Date(), finishedAt: null,
    rowsRead: 0, carrierId: null, summary: null, errorCount: 0, owner, failure: null,
  });
  return run.id;
}

const statusOf = async (dataSource: DataSource, id: number) => (await dataSource.getRepository(ImportRun).findOneByOrFail({ id })).status;

/**
 * Two processes on one store, as in indexFreshness.test.ts: `elsewhere` stands for the command
 * line or another server, `here` for a server that starts or shows an import's page.
 */
for (const database of ['SQLite', 'MariaDB'] as const) {
  describe(`import runs of processes that stopped [${database}]`, function () {
    let directory = '';
    let url = '';
    let here: DataSource;

    before(async () => {
      directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-owners-'));
      url = database === 'SQLite' ? `sqlite:${path.join(directory, 'store.sqlite')}` : mariadbUrl;
      here = await openDatabase(url);
      await clearAllData(here);
    });

    beforeEach(() => clearAllData(here));

    after(async () => {
      await here?.destroy();
      await rm(directory, { recursive: true, force: true });
    });

    it('leaves a run that another process is importing running, when a server starts and on its page, and ends it once that process stops', async () => {
      // MariaDB: a process holds its lock on a connection of its own, freed when that closes
      // however the process ends. SQLite: a process of this host, asked whether it still exists.
      let stop: () => Promise<void>;
      let owner: string;
      if (database === 'MariaDB') {
        const elsewhere = await openDatabase(url);
        owner = (await claimRunOwnership(elsewhere)).owner;
        expect(owner).to.match(/^lock:sms106_import_[0-9a-f]{32}$/);
        stop = () => elsewhere.destroy();
      } else {
        const child = otherProcess();
        owner = `pid:${child.pid}@${os.hostname()}`;
        stop = child.stop;
      }
      const id = await saveRun(here, owner);
      expect(await endInterruptedRuns(here, { atStart: true })).to.equal(0);
      expect(await endInterruptedRuns(here, { atStart: false })).to.equal(0);
      expect(await statusOf(here, id)).to.equal('running');
      await stop();
      expect(await endInterruptedRuns(here, { atStart: false })).to.equal(1);
      const run = await here.getRepository(ImportRun).findOneByOrFail({ id });
      expect(run).to.include({ status: 'failed', failure: 'interrupted: the process running it stopped' });
      expect(run.finishedAt).to.be.instanceOf(Date);
    });

    it('records the process running an import, and lets go of its lock once the run has ended', async () => {
      const elsewhere = await openDatabase(url);
      try {
        let seenRunning = false;
        const outcome = await runImport(elsewhere, await openDataset(await writeDataset(smallDataset())), {
          onStart: () => { seenRunning = true; },
        });
        expect(seenRunning).to.equal(true);
        const run = await here.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
        expect(run.status).to.equal('succeeded');
        if (database === 'MariaDB') {
          expect(run.owner).to.match(/^lock:/);
          const [{ free }] = await here.query('SELECT IS_FREE_LOCK(?) AS free', [run.owner!.slice('lock:'.length)]);
          expect(Number(free), 'released').to.equal(1);
        } else {
          expect(run.owner).to.equal(`pid:${process.pid}@${os.hostname()}`);
        }
      } finally {
        await elsewhere.destroy();
      }
    });

    // On SQLite the other process is this one (its id is covered below and above).
    if (database === 'MariaDB') {
      it('sees a run as running while its import goes on in another process', async () => {
        const elsewhere = await openDatabase(url);
        try {
          let checked: Promise<number> | null = null;
          const outcome = await runImport(elsewhere, await openDataset(await writeDataset(smallDataset())), {
            // While the import is under way, a server starts and looks.
            onStart: () => { checked = endInterruptedRuns(here, { atStart: true }); },
          });
          expect(await checked).to.equal(0);
          expect(await statusOf(here, outcome.runId)).to.equal('succeeded');
        } finally {
          await elsewhere.destroy();
        }
      });
    }

    it('ends a run without an owner (started before owners were kept) when a server starts, not on a page', async () => {
      const id = await saveRun(here, null);
      expect(await endInterruptedRuns(here, { atStart: false })).to.equal(0);
      expect(await endInterruptedRuns(here, { atStart: true })).to.equal(1);
      expect(await statusOf(here, id)).to.equal('failed');
    });

    it('leaves a run that ended meanwhile as it ended', async () => {
      const id = await saveRun(here, null);
      const [run] = await here.getRepository(ImportRun).findBy({ id });
      await here.getRepository(ImportRun).update(id, { status: 'succeeded', finishedAt: new Date() });
      expect(await endInterruptedRuns(here, { atStart: true, runs: [run] })).to.equal(0);
      expect(await statusOf(here, id)).to.equal('succeeded');
    });
  });
}

describe('import runs of processes that stopped: process ids (SQLite)', () => {
  let directory = '';
  let here: DataSource;

  before(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-owners-'));
    here = await openDatabase(`sqlite:${path.join(directory, 'store.sqlite')}`);
  });

  after(async () => {
    await here?.destroy();
    await rm(directory, { recursive: true, force: true });
  });

  it('takes a run under this process\'s own id for an earlier process\'s when the server starts (a container\'s server is process 1 every time), and for its own after', async () => {
    const id = await saveRun(here, `pid:${process.pid}@${os.hostname()}`);
    expect(await endInterruptedRuns(here, { atStart: false })).to.equal(0);
    expect(await endInterruptedRuns(here, { atStart: true })).to.equal(1);
    expect(await statusOf(here, id)).to.equal('failed');
  });

  it('leaves a run of another host to that host', async () => {
    const child = otherProcess();
    await child.stop();
    const id = await saveRun(here, `pid:${child.pid}@not-${os.hostname()}`);
    expect(await endInterruptedRuns(here, { atStart: true })).to.equal(0);
    expect(await statusOf(here, id)).to.equal('running');
  });
});
