import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { Message } from '../../server/entities/index.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { listMessages } from '../../server/services/audit/messages.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';

describeEachDatabase('message search', (ctx) => {
  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const sample = await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M1' });
    for (const [ref, content] of [
      ['S1', '满100%返现'],
      ['S2', '满1000返现'],
      ['S3', '编号a_b'],
      ['S4', '编号axb'],
      ['S5', '感叹!号'],
    ]) {
      await ctx.dataSource
        .getRepository(Message)
        .save({ ...sample, id: undefined, externalId: ref, naturalKey: `id:${ref}`, content });
    }
  });

  it('matches %, _ and ! in the searched text literally, on both stores', async () => {
    const search = async (text: string) =>
      (await listMessages(ctx.dataSource, { carrierId: null }, { text }, 1, 50)).rows.map((m) => m.externalId).sort();
    expect(await search('100%')).to.deep.equal(['S1']);
    expect(await search('a_b')).to.deep.equal(['S3']);
    expect(await search('叹!号')).to.deep.equal(['S5']);
  });
});
