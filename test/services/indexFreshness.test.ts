import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { runImport } from '../../server/services/import/importRuns.ts';
import { allocationIndexFor, indexRecheck, lookupNumber } from '../../server/services/lookup/lookup.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { A1, E_LOGI, smallDataset, writeDataset } from '../support/fixtures.ts';

/** A number under A1's segment that only the second import gives to an entity. */
const NUMBER = '1069012345031';
const AT = '2024-06-01T10:00';

function withNewGrant(): Record<string, string> {
  const files = smallDataset();
  files['allocations.csv'] += `106901234503,${A1},${E_LOGI},2024-01-01,,,true\n`;
  return files;
}

/** Now as both databases take a DATETIME parameter. */
const sqlNow = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

async function entityOf(dataSource: DataSource): Promise<string | null> {
  return (await lookupNumber(dataSource, NUMBER, AT)).chain?.entity?.name ?? null;
}

/**
 * Two processes on one store, as two servers behind a load balancer or a server and
 * `sms106 import`: each has its own DataSource and its own index.
 */
for (const database of ['SQLite', 'MariaDB'] as const) {
  describe(`an import by another process reaches this one's lookups [${database}]`, function () {
    let directory = '';
    let serving: DataSource;
    let importing: DataSource;
    const interval = indexRecheck.intervalMs;

    before(async () => {
      directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-fresh-'));
      const url = database === 'SQLite' ? `sqlite:${path.join(directory, 'store.sqlite')}` : mariadbUrl;
      serving = await openDatabase(url);
      importing = await openDatabase(url);
      await clearAllData(serving);
      const first = await runImport(importing, await openDataset(await writeDataset(smallDataset())));
      expect(first.status).to.equal('succeeded');
    });

    after(async () => {
      indexRecheck.intervalMs = interval;
      await serving?.destroy();
      await importing?.destroy();
      await rm(directory, { recursive: true, force: true });
    });

    it('after its next check, the old index answering until the rebuild is done', async () => {
      indexRecheck.intervalMs = 60_000;
      expect(await entityOf(serving), 'before the second import').to.equal(null);
      const second = await runImport(importing, await openDataset(await writeDataset(withNewGrant())));
      expect(second.status).to.equal('succeeded');
      expect(await entityOf(serving), 'no check yet').to.equal(null);
      indexRecheck.intervalMs = 0;
      expect(await entityOf(serving), 'this lookup starts the check and is answered from the old index').to.equal(null);
      await allocationIndexFor(serving, { fresh: true });
      indexRecheck.intervalMs = 60_000;
      expect(await entityOf(serving)).to.equal('杭州某物流有限公司');
    });

    it('at once for a caller that asks for the store as it is now (an audit)', async () => {
      indexRecheck.intervalMs = 60_000;
      const before = await allocationIndexFor(serving);
      expect(await allocationIndexFor(serving, { fresh: true }), 'no import since: the same index').to.equal(before);
      const files = withNewGrant();
      files['allocations.csv'] = files['allocations.csv'].replace(
        `106901234503,${A1},${E_LOGI},2024-01-01,,,true`,
        `106901234503,${A1},${E_LOGI},2024-01-01,2024-03-31,,true`,
      );
      expect((await runImport(importing, await openDataset(await writeDataset(files)))).status).to.equal('succeeded');
      const after = await allocationIndexFor(serving, { fresh: true });
      expect(after).to.not.equal(before);
      expect(await entityOf(serving), 'the grant ended before the moment asked about').to.equal(null);
    });

    it('when a run ends after a later one, as two processes importing at once can', async () => {
      indexRecheck.intervalMs = 60_000;
      // A run another process has begun and not yet ended…
      const [{ id: early }] = (await importing.query('SELECT MAX(id) AS id FROM import_runs')) as Array<{ id: number }>;
      await importing.query(
        "INSERT INTO import_runs (source, status, started_at, rows_read, error_count) VALUES ('elsewhere', 'running', ?, 0, 0)",
        [sqlNow()],
      );
      // …a later one that ends first, and is seen…
      expect((await runImport(importing, await openDataset(await writeDataset(smallDataset())))).status).to.equal(
        'succeeded',
      );
      await allocationIndexFor(serving, { fresh: true });
      expect(await entityOf(serving)).to.equal(null);
      // …then the first commits its rows and ends.
      await importDataset(importing, await openDataset(await writeDataset(withNewGrant())));
      await importing.query(
        "UPDATE import_runs SET status = 'succeeded', finished_at = ? WHERE id > ? AND status = 'running'",
        [sqlNow(), early],
      );
      await allocationIndexFor(serving, { fresh: true });
      expect(await entityOf(serving)).to.equal('杭州某物流有限公司');
    });

    it('fails a fresh caller when the store cannot be read, and keeps the index in use for the others', async () => {
      indexRecheck.intervalMs = 60_000;
      const inUse = await allocationIndexFor(serving);
      await importing.query('ALTER TABLE import_runs RENAME TO import_runs_away');
      try {
        let failure: unknown = null;
        await allocationIndexFor(serving, { fresh: true }).catch((error: unknown) => {
          failure = error;
        });
        expect(failure, 'the audit is told').to.be.instanceOf(Error);
        expect(await allocationIndexFor(serving)).to.equal(inUse);
      } finally {
        await importing.query('ALTER TABLE import_runs_away RENAME TO import_runs');
      }
    });
  });
}
