import { expect } from 'chai';
import { hasTriggers } from '../../server/migrations/1764110000000-Notices.ts';
import { isTidb, tidbRelease } from '../../server/util/tidb.ts';
import { describeEachDatabase } from '../support/databases.ts';

describe('telling TiDB from MySQL and MariaDB by VERSION()', () => {
  const versions = ['10.11.19-MariaDB-0+deb12u1', '8.0.36', '5.7.44-log', '8.0.11-TiDB-v7.5.1', '5.7.25-TiDB-v6.5.0', '8.0.11-TiDB-v8.5.6-serverless', '8.0.11-tidb'];

  it('names TiDB whatever the version, and its release where it gives one', () => {
    expect(versions.map(isTidb)).to.deep.equal([false, false, false, true, true, true, true]);
    expect(versions.map(tidbRelease)).to.deep.equal([null, null, null, [7, 5], [6, 5], [8, 5], null]);
  });
});

describeEachDatabase('the notices\' triggers', (ctx) => {
  it('are made where the server has triggers, as SQLite and MariaDB have', async () => {
    const runner = ctx.dataSource.createQueryRunner();
    try {
      expect(await hasTriggers(runner)).to.equal(true);
    } finally {
      await runner.release();
    }
    const names = ctx.dataSource.options.type === 'better-sqlite3'
      ? await ctx.dataSource.query("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
      : await ctx.dataSource.query('SELECT TRIGGER_NAME AS name FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY name');
    expect(names.map((row: { name: string }) => row.name)).to.deep.equal(['notices_content_immutable', 'notices_never_deleted']);
  });
});
