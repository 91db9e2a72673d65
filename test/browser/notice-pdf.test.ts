import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../server/config.ts';
import { Issuer, type Notice } from '../../server/entities/index.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { contentOf, issueNotice } from '../../server/services/notices/notices.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { fillSignIn, useBrowserApp } from '../support/browser.ts';
import { A1, saveFindings, type FindingSpec } from '../support/fixtures.ts';
import { pdfFaces, pdfPageCount, pdfPageText } from '../support/pdf.ts';
import { TEST_PASSWORD } from '../support/session.ts';

const PUBLIC_URL = 'https://audit.example.cn/sms106';
const regulator = { name: 'inspector', scope: EVERYTHING, role: 'regulator' as const };

/**
 * Five points, the last a little longer: laid out so that without the rules keeping the 落款 with
 * the text, the issuer's name ends page 3 and the date starts page 4 (seen with FandolFang).
 */
function fivePoints(): FindingSpec[] {
  const rules = [
    'GOV_IMPERSONATION',
    'UNFILED_SIGNATURE',
    'LOOKALIKE_SIGNATURE',
    'BRAND_IMPERSONATION',
    'OFFICIAL_PRETEXT',
  ];
  const text =
    '号码 1069012345101 发出的短信以“某市公安局交通管理局”的名义签名，引导收信人点击链接缴纳所谓罚款，' +
    '但该号码登记的使用主体“某某商贸有限公司”不是机关或事业单位，也未报备该签名';
  return rules.map((rule, i) => ({
    rule,
    number: '1069012345101',
    detail: `${text}${i === rules.length - 1 ? '某'.repeat(42) : ''}（第 ${i + 1} 项）`,
    occurredAt: new Date(Date.UTC(2026, 0, 1 + i)),
  }));
}

describe('a rectification notice printed by a real browser', function () {
  this.timeout(60_000);
  let long: Notice;
  const app = useBrowserApp(
    async (dataSource: DataSource) => {
      await runAudit(dataSource, { actor: 'test' });
      const issuer = await dataSource.getRepository(Issuer).save({
        code: '京通管',
        name: '北京市通信管理局',
        carrierId: null,
        signatory: '北京市通信管理局',
        copyTo: '工业和信息化部',
        printedBy: '北京市通信管理局办公室',
      });
      await createUser(dataSource, { name: 'inspector', role: 'regulator', password: TEST_PASSWORD }, 'test');
      const findingIds = await saveFindings(dataSource, A1, fivePoints());
      long = await issueNotice(dataSource, { agentUscc: A1, issuerId: issuer.id, findingIds }, regulator);
    },
    loadConfig({ PUBLIC_URL: `${PUBLIC_URL}/` }),
  );

  /** The notice's printable page as the browser prints it, to a PDF file. */
  async function printed(notice: Notice): Promise<{ file: string; pdf: Buffer }> {
    const page = await app.browser.newPage();
    try {
      await page.goto(`${app.baseUrl}/login`);
      await fillSignIn(page, 'inspector');
      await page.waitForURL(`${app.baseUrl}/`);
      await page.goto(`${app.baseUrl}/notices/${notice.id}/print`);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-notice-')), 'notice.pdf');
      await writeFile(file, pdf);
      return { file, pdf };
    } finally {
      await page.close();
    }
  }

  it('prints the notice page to an A4 PDF whose first page carries the document number and the title', async () => {
    const notice = await issueNotice(app.dataSource, { agentUscc: A1 }, regulator);
    const { file } = await printed(notice);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).to.match(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    const firstPage = pdfPageText(file, 1);
    expect(firstPage).to.include(notice.documentNumber);
    expect(firstPage).to.include('关于北京一级通信有限公司106短信号码违规问题的整改通知书');
    expect(firstPage).to.include('—1—');
    // The attachments (the chains) come before the 版记, which is on the last page only.
    const pages = Array.from({ length: pdfPageCount(file) }, (_, i) => pdfPageText(file, i + 1));
    expect(contentOf(notice).attachments.length).to.be.greaterThan(0);
    expect(pages.filter((text) => text.includes('抄送：'))).to.have.length(1);
    expect(pages[pages.length - 1]).to.include(`${contentOf(notice).issuedDateText}印发`);
  });

  it('sets the body in a FangSong face, on a grid of 28.95 pt lines', async () => {
    const { file, pdf } = await printed(long);
    const faces = pdfFaces(file, pdf);
    expect(
      faces[0]?.face,
      `the most used face should be a FangSong (仿宋) one (Debian: FandolFang from texlive-lang-chinese, README): ${JSON.stringify(faces)}`,
    ).to.match(/Fang/i);
    expect(faces.map((f) => f.face)).to.include('NotoSerifCJKsc-Bold', 'the title face');
    // Lines of the body start 28 mm from the left edge; on page 2, all body, they follow the grid.
    const layout = execFileSync('pdftotext', ['-f', '2', '-l', '2', '-bbox-layout', file, '-'], { encoding: 'utf8' });
    const tops = [...layout.matchAll(/<line xMin="(79\.\d+|111\.\d+)" yMin="([\d.]+)"/g)].map((m) => Number(m[2]));
    const pitches = tops.slice(1).map((top, i) => top - tops[i]);
    expect(tops.length, 'lines on a full page of the body').to.be.within(20, 22);
    for (const pitch of pitches) expect(pitch).to.be.closeTo(28.95, 0.6);
  });

  it('keeps the 落款 whole and with body text, the 版记 on the last page, and the verification link public and whole', async () => {
    const { file } = await printed(long);
    const content = contentOf(long);
    const pages = Array.from({ length: pdfPageCount(file) }, (_, i) => pdfPageText(file, i + 1));
    expect(pages.length).to.be.greaterThan(2);
    const date = content.issuedDateText;
    const signed = pages.findIndex((text) =>
      text.replace(`${date}印发`, '').includes(`${content.issuer.signatory}${date}`),
    );
    expect(signed, 'the page with the signatory and the date').to.be.greaterThan(0);
    const rest = pages[signed]
      .replace(`${content.issuer.signatory}${date}`, '')
      .replace(/（印章）|核验码：.*$/g, '')
      .replace(/附件：?(\d+\.[^\d]+)*/, '');
    expect(rest.length, `body text on the page of the date: "${pages[signed]}"`).to.be.greaterThan(20);
    expect(
      pages.filter((text) => text.includes('抄送：')),
      'the 版记',
    ).to.have.length(1);
    expect(pages[pages.length - 1]).to.include(`${date}印发`);
    const all = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(all).not.to.match(/localhost|127\.0\.0\.1/);
    expect(all.split('\n').some((line) => line.includes(`${PUBLIC_URL}/verify/${long.verificationCode}`))).to.equal(
      true,
      'the link on one line',
    );
  });
});
