import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { Carrier } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('upload form in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(dataSource, { name: 'loader', role: 'admin', password: TEST_PASSWORD }, 'test');
  });

  it('uploads a file through the form, its CSRF token in the body and never in an address, and the import completes', async () => {
    const page = await app.browser.newPage();
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posted.push(request.url());
    });
    await page.goto(`${app.baseUrl}/imports`);
    await fillSignIn(page, 'loader');
    await page.waitForURL(/\/imports$/);
    const form = page.locator('form[enctype="multipart/form-data"]');
    expect(await form.getAttribute('action')).to.equal('/imports');
    await page
      .getByLabel('文件')
      .setInputFiles({ name: 'carriers.csv', mimeType: 'text/csv', buffer: Buffer.from('code,name\nCTCC,中国电信\n') });
    await page.getByRole('button', { name: '上传并导入' }).click();
    await page.waitForURL(/\/imports\/\d+$/);
    // The run's page refreshes itself until the import has ended.
    await page.getByText('已完成', { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(posted.filter((url) => new URL(url).pathname === '/imports')).to.deep.equal([`${app.baseUrl}/imports`]);
    expect(posted.some((url) => /csrf/i.test(url))).to.equal(false);
    expect(await app.dataSource.getRepository(Carrier).findOneBy({ code: 'CTCC' })).to.include({ name: '中国电信' });
    await page.close();
  });
});
