import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { Message, MessageLabel } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('staff labels in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(
      dataSource,
      { name: 'clerk', role: 'carrier', carrierCode: 'CMCC', password: TEST_PASSWORD },
      'test',
    );
  });

  it("a carrier's clerk opens a message, labels it as impersonating a government body with a reason, and sees the label", async () => {
    const message = await app.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M1' });
    const page = await app.browser.newPage();
    await page.goto(`${app.baseUrl}/messages/${message.id}`);
    await fillSignIn(page, 'clerk');
    await page.waitForURL(/\/messages\/\d+$/);
    expect(await page.getByTestId('label-current').textContent()).to.equal('尚未标注。');
    await page.getByLabel('冒用政府机关或公共服务').check();
    await page.getByLabel('理由').fill('客户投诉：冒充社保局催办');
    await page.getByRole('button', { name: '保存标注' }).click();
    await page.waitForURL(/\/messages\/\d+\?labelled=1$/);
    expect(await page.getByTestId('label').textContent()).to.include('标注已保存');
    expect(await page.getByTestId('label-current').textContent()).to.match(
      /^当前标注：冒用政府机关或公共服务（clerk，.+）：客户投诉：冒充社保局催办$/,
    );
    expect(await page.getByLabel('冒用政府机关或公共服务').isChecked()).to.equal(true);
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/message-label.png`, fullPage: true });
    const stored = await app.dataSource.getRepository(MessageLabel).findOneByOrFail({ messageId: message.id });
    expect([stored.label, stored.labelledBy, stored.reason]).to.deep.equal([
      'gov',
      'clerk',
      '客户投诉：冒充社保局催办',
    ]);
    await page.close();
  });
});
