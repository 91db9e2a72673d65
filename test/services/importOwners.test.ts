import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { openDataset, type Dataset } from '../../server/dataset/readers.ts';
import { ImportRun } from '../../server/entities/index.ts';
import {
  claimRunOwnership,
  endInterruptedRuns,
  endStoppedRun,
  hasIsFreeLock,
  isStoreBusy,
  takeAndLetGo,
} from '../../server/services/import/importOwners.ts';
import { runImport, type ImportOutcome } from '../../server/services/import/importRuns.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { runningProcess } from '../support/processes.ts';

async function saveRun(dataSource: DataSource, owner: string | null): Promise<number> {
  const run = await dataSource.getRepository(ImportRun).save({
    source: 'another process',
    status: 'running' as const,
    startedAt: new Date(),
    finishedAt: null,
    rowsRead: 0,
    carrierId: null,
    summary: null,
    errorCount: 0,
    owner,
    failure: null,
  });
  return run.id;
}

/**
 * Makes the import wait, before it reads the dataset's first file, for what `started()` gives (set once the run is
 * recorded).
 */
function waitBeforeReading(dataset: Dataset, started: () => Promise<unknown> | null): void {
  const [first] = dataset.tables;
  const records = first.records.bind(first);
  first.records = async function* () {
    const waiting = started();
    expect(waiting, 'set once the run was recorded').to.not.equal(null);
    await waiting;
    yield* records();
  };
  // Read through records() alone.
  delete first.recordBatches;
  delete first.sieve;
}

/** Whether IS_FREE_LOCK answers 1 for `name` within `polls` questions, 25 ms apart. */
async function lockFreedWithin(dataSource: DataSource, name: string, polls: number): Promise<boolean> {
  for (let poll = 0; poll < polls; poll++) {
    const [{ free }] = await dataSource.query('SELECT IS_FREE_LOCK(?) AS free', [name]);
    if (Number(free) === 1) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

const statusOf = async (dataSource: DataSource, id: number) =>
  (await dataSource.getRepository(ImportRun).findOneByOrFail({ id })).status;

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

    /**
     * Imports the small dataset from another DataSource on the store. `duringImport` is given the
     * run's id once the run is recorded, and the import reads its first file only once it is done.
     */
    async function importElsewhere<T>(
      duringImport: (runId: number) => Promise<T>,
    ): Promise<{ outcome: ImportOutcome; during: T }> {
      const elsewhere = await openDatabase(url);
      try {
        const dataset = await openDataset(await writeDataset(smallDataset()));
        let during: Promise<T> | null = null;
        waitBeforeReading(dataset, () => during);
        const outcome = await runImport(elsewhere, dataset, {
          onStart: (runId) => {
            during = duringImport(runId);
          },
        });
        return { outcome, during: await during! };
      } finally {
        await elsewhere.destroy();
      }
    }

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
        const child = runningProcess();
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
      const logged = await here.query('SELECT actor, action, subject FROM audit_events');
      expect(logged).to.deep.equal([{ actor: 'system', action: 'import.failed', subject: `import_run:${id}` }]);
    });

    // An SQLite store cannot be written to while the import holds it.
    if (database === 'MariaDB')
      it('clears the failure a run was wrongly ended with once it records its own outcome', async () => {
        // A lock connection the network dropped: the run looks stopped while it goes on.
        const { outcome, during } = await importElsewhere((runId) =>
          endStoppedRun(here, runId, 'interrupted: the process running it stopped'),
        );
        expect(during).to.equal(true);
        expect(await here.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId })).to.include({
          status: 'succeeded',
          failure: null,
        });
      });

    it('records the process running an import, and lets go of its lock once the run has ended', async () => {
      const { outcome, during } = await importElsewhere(
        async (runId) => (await here.getRepository(ImportRun).findOneByOrFail({ id: runId })).status,
      );
      expect(during, 'seen while it ran').to.equal('running');
      const run = await here.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
      expect(run.status).to.equal('succeeded');
      if (database === 'MariaDB') {
        expect(run.owner).to.match(/^lock:/);
        const [{ free }] = await here.query('SELECT IS_FREE_LOCK(?) AS free', [run.owner!.slice('lock:'.length)]);
        expect(Number(free), 'released').to.equal(1);
      } else {
        expect(run.owner).to.equal(`pid:${process.pid}@${os.hostname()}`);
      }
    });

    // On SQLite the importing process would be this one, whose runs a page never ends.
    if (database === 'MariaDB')
      it("keeps the run's lock while its import goes on, seen from a server that starts meanwhile", async () => {
        const { outcome, during } = await importElsewhere(() => endInterruptedRuns(here, { atStart: true }));
        expect(during).to.equal(0);
        expect(await statusOf(here, outcome.runId)).to.equal('succeeded');
      });

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

  it("takes a run under this process's own id for an earlier process's when the server starts (a container's server is process 1 every time), and for its own after", async () => {
    const id = await saveRun(here, `pid:${process.pid}@${os.hostname()}`);
    expect(await endInterruptedRuns(here, { atStart: false })).to.equal(0);
    expect(await endInterruptedRuns(here, { atStart: true })).to.equal(1);
    expect(await statusOf(here, id)).to.equal('failed');
  });

  it('recognises the error of an SQLite store another process is writing to (a starting server and a page get past it), and ends the run once the writer is done', async function () {
    this.timeout(20_000);
    const id = await saveRun(here, null);
    const writer = await openDatabase(`sqlite:${path.join(directory, 'store.sqlite')}`);
    const runner = writer.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query("UPDATE import_runs SET source = 'writing' WHERE id = ?", [id]);
      const failure = await endInterruptedRuns(here, { atStart: true }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isStoreBusy(failure), String(failure)).to.equal(true);
      expect(isStoreBusy(new Error('SQLITE_BUSY'))).to.equal(false);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
      await writer.destroy();
    }
    expect(await endInterruptedRuns(here, { atStart: true })).to.equal(1);
  });

  it("takes another host's run for stopped when the server starts (an SQLite file is not shared between machines; a container made anew has a new host name), and leaves it on a page", async () => {
    const id = await saveRun(here, `pid:${process.pid}@not-${os.hostname()}`);
    expect(await endInterruptedRuns(here, { atStart: false })).to.equal(0);
    expect(await endInterruptedRuns(here, { atStart: true })).to.equal(1);
    expect(await statusOf(here, id)).to.equal('failed');
  });
});

