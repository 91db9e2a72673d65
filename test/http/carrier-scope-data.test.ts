import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Agent, Allocation, Carrier, Complaint, ImportRun, Message } from '../../server/entities/index.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A3, E_LOGI, smallDataset, snapshot, uscc, writeDataset } from '../support/fixtures.ts';
import { signIn, uploadDataset, type Client } from '../support/session.ts';

const A4 = uscc('91440300MA06FFFF6');

// In the small dataset CMCC's tree holds A1, A2 and every entity; CUCC's holds only A3's segment 10655.
describeEachDatabase("a carrier user's data: imports confined to the carrier, traffic attributed to it", (ctx) => {
  let cucc: Client;
  let cmcc: Client;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const app = createApp(ctx.dataSource);
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
    cmcc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CMCC' });
  });

  it('each message and complaint is attributed to the carrier whose chain held its sender at the time', async () => {
    const cmccId = (await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CMCC' })).id;
    const messages = await ctx.dataSource.getRepository(Message).find({ order: { id: 'ASC' } });
    expect(messages.map((m) => m.rootCarrierId)).to.deep.equal([cmccId, cmccId]);
    const complaints = await ctx.dataSource.getRepository(Complaint).find();
    expect(complaints.map((c) => c.rootCarrierId)).to.deep.equal([cmccId]);
  });

  it('the dashboard shows a carrier only its own traffic', async () => {
    const cmccPage = (await cmcc.get('/').expect(200)).text;
    const cuccPage = (await cucc.get('/').expect(200)).text;
    const total = (html: string, id: string) =>
      new RegExp(`data-testid="${id}"><div class="muted">[^<]+</div><div class="value">(\\d+)`).exec(html)?.[1];
    expect([total(cmccPage, 'messages-total'), total(cmccPage, 'complaints-total')]).to.deep.equal(['2', '1']);
    expect([total(cuccPage, 'messages-total'), total(cuccPage, 'complaints-total')]).to.deep.equal(['0', '0']);
  });

  it('a later import of CUCC traffic and of a new allocation re-attributes what it covers', async () => {
    const cuccId = (await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CUCC' })).id;
    await importDataset(
      ctx.dataSource,
      await openDataset(
        await writeDataset({
          'messages.csv':
            'id,sender,sent_at,content\nM9,1069099887766,2024-01-02T08:00:00+08:00,【某物流】取件码 1234\n',
        }),
      ),
    );
    expect((await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M9' })).rootCarrierId).to.equal(
      null,
    );
    await importDataset(
      ctx.dataSource,
      await openDataset(
        await writeDataset({
          'allocations.csv': `prefix,holder,lessee,valid_from\n10690998,CUCC,${A3},2023-01-01\n106909988,${A3},${E_LOGI},2023-06-01\n`,
        }),
      ),
    );
    expect((await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M9' })).rootCarrierId).to.equal(
      cuccId,
    );
  });

  it('a carrier user imports allocations, agents and traffic under its own segments; the run is marked as theirs', async () => {
    const { location, page } = await uploadDataset(cucc, {
      'agents.csv': `uscc,name,licence_no\n${A4},深圳四级信息有限公司,粤B2-20230004\n`,
      'allocations.csv': `prefix,holder,lessee,valid_from\n106551,${A3},${A4},2024-01-01\n`,
      'messages.csv': 'id,sender,sent_at,content\nU1,1065512345678,2024-02-01T10:00:00+08:00,【联通】话费提醒\n',
    });
    expect(page).to.include('导入完成');
    const run = await ctx.dataSource
      .getRepository(ImportRun)
      .findOneByOrFail({ id: Number(location.split('/').pop()) });
    expect(run.carrierId).to.equal((await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CUCC' })).id);
    const allocation = await ctx.dataSource.getRepository(Allocation).findOneByOrFail({ prefix: '106551' });
    expect(allocation.level).to.equal(2);
    await cmcc.get(location).expect(404);
    expect((await cmcc.get('/imports').expect(200)).text).not.to.include(`href="${location}"`);
  });

  it("refuses, naming each row, another carrier's rows, chains under another carrier, reference data and changes to shared agents", async () => {
    const before = await snapshot(ctx.dataSource);
    const { page } = await uploadDataset(cucc, {
      'carriers.csv': 'code,name\nCMCC,改名的移动\n',
      'agents.csv': `uscc,name,licence_no\n${A1},冒名改写的一级代理,\n${A4},深圳四级信息有限公司,\n`,
      'allocations.csv': `prefix,holder,lessee,valid_from\n1069099,CMCC,${A4},2024-01-01\n10690123459,${A1},${A4},2024-01-01\n`,
      'protected_senders.csv': 'name,uscc,aliases\n某市公安局,,\n',
    });
    expect(page).to.include('导入被拒绝');
    for (const text of [
      '只能导入本运营商（CUCC）的数据，这一行属于其他运营商',
      '代理商和使用主体为各运营商共用，已登记的内容不能由运营商导入修改（现登记为“北京一级通信有限公司”）',
      '这一分配所在的租用链不属于本运营商（CUCC）的号段',
      '受保护发送方、网址名单和签发机关属于基础数据，只能由管理员导入',
    ])
      expect(page).to.include(text);
    expect(await snapshot(ctx.dataSource)).to.deep.equal(before);
    expect(await ctx.dataSource.getRepository(Agent).existsBy({ uscc: A4 })).to.equal(false);
  });
});
