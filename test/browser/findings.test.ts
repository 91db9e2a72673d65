import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { Finding } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('findings in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(
      dataSource,
      { name: 'reviewer', role: 'carrier', carrierCode: 'CMCC', password: TEST_PASSWORD },
      'test',
    );
  });

  it('runs the audit, opens a finding from the list, dismisses it with a reason, and the list no longer shows it as open', async () => {
    const page = await app.browser.newPage();
    await page.goto(`${app.baseUrl}/audits`);
    await fillSignIn(page, 'reviewer');
    await page.waitForURL(/\/audits$/);
    await page.getByRole('button', { name: '开始稽核' }).click();
    await page.waitForURL(/\/audits\/\d+$/);
    await page.getByText('稽核完成').waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: '查看待处理线索' }).click();
    await page.getByLabel('规则').selectOption('MULTI_LEVEL_RELEASE');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('link', { name: /转租给上海二级网络科技有限公司/ }).click();
    await page.waitForURL(/\/findings\/\d+$/);
    expect(await page.locator('[data-testid="chain"] > li .prefix').allTextContents()).to.deep.equal([
      '1069012345',
      '106901234501',
    ]);
    await page.getByLabel('排除理由（必填，将记入审计日志）').fill('运营商已核实：该转租已补报备');
    await page.getByRole('button', { name: '排除此线索' }).click();
    await page.waitForURL(/\/findings\/\d+$/);
    expect(await page.getByTestId('finding-status').textContent()).to.equal('已排除');
    expect(await page.locator('main').textContent()).to.include('运营商已核实：该转租已补报备');
    await page.goto(`${app.baseUrl}/findings?status=open&rule=MULTI_LEVEL_RELEASE`);
    expect(await page.getByTestId('findings').textContent()).to.include('没有符合条件的风险线索');
    const stored = await app.dataSource.getRepository(Finding).findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE' });
    expect([stored.status, stored.statusChangedBy]).to.deep.equal(['dismissed', 'reviewer']);
    await page.close();
  });
});
