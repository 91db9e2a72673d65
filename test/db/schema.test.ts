import { expect } from 'chai';
import { describeEachDatabase } from '../support/databases.ts';

describeEachDatabase('schema', (ctx) => {
  it('after the migrations the database matches the entities exactly', async () => {
    const pending = await ctx.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).to.deep.equal([]);
  });

  it('refuses a second carrier with the same code (natural key unique in the database)', async () => {
    await ctx.dataSource.query("INSERT INTO carriers (code, name) VALUES ('CMCC', '中国移动')");
    let refused: unknown;
    try {
      await ctx.dataSource.query("INSERT INTO carriers (code, name) VALUES ('CMCC', '另一个')");
    } catch (error) {
      refused = error;
    }
    expect(refused, 'duplicate insert must fail').to.be.instanceOf(Error);
  });
});
