import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { openPlainStore } from '../../server/db/plainStore.ts';
import { demoDatasetDir } from '../../server/demo.ts';
import { Allocation } from '../../server/entities/index.ts';
import { migrations } from '../../server/migrations/index.ts';
import { MIGRATION_NAMES } from '../../server/migrations/names.ts';
import { formatShanghai } from '../../server/numbering/time.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { lookupOnce, readLookupInput } from '../../server/services/lookup/chainOnce.ts';
import { lookupJson, lookupNumber } from '../../server/services/lookup/lookup.ts';
import type { DataSource } from 'typeorm';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { cli } from '../support/cliInProcess.ts';
import { staticImports } from '../support/staticImports.ts';

describe('sms106 lookup without TypeORM', () => {
  it('knows every migration by name without loading them (server/migrations/names.ts)', () => {
    expect(MIGRATION_NAMES).to.deep.equal(migrations.map((migration) => migration.name));
  });

  it('loads no package through its static imports: the driver is loaded when the store is opened', () => {
    expect(staticImports('server/cli/lookup.ts').packages).to.deep.equal([]);
    expect(staticImports('server/services/lookup/lookup.ts').packages).to.include('typeorm');
  });

  it('leaves a store that is not current to the usual way: in memory, not made yet, never migrated, a migration pending', async () => {
    expect(await openPlainStore('sqlite::memory:')).to.equal(null);
    const folder = await mkdtemp(path.join(os.tmpdir(), 'sms106-plain-'));
    const file = path.join(folder, 'not-yet', 'store.sqlite');
    expect(await openPlainStore(`sqlite:${file}`)).to.equal(null);
    expect(existsSync(path.dirname(file)), 'nothing made').to.equal(false);

    const empty = path.join(folder, 'empty.sqlite');
    new Database(empty).exec('CREATE TABLE notes (text TEXT)');
    expect(await openPlainStore(`sqlite:${empty}`), 'a database with no migrations table').to.equal(null);

    const pending = path.join(folder, 'pending.sqlite');
    const dataSource = await openDatabase(`sqlite:${pending}`);
    await dataSource.query('DELETE FROM migrations WHERE name = ?', [MIGRATION_NAMES.at(-1)]);
    await dataSource.destroy();
    expect(await openPlainStore(`sqlite:${pending}`)).to.equal(null);
  });

  it('names a file that is not a database, and a server it cannot reach, as openDatabase does', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-plain-')), 'store.sqlite');
    await writeFile(file, 'not a database\n'.repeat(300));
    const notDatabase = await openPlainStore(`sqlite:${file}`).catch((error: Error) => error);
    expect([(notDatabase as Error).name, (notDatabase as Error).message]).to.deep.equal([
      'DatabaseOpenError',
      `cannot open the database at sqlite:${file}: file is not a database`,
    ]);
    const unreachable = await openPlainStore('mysql://auditor:pw@127.0.0.1:1/sms106').catch((error: Error) => error);
    expect((unreachable as Error).message).to.equal(
      'cannot open the database at mysql://auditor:***@127.0.0.1:1/sms106: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('makes and migrates a SQLite store that does not exist yet, then answers', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-plain-')), 'new', 'store.sqlite');
    const result = await cli('lookup', '10690123456789', '--json', '--db', `sqlite:${file}`);
    expect([result.code, result.stderr]).to.deep.equal([0, '']);
    expect(JSON.parse(result.stdout)).to.deep.include({ chain: [], entity: null });
    expect(await openPlainStore(`sqlite:${file}`).then((store) => store?.close())).to.equal(undefined);
  });
});

for (const kind of ['SQLite', 'MariaDB'] as const) {
  describe(`sms106 lookup through the bare driver [${kind}]`, () => {
    let url: string;
    const ctx = {} as { dataSource: DataSource };

    before(async () => {
      url =
        kind === 'SQLite'
          ? `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-plain-')), 'store.sqlite')}`
          : mariadbUrl;
      ctx.dataSource = await openDatabase(url);
      await clearAllData(ctx.dataSource);
    });

    after(() => ctx.dataSource.destroy());

    it('answers exactly as the whole index does, for numbers in, beside and outside the demo’s grants', async () => {
      await importDataset(ctx.dataSource, await openDataset(demoDatasetDir));
      const store = await openPlainStore(url);
      expect(store, 'a current store opens without TypeORM').not.to.equal(null);
      try {
        const allocations = await ctx.dataSource.getRepository(Allocation).find();
        const cases = allocations.flatMap((a) => {
          const last = a.validTo === null ? '2030-06-01T12:00:00+08:00' : `${a.validTo}T23:59:59+08:00`;
          return [
            [a.prefix.padEnd(13, '7'), `${a.validFrom}T00:00:00+08:00`],
            [a.prefix.padEnd(13, '7'), last],
            [`${a.prefix.slice(0, -1)}${(Number(a.prefix.at(-1)) + 1) % 10}`.padEnd(13, '3'), last],
          ];
        });
        const differences: string[] = [];
        let chains = 0;
        for (const [number, at] of cases) {
          const input = readLookupInput(number, at);
          const plain = JSON.stringify(
            lookupJson(await lookupOnce(store!.query, input.number, input.at), formatShanghai),
          );
          const whole = JSON.stringify(lookupJson(await lookupNumber(ctx.dataSource, number, at), formatShanghai));
          if (plain !== whole) differences.push(`${number} at ${at}`);
          if (!whole.includes('"chain":[]')) chains++;
        }
        expect(differences).to.deep.equal([]);
        expect(chains).to.be.at.least(allocations.length);
      } finally {
        await store?.close();
      }
      const printed = await cli('lookup', '1069228351067701', '--at', '2022-03-14T09:30', '--db', url);
      expect(printed.stdout).to.include('登记使用主体：深圳市腾跃鑫商贸有限公司（91440300MA5K54W81F）');
    });
  });
}
