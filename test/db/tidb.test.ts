import { expect } from 'chai';
import type { DataSource, QueryRunner } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { hasTriggers } from '../../server/migrations/1764110000000-Notices.ts';
import { isTidb, tidbRelease } from '../../server/util/tidb.ts';
import { mariadbNameWith, mariadbServerQuery, mariadbUrlOf } from '../support/databases.ts';

describe('telling TiDB from MySQL and MariaDB by VERSION()', () => {
  const versions = [
    '10.11.19-MariaDB-0+deb12u1',
    '8.0.36',
    '5.7.44-log',
    '8.0.11-TiDB-v7.5.1',
    '5.7.25-TiDB-v6.5.0',
    '8.0.11-TiDB-v8.5.6-serverless',
    '8.0.11-tidb',
  ];

  it('names TiDB whatever the version, and its release where it gives one', () => {
    expect(versions.map(isTidb)).to.deep.equal([false, false, false, true, true, true, true]);
    expect(versions.map(tidbRelease)).to.deep.equal([null, null, null, [7, 5], [6, 5], [8, 5], null]);
  });

  it("leaves the notices' triggers out on a server that reports itself TiDB", async () => {
    const asking = (version: string) =>
      ({
        connection: { options: { type: 'mysql' } },
        query: async () => [{ version }],
      }) as unknown as QueryRunner;
    expect(await hasTriggers(asking('8.0.11-TiDB-v7.5.1'))).to.equal(false);
    expect(await hasTriggers(asking('10.11.19-MariaDB-0+deb12u1'))).to.equal(true);
  });
});

describe("a freshly migrated store has the notices' triggers where the server has triggers", () => {
  const freshName = mariadbNameWith('fresh_schema');
  let store: DataSource | undefined;

  afterEach(async () => {
    await store?.destroy();
    store = undefined;
    await mariadbServerQuery(`DROP DATABASE IF EXISTS \`${freshName}\``);
  });

  it('SQLite', async () => {
    store = await openDatabase('sqlite::memory:');
    const names = (await store.query("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")) as Array<{
      name: string;
    }>;
    expect(names.map((row) => row.name)).to.deep.equal(['notices_content_immutable', 'notices_never_deleted']);
  });

  it('MariaDB', async () => {
    await mariadbServerQuery(`DROP DATABASE IF EXISTS \`${freshName}\``);
    await mariadbServerQuery(`CREATE DATABASE \`${freshName}\``);
    store = await openDatabase(mariadbUrlOf(freshName));
    const names = (await store.query(
      'SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY name',
    )) as Array<{ name: string }>;
    expect(names.map((row) => row.name)).to.deep.equal(['notices_content_immutable', 'notices_never_deleted']);
  });
});
