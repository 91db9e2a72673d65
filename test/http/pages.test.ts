import os from 'node:os';
import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { ImportRun } from '../../server/entities/index.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { stoppedProcessId } from '../support/processes.ts';
import { signIn, waitForRun, type Client } from '../support/session.ts';
import { E_LOGI, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';

describeEachDatabase('pages', (ctx) => {
  // One app per test: it holds the background import jobs the pages report on.
  let client: Client;
  const app = () => client;
  beforeEach(async () => {
    client = await signIn(createApp(ctx.dataSource, { databaseUrl: ctx.database.url }), ctx.dataSource);
  });
  const loadSmall = async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
  };

  it('dashboard counts allocations per carrier', async () => {
    await loadSmall();
    const page = await app().get('/').expect(200);
    expect(page.text).to.match(/中国移动[\s\S]*?<td class="num">1<\/td><td class="num">5<\/td>/);
  });

  it('dashboard says the store is empty and points to the import page', async () => {
    const page = await app().get('/').expect(200);
    expect(page.text).to.include('数据库中还没有数据');
  });

  it('lookup page shows the form with no result before a number is given', async () => {
    const page = await app().get('/lookup').expect(200);
    expect(page.text).to.include('name="number"');
    expect(page.text).not.to.include('data-testid="chain"');
  });

  it('lookup draws the chain root→leaf with levels and the entity registered at that moment', async () => {
    await loadSmall();
    const page = await app().get('/lookup').query({ number: '1069 0123 4501 88', at: '2022-03-14T09:30' }).expect(200);
    const chain = page.text.slice(page.text.indexOf('data-testid="chain"'));
    expect(chain.indexOf('1069012345<')).to.be.lessThan(chain.indexOf('106901234501<'));
    expect(chain.indexOf('106901234501<')).to.be.lessThan(chain.indexOf('10690123450188<'));
    expect(page.text).to.include('第 2 级');
    expect(page.text).to.include('未申报');
    expect(page.text).to.include(`杭州某网店有限公司</strong></a> <code>${E_SHOP}</code>`);
  });

  it('lookup answers a later moment with the entity the number was reassigned to', async () => {
    await loadSmall();
    const page = await app().get('/lookup').query({ number: '10690123450188', at: '2024-01-01T00:00' }).expect(200);
    expect(page.text).to.include(`<code>${E_LOGI}</code>`);
  });

  it('lookup says plainly when no allocation covered the number', async () => {
    await loadSmall();
    const page = await app().get('/lookup').query({ number: '10690123450188', at: '2020-01-01T00:00' }).expect(200);
    expect(page.text).to.include('没有任何有效的号段分配覆盖号码 10690123450188');
  });

  it('lookup refuses a number that is not a 106 number with a clear message', async () => {
    const page = await app().get('/lookup').query({ number: '13800138000' }).expect(400);
    expect(page.text).to.include('不是 106 号码');
  });

  it('lookup speaks English after ?lang=en', async () => {
    await loadSmall();
    const page = await app()
      .get('/lookup')
      .query({ number: '10690123450188', at: '2022-03-14T09:30', lang: 'en' })
      .expect(200);
    expect(page.text).to.include('Registered using entity');
    expect(page.text).to.include('<html lang="en">');
  });

  it('the JSON lookup has the shape of `sms106 lookup --json`', async () => {
    await loadSmall();
    const response = await app()
      .get('/api/lookup')
      .query({ number: '10690123450188', at: '2022-03-14T09:30:00+08:00' })
      .expect(200);
    expect(response.body.entity).to.deep.equal({ uscc: E_SHOP, name: '杭州某网店有限公司' });
    expect(
      response.body.chain.map((c: { prefix: string; level: number; lessee_kind: string }) => [
        c.prefix,
        c.level,
        c.lessee_kind,
      ]),
    ).to.deep.equal([
      ['1069012345', 1, 'agent'],
      ['106901234501', 2, 'agent'],
      ['10690123450188', 2, 'entity'],
    ]);
    expect(response.body.at).to.equal('2022-03-14T09:30:00+08:00');
  });

  it('an uploaded dataset is imported in the background and its summary shown', async () => {
    const files = smallDataset();
    let upload = app().post('/imports');
    for (const [name, text] of Object.entries(files)) upload = upload.attach('files', Buffer.from(text), name);
    const response = await upload.expect(303);
    expect(response.headers.location).to.match(/^\/imports\/\d+$/);
    const page = await waitForRun(app(), response.headers.location);
    expect(page).to.include('导入完成');
    expect(page).to.match(/allocations\.csv<\/td><td class="num">6<\/td><td class="num">6<\/td>/);
    const lookup = await app().get('/lookup').query({ number: '10690123450188', at: '2022-03-14T09:30' }).expect(200);
    expect(lookup.text).to.include('杭州某网店有限公司');
  });

  it('an uploaded bad dataset shows the full error report and writes nothing', async () => {
    const files = smallDataset();
    files['allocations.csv'] = files['allocations.csv'].replace('2021-03-01', '2021-02-30');
    files['carriers.csv'] += 'CMCC,重复\n';
    let upload = app().post('/imports');
    for (const [name, text] of Object.entries(files)) upload = upload.attach('files', Buffer.from(text), name);
    const response = await upload.expect(303);
    const page = await waitForRun(app(), response.headers.location);
    expect(page).to.include('导入被拒绝：共发现 2 处问题');
    expect(page).to.match(
      /allocations\.csv<\/td><td class="num">6<\/td><td><code>valid_from<\/code><\/td><td><code>2021-02-30<\/code><\/td>/,
    );
    expect(page).to.match(/carriers\.csv<\/td><td class="num">4<\/td>/);
    expect(await ctx.dataSource.query('SELECT * FROM carriers')).to.deep.equal([]);
  });

  it("says what is wrong with a broken CSV file in the reader's language", async () => {
    const response = await app()
      .post('/imports')
      .attach('files', Buffer.from('code,name\nCMCC,"中国移动"x\n'), 'carriers.csv')
      .expect(303);
    const page = await waitForRun(app(), response.headers.location);
    expect(page).to.include(
      'CSV 格式错误，此文件其后的内容未检查：带引号的字段在此行结束，其后是 &quot;x&quot;，而不是逗号或行尾',
    );
    const english = await app().get(response.headers.location).query({ lang: 'en' }).expect(200);
    expect(english.text).to.include(
      'malformed CSV; the rest of this file was not examined: a quoted field ends on this line and is followed by &quot;x&quot; instead of a comma or the end of the line',
    );
  });

  it('an upload of a file that is not part of a dataset is refused with its name', async () => {
    const response = await app().post('/imports').attach('files', Buffer.from('x'), 'notes.txt').expect(400);
    expect(response.text).to.include('notes.txt 不是数据集文件');
  });

  it('an import still running elsewhere shows as in progress and refreshes itself', async () => {
    const [run] = await ctx.dataSource.getRepository(ImportRun).save([
      {
        source: 'cli: allocations.csv',
        status: 'running' as const,
        startedAt: new Date('2022-03-14T01:30:00Z'),
        finishedAt: null,
        rowsRead: 0,
        carrierId: null,
        summary: null,
        errorCount: 0,
        failure: null,
      },
    ]);
    const page = await app().get(`/imports/${run.id}`).expect(200);
    expect(page.text).to.include('<meta http-equiv="refresh" content="2">');
    expect(page.text).to.include('该导入由另一个进程');
    expect(page.text).to.include('开始于 2022-03-14 09:30:00');
  });

  it('an import whose process stopped shows as failed, not as running for ever', async () => {
    // A lock no connection holds (MariaDB), a process that has exited (SQLite).
    let owner = `lock:sms106_import_${'0'.repeat(32)}`;
    if (ctx.database.name === 'SQLite') {
      owner = `pid:${await stoppedProcessId()}@${os.hostname()}`;
    }
    const [run] = await ctx.dataSource.getRepository(ImportRun).save([
      {
        source: 'cli: allocations.csv',
        status: 'running' as const,
        startedAt: new Date('2022-03-14T01:30:00Z'),
        finishedAt: null,
        rowsRead: 0,
        carrierId: null,
        summary: null,
        errorCount: 0,
        owner,
        failure: null,
      },
    ]);
    const page = await app().get(`/imports/${run.id}`).expect(200);
    expect(page.text).to.include('导入因服务器错误中断，没有写入任何数据');
    expect(page.text).to.not.include('<meta http-equiv="refresh"');
    expect(await ctx.dataSource.getRepository(ImportRun).findOneByOrFail({ id: run.id })).to.include({
      status: 'failed',
    });
  });

  it('the import page lists the latest imports', async () => {
    const files = smallDataset();
    const response = await app()
      .post('/imports')
      .attach('files', Buffer.from(files['carriers.csv']), 'carriers.csv')
      .expect(303);
    await waitForRun(app(), response.headers.location);
    const page = await app().get('/imports').expect(200);
    expect(page.text).to.include('carriers.csv');
    expect(page.text).to.include('已完成');
  });

  it('the dataset format page lists every file and its required columns', async () => {
    const page = await app().get('/docs/dataset-format').expect(200);
    expect(page.text).to.include(
      '<code>allocations.csv</code></td><td><code>prefix</code> <code>holder</code> <code>lessee</code> <code>valid_from</code>',
    );
  });

  it('an unknown page is a 404 page, in HTML or JSON as asked', async () => {
    const html = await app().get('/no/such/page').expect(404);
    expect(html.text).to.include('找不到该页面或记录');
    const json = await app().get('/no/such/page').set('Accept', 'application/json').expect(404);
    expect(json.body).to.deep.equal({ error: '找不到该页面或记录' });
  });
});
