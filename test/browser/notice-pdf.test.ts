import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Issuer } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts.ts';
import { runAudit } from '../../server/services/auditRuns.ts';
import { importDataset } from '../../server/services/importer.ts';
import { issueNotice } from '../../server/services/notices.ts';
import { EVERYTHING } from '../../server/services/scope.ts';
import { launchChromium, listen } from '../support/browser.ts';
import { A1, smallDataset, writeDataset } from '../support/fixtures.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('a rectification notice printed by a real browser', function () {
  this.timeout(60_000);
  let dataSource: DataSource;
  let browser: Browser;
  let server: Server;
  let baseUrl: string;

  before(async () => {
    dataSource = await openDatabase('sqlite::memory:');
    await importDataset(dataSource, await openDataset(await writeDataset(smallDataset())));
    await runAudit(dataSource, { actor: 'test' });
    await dataSource.getRepository(Issuer).save({ code: '京通管', name: '北京市通信管理局', carrierId: null, signatory: '北京市通信管理局', copyTo: '工业和信息化部', printedBy: '北京市通信管理局办公室' });
    await createUser(dataSource, { name: 'inspector', role: 'regulator', password: TEST_PASSWORD }, 'test');
    ({ server, baseUrl } = await listen(createApp(dataSource)));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await dataSource?.destroy();
  });

  it('prints the notice page to an A4 PDF whose first page carries the document number and the title', async () => {
    const notice = await issueNotice(dataSource, { agentUscc: A1 }, { name: 'inspector', scope: EVERYTHING, role: 'regulator' });
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('用户名').fill('inspector');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/notices/${notice.id}/print`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-notice-')), 'notice.pdf');
    await writeFile(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).to.match(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    const firstPage = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(firstPage).to.include(notice.documentNumber);
    expect(firstPage).to.include('关于北京一级通信有限公司106短信号码违规问题的整改通知书');
    expect(firstPage).to.include('—1—');
    await page.close();
  });
});
