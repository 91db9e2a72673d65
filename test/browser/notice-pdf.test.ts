import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { Issuer } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { issueNotice } from '../../server/services/notices/notices.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { A1 } from '../support/fixtures.ts';
import { TEST_PASSWORD } from '../support/session.ts';

describe('a rectification notice printed by a real browser', function () {
  this.timeout(60_000);
  const app = useBrowserApp(async (dataSource: DataSource) => {
    await runAudit(dataSource, { actor: 'test' });
    await app.dataSource.getRepository(Issuer).save({
      code: '京通管',
      name: '北京市通信管理局',
      carrierId: null,
      signatory: '北京市通信管理局',
      copyTo: '工业和信息化部',
      printedBy: '北京市通信管理局办公室',
    });
    await createUser(dataSource, { name: 'inspector', role: 'regulator', password: TEST_PASSWORD }, 'test');
  });

  it('prints the notice page to an A4 PDF whose first page carries the document number and the title', async () => {
    const notice = await issueNotice(
      app.dataSource,
      { agentUscc: A1 },
      { name: 'inspector', scope: EVERYTHING, role: 'regulator' },
    );
    const page = await app.browser.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await fillSignIn(page, 'inspector');
    await page.waitForURL(`${app.baseUrl}/`);
    await page.goto(`${app.baseUrl}/notices/${notice.id}/print`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-notice-')), 'notice.pdf');
    await writeFile(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).to.match(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    const firstPage = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      '',
    );
    expect(firstPage).to.include(notice.documentNumber);
    expect(firstPage).to.include('关于北京一级通信有限公司106短信号码违规问题的整改通知书');
    expect(firstPage).to.include('—1—');
    await page.close();
  });
});
