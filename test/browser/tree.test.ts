import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import type { Page } from 'playwright-core';
import { openDataset } from '../../server/dataset/readers.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { writeDataset } from '../support/fixtures.ts';
import { largeTree } from '../support/largeTree.ts';
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

describe('hierarchy page at a glance in a real browser', function () {
  this.timeout(120_000);
  // 2,000 allocations under CMCC besides the small dataset's: far taller than any window.
  const big = largeTree({ allocations: 2000, prefix: '10697' });
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await importDataset(dataSource, await openDataset(await writeDataset(big.files)));
    await createUser(dataSource, { name: 'analyst', role: 'regulator', password: TEST_PASSWORD }, 'test');
  });
  const WINDOW = { width: 1366, height: 768 };

  /** A box on the screen, in CSS pixels. */
  interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
  }
  const inside = (inner: Box, outer: Box) =>
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5;
  const screen: Box = { x: 0, y: 0, ...WINDOW };
  /** Whether `check` comes true within about two seconds (a wheel event is handled after it is sent). */
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 40; i++) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  };

  it('fits the drawing into a 1366×768 window with the searched number in view, and zooms and pans it', async () => {
    const page = await app.browser.newPage({ viewport: WINDOW });
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${app.baseUrl}/tree`);
    await fillSignIn(page, 'analyst');
    await page.waitForURL(/\/tree$/);
    const leaf = big.leaves[1234];
    const address = `${app.baseUrl}/tree?carrier=CMCC&at=2024-01-01&depth=3&q=${leaf}`;
    await page.goto(address);
    expect(await page.getByTestId('search-result').textContent()).to.include(`号码 ${leaf}`);

    const frame = page.getByTestId('tree-frame');
    const svg = page.getByTestId('tree-svg');
    const scale = async () => Number(await frame.getAttribute('data-scale'));
    const viewBox = async () => (await svg.getAttribute('viewBox'))!.split(' ').map(Number);
    await page.getByTestId('tree-toolbar').waitFor({ state: 'visible' });

    // On load the frame is wholly inside the window, and so is the searched number's box, at a readable size.
    const frameBox = (await frame.boundingBox())!;
    expect(inside(frameBox, screen), `frame ${JSON.stringify(frameBox)}`).to.equal(true);
    expect(frameBox.height).to.be.at.least(300);
    const hit = (await page.locator('[data-testid="tree-svg"] g.node.hit > a > rect').first().boundingBox())!;
    expect(inside(hit, frameBox), `hit ${JSON.stringify(hit)} in ${JSON.stringify(frameBox)}`).to.equal(true);
    expect(hit.width, 'drawn at least at 60% of its size').to.be.at.least(262 * 0.6);

    // The buttons zoom in and out around the middle; "fit" shows the whole drawing.
    const start = await scale();
    await page.getByRole('button', { name: '放大' }).click();
    expect(await scale()).to.be.closeTo(start * 1.25, 0.01);
    await page.getByRole('button', { name: '缩小' }).click();
    await page.getByRole('button', { name: '缩小' }).click();
    expect(await scale()).to.be.closeTo(start * 0.8, 0.01);
    await page.getByRole('button', { name: '适合窗口' }).click();
    const ground = page.locator('[data-testid="tree-svg"] > rect').first();
    const drawing = [Number(await ground.getAttribute('width')), Number(await ground.getAttribute('height'))];
    const [x, y, w, h] = await viewBox();
    expect(x <= 0.5 && y <= 0.5 && x + w >= drawing[0] - 0.5 && y + h >= drawing[1] - 0.5, `${[x, y, w, h]}`).to.equal(
      true,
    );
    expect(await scale()).to.be.below(start);
    // "Go to the search hit" brings it back.
    await page.getByRole('button', { name: '定位搜索结果' }).click();
    expect(await scale()).to.be.closeTo(start, 0.01);

    // The wheel zooms, the keyboard too once the drawing has the focus, and dragging pans without following a link.
    const middle = { x: frameBox.x + frameBox.width / 2, y: frameBox.y + frameBox.height / 2 };
    await page.mouse.move(middle.x, middle.y);
    await page.mouse.wheel(0, 300);
    expect(await eventually(async () => (await scale()) < start), 'the wheel zoomed out').to.equal(true);
    await frame.focus();
    const beforeKey = await scale();
    await page.keyboard.press('+');
    expect(await scale()).to.be.closeTo(beforeKey * 1.25, 0.01);
    const [x0] = await viewBox();
    await page.mouse.move(middle.x, middle.y);
    await page.mouse.down();
    await page.mouse.move(middle.x + 100, middle.y, { steps: 5 });
    await page.mouse.up();
    const [x1] = await viewBox();
    expect(x1).to.be.below(x0);
    expect(page.url()).to.equal(address);
    expect(refused).to.deep.equal([]);
    await page.close();
  });
});
