import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('lookup page in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(dataSource, { name: 'analyst', role: 'regulator', password: TEST_PASSWORD }, 'test');
  });

  it('signs in, looks up a number by typing it into the form, sees the chain down to the entity, signs out', async () => {
    const page = await app.browser.newPage();
    await page.goto(`${app.baseUrl}/lookup`);
    await page.waitForURL(/\/login\?next=%2Flookup/);
    await fillSignIn(page, 'analyst');
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
    await page.goto(`${app.baseUrl}/lookup`);
    expect(new URL(page.url()).pathname).to.equal('/login');
    await page.close();
  });
});