describe('import runs of processes that stopped: named locks [MariaDB]', () => {
  let here: DataSource;

  before(async () => {
    here = await openDatabase(mariadbUrl);
    await clearAllData(here);
  });

  after(() => here?.destroy());

  it('ends an import as it ended when the database dropped the connection holding its lock, the lock then free', async () => {
    const dataset = await openDataset(await writeDataset(smallDataset()));
    let killed: Promise<void> | null = null;
    waitBeforeReading(dataset, () => killed);
    const outcome = await runImport(here, dataset, {
      onStart: (runId) => {
        killed = (async () => {
          const run = await here.getRepository(ImportRun).findOneByOrFail({ id: runId });
          const [{ session }] = await here.query('SELECT IS_USED_LOCK(?) AS session', [
            run.owner!.slice('lock:'.length),
          ]);
          await here.query(`KILL ${Number(session)}`);
        })();
      },
    });
    expect(outcome.status).to.equal('succeeded');
    const run = await here.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
    expect(run.status).to.equal('succeeded');
    // KILL returns before the killed session has ended: the server frees its locks a moment later.
    expect(await lockFreedWithin(here, run.owner!.slice('lock:'.length), 200), 'freed').to.equal(true);
    // The pool still answers on every connection it has.
    const answers = await Promise.all(Array.from({ length: 12 }, () => here.query('SELECT 1 AS one')));
    expect(answers.map(([row]) => Number(row.one))).to.deep.equal(Array(12).fill(1));
  });

  it('tells a held lock from a free one by taking it, where IS_FREE_LOCK is missing (TiDB before 7.3), and lets go of what it took', async () => {
    const ownership = await claimRunOwnership(here);
    const name = ownership.owner.slice('lock:'.length);
    try {
      expect(await takeAndLetGo(here, name), 'held').to.equal(false);
    } finally {
      await ownership.release();
    }
    expect(await takeAndLetGo(here, name), 'free').to.equal(true);
    const [{ free }] = await here.query('SELECT IS_FREE_LOCK(?) AS free', [name]);
    expect(Number(free), 'let go').to.equal(1);
  });

  it('asks IS_FREE_LOCK of MySQL, MariaDB and TiDB 7.3 on, and takes the lock on older TiDB', () => {
    const asks = [
      '8.0.36',
      '10.11.6-MariaDB-0+deb12u1',
      '8.0.11-TiDB-v7.3.0',
      '8.0.11-TiDB-v7.5.1',
      '8.0.11-TiDB-v8.5.6',
    ];
    const takes = ['5.7.25-TiDB-v6.5.0', '8.0.11-TiDB-v7.1.5', '8.0.11-TiDB-v6.1.0', '5.7.25-TiDB-unknown'];
    expect(asks.filter(hasIsFreeLock)).to.deep.equal(asks);
    expect(takes.filter(hasIsFreeLock)).to.deep.equal([]);
  });
});
