import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { Carrier, Finding, Issuer, type Notice } from '../../server/entities/index.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { dateOfDayNumber, dayNumber, shanghaiDate } from '../../server/numbering/time.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { issueNotice } from '../../server/services/notices/notices.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { A1, A2, writeDataset } from '../support/fixtures.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('the dashboard in a real browser', function () {
  this.timeout(60_000);
  let overdue: Notice;
  const app = useBrowserApp(async (dataSource: DataSource) => {
    // Besides the small dataset: a traffic-police impersonation sent from A2's number, critical under CMCC.
    const messages =
      'id,sender,sent_at,content\nM9,10690123450188,2022-05-02T08:00:00+08:00,【北京交警】您有违章未处理\n';
    await importDataset(dataSource, await openDataset(await writeDataset({ 'messages.csv': messages })));
    await runAudit(dataSource, { actor: 'test' });
    const cmcc = await dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CMCC' });
    await dataSource.getRepository(Issuer).save({
      code: '移合规',
      name: '中国移动合规部',
      carrierId: cmcc.id,
      signatory: '合规部',
      copyTo: null,
      printedBy: '办公室',
    });
    await createUser(
      dataSource,
      { name: 'clerk', role: 'carrier', carrierCode: 'CMCC', password: TEST_PASSWORD },
      'test',
    );
    const release = await dataSource.getRepository(Finding).findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE' });
    // Issued 40 days ago with 15 days to act: 25 days overdue today.
    overdue = await issueNotice(
      dataSource,
      {
        agentUscc: A1,
        findingIds: [release.id],
        now: new Date(Date.now() - 40 * 86_400_000),
        deadline: dateOfDayNumber(dayNumber(shanghaiDate(new Date())) - 25),
      },
      { name: 'clerk', scope: { carrierId: cmcc.id }, role: 'carrier' },
    );
  });

  /** What the findings list says it holds ("共 N 条"). */
  const listTotal = async (page: Page) => Number(/共 (\d+) 条/.exec((await page.locator('main').textContent())!)![1]);

  it('opens with the risk sections, whose links lead to the filtered findings, the notice and the agent', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${app.baseUrl}/`);
    await fillSignIn(page, 'clerk');
    await page.waitForURL(`${app.baseUrl}/`);
    for (const section of ['open-findings', 'critical-findings', 'notices-due', 'worst-agents', 'data-overview'])
      expect(await page.getByTestId(section).isVisible(), section).to.equal(true);
    // The risk comes before the counts.
    const top = async (testId: string) => (await page.getByTestId(testId).boundingBox())!.y;
    expect(await top('open-findings')).to.be.lessThan(await top('data-overview'));

    const critical = page.locator('a[data-severity="critical"]');
    const shown = Number(await critical.locator('.value').textContent());
    expect(shown).to.be.greaterThan(0);
    await critical.click();
    await page.waitForURL(/\/findings\?/);
    expect(new URL(page.url()).search).to.equal('?severity=critical&status=open');
    expect(await page.getByLabel('严重程度').inputValue()).to.equal('critical');
    expect(await listTotal(page)).to.equal(shown);

    await page.goBack();
    const rule = page.locator('li[data-rule="GOV_IMPERSONATION"]');
    const ruleCount = Number(await rule.locator('a.num').textContent());
    await rule.getByRole('link', { name: '冒用政府机关' }).click();
    await page.waitForURL(/\/findings\?/);
    expect(new URL(page.url()).search).to.equal('?rule=GOV_IMPERSONATION&status=open');
    expect(await page.getByLabel('规则').inputValue()).to.equal('GOV_IMPERSONATION');
    expect(await listTotal(page)).to.equal(ruleCount);

    await page.goBack();
    await page.getByTestId('critical-findings').getByRole('link', { name: '处置 →' }).first().click();
    await page.waitForURL(/\/findings\/\d+$/);
    expect(await page.locator('main').textContent()).to.include('冒用政府机关');

    await page.goBack();
    const overdueList = page.getByTestId('notices-overdue');
    expect(await overdueList.textContent()).to.include('逾期 25 天');
    await overdueList.getByRole('link', { name: overdue.documentNumber }).click();
    await page.waitForURL(`${app.baseUrl}/notices/${overdue.id}`);

    await page.goBack();
    const agent = page.getByTestId('worst-agents').locator(`tr[data-uscc="${A2}"]`);
    await agent.getByRole('link', { name: '上海二级网络科技有限公司' }).click();
    await page.waitForURL(`${app.baseUrl}/agents/${A2}`);
    await page.goBack();
    await agent.getByRole('link', { name: '签发整改通知书 →' }).click();
    await page.waitForURL(`${app.baseUrl}/agents/${A2}/notices/new`);
    await page.close();
  });
});
