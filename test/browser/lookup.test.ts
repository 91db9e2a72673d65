import type { Server } from 'node:http';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { createUser } from '../../server/services/accounts.ts';
import { importDataset } from '../../server/services/importer.ts';
import { launchChromium, listen } from '../support/browser.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('lookup page in a real browser', function () {
  this.timeout(60_000);
  let dataSource: DataSource;
  let browser: Browser;
  let server: Server;
  let baseUrl: string;

  before(async () => {
    dataSource = await openDatabase('sqlite::memory:');
    await importDataset(dataSource, await openDataset(await writeDataset(smallDataset())));
    await createUser(dataSource, { name: 'analyst', role: 'regulator', password: TEST_PASSWORD }, 'test');
    ({ server, baseUrl } = await listen(createApp(dataSource)));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.close();
    await dataSource?.destroy();
  });

  it('signs in, looks up a number by typing it into the form, sees the chain down to the entity, signs out', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/lookup`);
    await page.waitForURL(/\/login\?next=%2Flookup/);
    await page.getByLabel('用户名').fill('analyst');
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/lookup$/);
    await page.getByLabel('106 号码').fill('1069-0123-4501-88');
    await page.getByLabel('时间（北京时间，可不填）').fill('2022-03-14T09:30:00');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/number=/);
    const nodes = await page.locator('[data-testid="chain"] > li .prefix').allTextContents();
    expect(nodes).to.deep.equal(['1069012345', '106901234501', '10690123450188']);
    expect(await page.locator('.answer').textContent()).to.include('杭州某网店有限公司');
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${baseUrl}/lookup`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.close();
  });
});
