import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { Issuer } from '../../server/entities/index.ts';
import { createUser, setPassword } from '../../server/services/accounts/accounts.ts';
import { recordAudit } from '../../server/services/accounts/audit.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { issueNotice } from '../../server/services/notices/notices.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { A1 } from '../support/fixtures.ts';
import { TEST_PASSWORD } from '../support/session.ts';

/** The narrowest screen the pages are made for: a 1366 × 768 laptop. */
const SCREEN_WIDTH = 1366;
/** How wide the page is laid out, scrolled parts included (evaluated in the page, which has the DOM). */
const PAGE_WIDTH = 'document.documentElement.scrollWidth';

describe('the audit log in a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await createUser(dataSource, { name: 'auditor', role: 'admin', password: TEST_PASSWORD }, 'test');
    await setPassword(dataSource, 'auditor', TEST_PASSWORD, 'cli:root');
    await runAudit(dataSource, { actor: 'system' });
    await dataSource.getRepository(Issuer).save({
      code: '京通管',
      name: '北京市通信管理局',
      carrierId: null,
      signatory: '北京市通信管理局',
      copyTo: null,
      printedBy: '北京市通信管理局办公室',
    });
    await issueNotice(dataSource, { agentUscc: A1 }, { name: 'cli:root', scope: EVERYTHING, role: 'cli' });
    // What made the log thousands of pixels wide: long unbroken values and long lists in the states.
    await recordAudit(dataSource, {
      actor: 'cli:root',
      action: 'import.succeeded',
      subject: 'import_run:1',
      after: {
        runId: 1,
        source: `/srv/datasets/${'carrier-export-2026-q1-'.repeat(8)}final`,
        files: Array.from({ length: 9 }, (_, i) => ({ file: `file-${i}.csv`, rows: 1000 * i, added: 1000 * i })),
      },
    });
    await recordAudit(dataSource, {
      actor: 'auditor',
      action: 'notice.issued',
      subject: `notice:京通管〔2026〕${'9'.repeat(40)}号`,
      after: { noticeId: 99, findings: Array.from({ length: 400 }, (_, i) => i + 1), fingerprint: 'f'.repeat(64) },
    });
  });

  it(`fits a ${SCREEN_WIDTH} px screen, shows who acted in words, and opens a cut value to its whole`, async () => {
    const page = await app.browser.newPage({ viewport: { width: SCREEN_WIDTH, height: 768 } });
    await page.goto(`${app.baseUrl}/admin/audit`);
    await fillSignIn(page, 'auditor');
    await page.waitForURL(/\/admin\/audit$/);
    const scrollWidth = Number(await page.evaluate(PAGE_WIDTH));
    expect(scrollWidth, 'the page scrolls sideways').to.be.at.most(SCREEN_WIDTH);
    const table = page.getByTestId('audit-events');
    expect(await table.textContent())
      .to.include('命令行（系统用户 root）')
      .and.not.include('cli:root');
    const cut = table.locator('details').first();
    expect(await cut.locator('summary').textContent()).to.match(/…$/);
    await cut.locator('summary').click();
    expect(await cut.getAttribute('open')).to.equal('');
    expect(Number(await page.evaluate(PAGE_WIDTH))).to.be.at.most(SCREEN_WIDTH);
    if (process.env.SCREENSHOT_DIR)
      await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/audit-log.png`, fullPage: true });
    await page.close();
  });
});
