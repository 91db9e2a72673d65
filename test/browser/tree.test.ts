import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import type { Page } from 'playwright-core';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('hierarchy page in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(dataSource, { name: 'analyst', role: 'regulator', password: TEST_PASSWORD }, 'test');
  });

  /** The names in the drawing's boxes (their first line). */
  const drawn = (page: Page) =>
    page.locator('[data-testid="tree-svg"] g.node text[font-weight="600"]').allTextContents();

  it("shows a carrier's tree for a day, expands a collapsed agent from the drawing, and searches a number on two dates", async () => {
    const page = await app.browser.newPage();
    // The drawing is inline SVG under a CSP without inline styles: nothing may be refused.
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${app.baseUrl}/tree`);
    await fillSignIn(page, 'analyst');
    await page.waitForURL(/\/tree$/);

    await page.locator('select[name="carrier"]').selectOption({ label: '中国移动' });
    await page.locator('input[name="at"]').fill('2022-03-14');
    await page.getByRole('button', { name: '显示' }).click();
    await page.waitForURL(/carrier=CMCC/);
    expect(await drawn(page)).to.have.members([
      '中国移动',
      '北京一级通信有限公司',
      '上海二级网络科技有限公司',
      '北京市公安局公安交通管理局',
    ]);

    // The "+" beside the sub-agent opens what hangs from it.
    await page.locator('[data-testid="tree-svg"] a.toggle[aria-label="展开（下有 1 条）"]').click();
    await page.waitForURL(/toggle=/);
    expect(await drawn(page)).to.include('杭州某网店有限公司');
    expect(await page.locator('[data-testid="tree-list"] li > a', { hasText: '杭州某网店有限公司' }).count()).to.equal(
      1,
    );

    await page.getByLabel('搜索代理商、使用主体或号码').fill('1069 0123 4501 88');
    await page.getByRole('button', { name: '显示' }).click();
    await page.waitForURL(/q=/);
    expect(await page.getByTestId('search-result').textContent()).to.include('由 杭州某网店有限公司 持有');
    expect(
      await page.locator('[data-testid="tree-svg"] g.node.hit text[font-weight="600"]').allTextContents(),
    ).to.deep.equal(['杭州某网店有限公司']);

    // The same number after it was reassigned on 2023-07-01.
    await page.locator('input[name="at"]').fill('2023-08-01');
    await page.getByRole('button', { name: '显示' }).click();
    await page.waitForURL(/at=2023-08-01/);
    expect(
      await page.locator('[data-testid="tree-svg"] g.node.hit text[font-weight="600"]').allTextContents(),
    ).to.deep.equal(['杭州某物流有限公司']);
    expect(await page.locator('[data-testid="tree-list"] li.hit > a').allTextContents()).to.deep.equal([
      '杭州某物流有限公司',
    ]);
    expect(refused).to.deep.equal([]);
    await page.close();
  });
});
