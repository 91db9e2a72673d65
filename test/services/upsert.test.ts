import { expect } from 'chai';
import { Carrier, ProtectedSender } from '../../server/entities/index.ts';
import { MAX_STATEMENT_PARAMETERS, Upserter, upsertStatement } from '../../server/services/import/upsert.ts';
import { describeEachDatabase } from '../support/databases.ts';

describe('upsertStatement', () => {
  it('writes MySQL/MariaDB/TiDB ON DUPLICATE KEY UPDATE with backquoted names', () => {
    expect(upsertStatement('mysql', 'carriers', ['code', 'name'], ['code'], ['name'], 2)).to.equal(
      'INSERT INTO `carriers` (`code`,`name`) VALUES (?,?),(?,?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)',
    );
  });

  it('writes SQLite ON CONFLICT … DO UPDATE on the natural key', () => {
    expect(upsertStatement('sqlite', 'carriers', ['code', 'name'], ['code'], ['name'], 1)).to.equal(
      'INSERT INTO "carriers" ("code","name") VALUES (?,?) ON CONFLICT ("code") DO UPDATE SET "name" = excluded."name"',
    );
  });

  it('is a plain INSERT when nothing is to be updated', () => {
    expect(upsertStatement('sqlite', 'signatures', ['entity_id', 'text'], [], [], 1)).to.equal(
      'INSERT INTO "signatures" ("entity_id","text") VALUES (?,?)',
    );
  });
});

describeEachDatabase('Upserter', (ctx) => {
  it('inserts new rows and updates the listed columns of rows whose natural key exists', async () => {
    const upserter = new Upserter(ctx.dataSource.manager, Carrier, ['code'], ['name']);
    await upserter.write([
      { code: 'CMCC', name: '移动' },
      { code: 'CUCC', name: '中国联通' },
    ]);
    await upserter.write([{ code: 'CMCC', name: '中国移动' }]);
    const stored = await ctx.dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } });
    expect(stored.map((c) => [c.code, c.name])).to.deep.equal([
      ['CMCC', '中国移动'],
      ['CUCC', '中国联通'],
    ]);
  });

  it('splits more rows than one statement may bind into several statements', async () => {
    const upserter = new Upserter(ctx.dataSource.manager, Carrier, ['code'], ['name']);
    const rows = Array.from({ length: MAX_STATEMENT_PARAMETERS / 2 + 7 }, (_, i) => ({
      code: `C${i}`,
      name: `carrier ${i}`,
    }));
    expect(upserter.rowsFor(rows[0])).to.equal(MAX_STATEMENT_PARAMETERS / 2);
    await upserter.write(rows);
    expect(await ctx.dataSource.getRepository(Carrier).count()).to.equal(rows.length);
  });

  it('stores values as TypeORM would (JSON columns, the version column left to its default)', async () => {
    await new Upserter(ctx.dataSource.manager, ProtectedSender, ['name'], ['uscc', 'aliases']).write([
      { name: '某市公安局交通管理局', uscc: null, aliases: ['交警', '车管所'] },
    ]);
    const stored = await ctx.dataSource
      .getRepository(ProtectedSender)
      .findOneByOrFail({ name: '某市公安局交通管理局' });
    expect([stored.aliases, stored.version, stored.uscc]).to.deep.equal([['交警', '车管所'], 1, null]);
  });
});
