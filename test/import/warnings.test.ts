import path from 'node:path';
import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { cli } from '../support/cliInProcess.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { ImportRun, Message } from '../../server/entities/index.ts';
import type { ImportSummary } from '../../server/services/import/importer.ts';
import { runImport } from '../../server/services/import/importRuns.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, uploadDataset } from '../support/session.ts';

/** Recipients the phone library does not know: an IoT range, a country code no one has, a note. */
const messagesFile =
  [
    'id,sender,sent_at,content,recipient',
    'IOT,10690123450188,2022-03-14T09:30:00+08:00,物联网卡短信,1440 1234 56789',
    'FOREIGN,10690123450188,2022-03-14T09:31:00+08:00,境外号码,+999 (12) 345-678',
    'MOBILE,10690123450188,2022-03-14T09:32:00+08:00,普通手机,13800138000',
    'NOTE,10690123450188,2022-03-14T09:33:00+08:00,备注,ask the front desk for the number',
  ].join('\n') + '\n';

const expectedWarnings = [
  {
    file: 'messages.csv',
    line: 2,
    column: 'recipient',
    value: '1440 1234 56789',
    code: 'phone.invalid',
    params: undefined,
  },
  {
    file: 'messages.csv',
    line: 3,
    column: 'recipient',
    value: '+999 (12) 345-678',
    code: 'phone.invalid',
    params: undefined,
  },
  {
    file: 'messages.csv',
    line: 5,
    column: 'recipient',
    value: 'ask the front desk for the number',
    code: 'recipient.not_kept',
    params: { max: 20 },
  },
];

describeEachDatabase('import warnings: optional cells that do not parse', (ctx) => {
  const dataset = () => ({ ...smallDataset(), 'messages.csv': messagesFile });

  it('imports a message whose recipient the phone library does not know, keeps the recipient normalised where it can, and warns naming file, line and field', async () => {
    const outcome = await runImport(ctx.dataSource, await openDataset(await writeDataset(dataset())));
    expect(outcome.status).to.equal('succeeded');
    const messages = await ctx.dataSource.getRepository(Message).find({ order: { externalId: 'ASC' } });
    expect(messages.map((m) => [m.externalId, m.recipient])).to.deep.equal([
      ['FOREIGN', '+99912345678'],
      ['IOT', '1440123456789'],
      ['MOBILE', '+8613800138000'],
      ['NOTE', null],
    ]);
    const run = await ctx.dataSource.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
    const summary = run.summary as ImportSummary;
    expect(summary.warnings).to.deep.equal(JSON.parse(JSON.stringify(expectedWarnings)));
    expect(summary.warningCount).to.equal(3);
  });

  it("shows the warnings on the import's page", async () => {
    const client = await signIn(createApp(ctx.dataSource), ctx.dataSource);
    const { page } = await uploadDataset(client, dataset());
    expect(page).to.include('导入完成');
    expect(page).to.include('3 条警告：以下可选内容无法识别，已按原样保留并导入。');
    const table = page.slice(page.indexOf('data-testid="import-warnings"'));
    expect(table).to.match(
      /<td>messages\.csv<\/td><td class="num">2<\/td><td><code>recipient<\/code><\/td><td><code>1440 1234 56789<\/code><\/td><td>不是有效的电话号码<\/td>/,
    );
    expect(table).to.match(
      /<td>messages\.csv<\/td><td class="num">5<\/td><td><code>recipient<\/code><\/td><td><code>ask the front desk for the number<\/code><\/td><td>不是可识别的电话号码，且超过 20 个字符，未保存（该短信已导入）<\/td>/,
    );
  });

  it('prints the warnings as the command line prints problems, and exits 0', async () => {
    const directory = await writeDataset(dataset());
    // The command line opens a store of its own: on SQLite a new file, on MariaDB the test database.
    const url =
      ctx.database.url === 'sqlite::memory:' ? `sqlite:${path.join(directory, 'store.sqlite')}` : ctx.database.url;
    const { code, stdout, stderr } = await cli('import', directory, '--db', url);
    expect(code).to.equal(0);
    expect(stderr).to.equal(
      [
        '警告：messages.csv:2: recipient "1440 1234 56789": 不是有效的电话号码',
        '警告：messages.csv:3: recipient "+999 (12) 345-678": 不是有效的电话号码',
        '警告：messages.csv:5: recipient "ask the front desk for the number": 不是可识别的电话号码，且超过 20 个字符，未保存（该短信已导入）',
      ].join('\n') + '\n',
    );
    expect(stdout).to.include('messages.csv：4 行，新增 4');
    expect(stdout).to.include('3 条警告：已按原样保留（见上）');
  });
});
