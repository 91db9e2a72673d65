import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { Finding, Issuer } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { A3 } from '../support/fixtures.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('findings in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(
      dataSource,
      { name: 'reviewer', role: 'carrier', carrierCode: 'CMCC', password: TEST_PASSWORD },
      'test',
    );
    await createUser(dataSource, { name: 'inspector', role: 'regulator', password: TEST_PASSWORD }, 'test');
    await dataSource.getRepository(Issuer).save({
      code: '京通管',
      name: '北京市通信管理局',
      carrierId: null,
      signatory: '北京市通信管理局',
      copyTo: null,
      printedBy: '北京市通信管理局办公室',
    });
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

  it("a finding's notice action leads to the notice form for the agent answerable for it, that finding ticked", async () => {
    const page = await app.browser.newPage();
    await page.goto(`${app.baseUrl}/findings?agent=${encodeURIComponent('深圳无证')}`);
    await fillSignIn(page, 'inspector');
    await page.waitForURL(/\/findings\?agent=/);
    const finding = await app.dataSource.getRepository(Finding).findOneByOrFail({ agentUscc: A3, status: 'open' });
    await page.getByRole('link', { name: String(finding.id), exact: true }).click();
    await page.waitForURL(new RegExp(`/findings/${finding.id}$`));
    expect(await page.getByTestId('finding-agent').textContent()).to.include('深圳无证信息技术有限公司');
    await page.getByTestId('issue-notice').click();
    await page.waitForURL(new RegExp(`/agents/${A3}/notices/new\\?finding=${finding.id}$`));
    expect(await page.locator('h1').textContent()).to.include('深圳无证信息技术有限公司');
    const boxes = page.locator('input[name="findings"]');
    const ticked: string[] = [];
    for (let i = 0; i < (await boxes.count()); i++)
      if (await boxes.nth(i).isChecked()) ticked.push((await boxes.nth(i).getAttribute('value'))!);
    expect(ticked).to.deep.equal([String(finding.id)]);
    await page.close();
  });
});
