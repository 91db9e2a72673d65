import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, Carrier, Finding, Issuer, Notice } from '../../server/entities/index.ts';
import { findingText } from '../../server/i18n/phrase.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import {
  acknowledgeNotice,
  contentAsIssued,
  contentOf,
  fingerprintOf,
  issueNotice,
  isImmutabilityRefusal,
  LISTED_AFTER,
  NoticeError,
  rectifyNotice,
  verifyNotice,
  type NoticeActor,
} from '../../server/services/notices/notices.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { clearAllData, describeEachDatabase, mariadbUrl } from '../support/databases.ts';
import { A1, A3, saveFindings, smallDataset, writeDataset } from '../support/fixtures.ts';

const regulator: NoticeActor = { name: 'inspector', scope: EVERYTHING, role: 'regulator' };

/** Refused, and with which error. */
async function refusal(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describeEachDatabase('rectification notices', (ctx) => {
  let issuerId: number;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    await runAudit(ctx.dataSource, { actor: 'tester' });
    issuerId = (
      await ctx.dataSource.getRepository(Issuer).save({
        code: '京通管',
        name: '北京市通信管理局',
        carrierId: null,
        signatory: '北京市通信管理局',
        copyTo: '工业和信息化部',
        printedBy: '北京市通信管理局办公室',
      })
    ).id;
  });

  it('numbers notices 代字〔YYYY〕N号 from 1 per issuer and year, freezes their content and marks the findings notified', async () => {
    const first = await issueNotice(
      ctx.dataSource,
      { agentUscc: A1, issuerId, now: new Date('2026-03-01T10:00:00+08:00') },
      regulator,
    );
    const second = await issueNotice(
      ctx.dataSource,
      { agentUscc: A3, issuerId, now: new Date('2026-03-02T10:00:00+08:00') },
      regulator,
    );
    const nextYear = await refusal(
      issueNotice(ctx.dataSource, { agentUscc: A3, issuerId, now: new Date('2027-01-02T10:00:00+08:00') }, regulator),
    );
    expect([first.documentNumber, second.documentNumber]).to.deep.equal(['京通管〔2026〕1号', '京通管〔2026〕2号']);
    expect((nextYear as NoticeError).code).to.equal('notices.no_findings');
    const content = contentOf(first);
    expect(content.title).to.equal('关于北京一级通信有限公司106短信号码违规问题的整改通知书');
    expect([content.deadline, content.issuedDateText]).to.deep.equal(['2026-03-16', '2026年3月1日']);
    expect(first.fingerprint).to.equal(fingerprintOf(first.content));
    const findings = await ctx.dataSource.getRepository(Finding).findBy({ agentUscc: A1 });
    expect(findings.map((f) => f.status)).to.deep.equal(findings.map(() => 'notified'));
    expect(content.findings.flatMap((f) => f.ids).sort()).to.deep.equal(findings.map((f) => f.id).sort());
    expect(await ctx.dataSource.getRepository(AuditEvent).countBy({ action: 'notice.issued' })).to.equal(2);
  });

  it("drafts a finding's point in Chinese from the catalogue; issued, it keeps that text when the wording changes", async () => {
    const findings = ctx.dataSource.getRepository(Finding);
    const release = await findings.findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE', agentUscc: A1 });
    const notice = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, findingIds: [release.id] }, regulator);
    const issued = contentOf(notice).findings[0].detail;
    expect(issued).to.equal(findingText('zh-CN', release)).and.to.include('转租给');
    // What the finding says changes afterwards (a later audit, a new wording): the issued notice does not.
    const params = { ...release.detailParams!, lessee: '改名后的代理商' };
    await findings.update({ id: release.id }, { detailParams: params });
    const reread = await ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: notice.id });
    expect(contentAsIssued(reread)!.findings[0].detail).to.equal(issued);
    expect(findingText('zh-CN', await findings.findOneByOrFail({ id: release.id }))).to.include('改名后的代理商');
  });

  it("the store refuses any change to an issued notice's content and any deletion, whatever the path", async () => {
    const notice = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId }, regulator);
    for (const sql of [
      "UPDATE notices SET content = '{}' WHERE id = ?",
      "UPDATE notices SET document_number = 'X〔2026〕9号' WHERE id = ?",
      "UPDATE notices SET deadline = '2099-01-01' WHERE id = ?",
      "UPDATE notices SET fingerprint = 'forged' WHERE id = ?",
      'DELETE FROM notices WHERE id = ?',
    ]) {
      expect(isImmutabilityRefusal(await refusal(ctx.dataSource.query(sql, [notice.id]))), sql).to.equal(true);
    }
    const repository = ctx.dataSource.getRepository(Notice);
    expect(isImmutabilityRefusal(await refusal(repository.update(notice.id, { agentName: '改过的名字' })))).to.equal(
      true,
    );
    expect(isImmutabilityRefusal(await refusal(repository.delete(notice.id)))).to.equal(true);
    const stored = await repository.findOneByOrFail({ id: notice.id });
    expect([stored.content, stored.fingerprint, stored.documentNumber]).to.deep.equal([
      notice.content,
      notice.fingerprint,
      notice.documentNumber,
    ]);
  });

  it('a rule with more than LISTED_AFTER findings is one point with their count and an attachment listing each', async () => {
    const day = (d: number) => new Date(`2026-02-${String(d).padStart(2, '0')}T10:00:00+08:00`);
    const urls = Array.from({ length: LISTED_AFTER + 2 }, (_, i) => ({
      rule: 'SUSPICIOUS_URL',
      prefix: i % 2 ? '10690123451' : '10690123452',
      number: i % 2 ? '1069012345101' : '1069012345201',
      detail: `短信含可疑链接 http://t.cn/x${i}。`,
      occurredAt: day(i + 1),
    }));
    const ids = await saveFindings(ctx.dataSource, A1, [
      ...urls,
      { rule: 'COMPLAINT_CLUSTER', detail: '多个号码被集中投诉', occurredAt: day(10) },
      { rule: 'UNFILED_SIGNATURE', number: '1069012345101', detail: '签名一未报备', occurredAt: day(11) },
      { rule: 'UNFILED_SIGNATURE', number: '1069012345101', detail: '签名二未报备', occurredAt: day(12) },
    ]);
    const notice = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, findingIds: ids }, regulator);
    const content = contentOf(notice);
    expect(content.findings.map((f) => [f.rule, f.ids.length, f.subject])).to.deep.equal([
      ['SUSPICIOUS_URL', LISTED_AFTER + 2, '号段 10690123452、号段 10690123451'],
      ['COMPLAINT_CLUSTER', 1, null],
      ['UNFILED_SIGNATURE', 2, '号码 1069012345101'],
    ]);
    const [listed, cluster, unfiled] = content.findings;
    expect(listed.list).to.equal(1);
    expect(listed.detail).to.equal(`同类问题共${LISTED_AFTER + 2}条，详见附件1。例如：短信含可疑链接 http://t.cn/x0。`);
    expect([cluster.list, unfiled.list]).to.deep.equal([null, null]);
    expect(unfiled.detail).to.equal('同类问题共2起，例如：签名一未报备');
    expect(content.attachments).to.have.length(1);
    const attachment = content.attachments[0];
    expect(attachment.title).to.equal(`可疑链接问题清单（共${LISTED_AFTER + 2}条）`);
    expect('list' in attachment && attachment.list).to.deep.equal(
      urls.map((u, i) => ({
        occurred: `2026-02-0${i + 1} 10:00`,
        subject: u.number,
        detail: u.detail,
      })),
    );
    expect(content.opening).to.include(`存在以下3个方面的问题（共${ids.length}条风险线索）`);
  });

  it('stores the whole content of a notice that lists hundreds of findings (MEDIUMTEXT on MySQL)', async () => {
    const long =
      '号码 1069012345101 发出的短信以“某市公安局交通管理局”的名义签名，但该号码登记的使用主体不是机关或事业单位。';
    const ids = await saveFindings(
      ctx.dataSource,
      A1,
      Array.from({ length: 400 }, (_, i) => ({
        rule: 'GOV_IMPERSONATION',
        number: '1069012345101',
        detail: `${long}（第 ${i + 1} 条）`,
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    );
    const notice = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, findingIds: ids }, regulator);
    const stored = await ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: notice.id });
    expect(Buffer.byteLength(stored.content)).to.be.greaterThan(65_535);
    const attachment = contentAsIssued(stored)!.attachments[0];
    expect('list' in attachment && attachment.list).to.have.length(400);
  });

  it('receipt and rectification are recorded beside the content, which stays as issued; its findings become rectified', async () => {
    const notice = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId }, regulator);
    await acknowledgeNotice(ctx.dataSource, EVERYTHING, notice.id, '张三签收，邮寄送达', 'inspector');
    const refusedAgain = await refusal(
      acknowledgeNotice(ctx.dataSource, EVERYTHING, notice.id, '再次签收', 'inspector'),
    );
    expect((refusedAgain as NoticeError).code).to.equal('notices.cannot_acknowledge');
    const done = await rectifyNotice(ctx.dataSource, EVERYTHING, notice.id, '已收回号段 106901234501', 'inspector');
    expect([done.status, done.content, done.fingerprint]).to.deep.equal([
      'rectified',
      notice.content,
      notice.fingerprint,
    ]);
    const findings = await ctx.dataSource.getRepository(Finding).findBy({ agentUscc: A1 });
    expect(new Set(findings.map((f) => f.status))).to.deep.equal(new Set(['rectified']));
  });

  it('a correction is a new notice that supersedes the old one; both stay, and verification says which is current', async () => {
    const original = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId }, regulator);
    const correction = await issueNotice(
      ctx.dataSource,
      { agentUscc: A1, issuerId, supersedesId: original.id, deadline: '2099-12-31' },
      regulator,
    );
    expect(correction.documentNumber).to.equal(`京通管〔${correction.year}〕2号`);
    expect(contentOf(correction).opening).to.include(`本通知书更正并替代${original.documentNumber}`);
    const old = await verifyNotice(ctx.dataSource, original.verificationCode.toLowerCase().replaceAll('-', ' '));
    expect([old?.id, old?.supersededById, old?.content]).to.deep.equal([original.id, correction.id, original.content]);
    const twice = await refusal(
      issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, supersedesId: original.id }, regulator),
    );
    expect((twice as NoticeError).code).to.equal('notices.already_superseded');
    expect(await verifyNotice(ctx.dataSource, 'AAAA-BBBB-CCCC-DDDD')).to.equal(null);
  });

  it("a carrier user issues only under its carrier's issuer, to agents and findings in its scope", async () => {
    const cmcc = await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CMCC' });
    const cucc = await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CUCC' });
    const cuccStaff: NoticeActor = { name: 'cucc-staff', scope: { carrierId: cucc.id }, role: 'carrier' };
    expect(((await refusal(issueNotice(ctx.dataSource, { agentUscc: A3 }, cuccStaff))) as NoticeError).code).to.equal(
      'notices.no_issuer',
    );
    await ctx.dataSource.getRepository(Issuer).save({
      code: '联合规',
      name: '中国联合网络通信集团有限公司',
      carrierId: cucc.id,
      signatory: '网络与信息安全部',
      copyTo: null,
      printedBy: '办公室',
    });
    await ctx.dataSource.getRepository(Issuer).save({
      code: '移合规',
      name: '中国移动通信集团有限公司',
      carrierId: cmcc.id,
      signatory: '信息安全管理部',
      copyTo: null,
      printedBy: '办公室',
    });
    expect(((await refusal(issueNotice(ctx.dataSource, { agentUscc: A1 }, cuccStaff))) as NoticeError).code).to.equal(
      'notices.no_findings',
    );
    const own = await issueNotice(ctx.dataSource, { agentUscc: A3 }, cuccStaff);
    expect([own.documentNumber.startsWith('联合规〔'), own.carrierId]).to.deep.equal([true, cucc.id]);
  });

  it('refuses a deadline that is not after today and an empty legal basis, writing nothing', async () => {
    const now = new Date('2026-03-01T10:00:00+08:00');
    expect(
      (
        (await refusal(
          issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, deadline: '2026-03-01', now }, regulator),
        )) as NoticeError
      ).code,
    ).to.equal('notices.bad_deadline');
    expect(
      (
        (await refusal(
          issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, legalInstrumentIds: [], now }, regulator),
        )) as NoticeError
      ).code,
    ).to.equal('notices.no_legal_basis');
    expect(await ctx.dataSource.getRepository(Notice).count()).to.equal(0);
    const next = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, now }, regulator);
    expect(next.serial).to.equal(1);
  });
});

describe('notice numbering under concurrency [MariaDB]', function () {
  this.timeout(120_000);

  it('forty notices issued at once through eight connections get serials 1..40: no gap, no duplicate', async () => {
    const setup = await openDatabase(mariadbUrl);
    const connections: Awaited<ReturnType<typeof openDatabase>>[] = [];
    try {
      await clearAllData(setup);
      await importDataset(setup, await openDataset(await writeDataset(smallDataset())));
      const issuer = await setup.getRepository(Issuer).save({
        code: '并发',
        name: '并发测试局',
        carrierId: null,
        signatory: '并发测试局',
        copyTo: null,
        printedBy: '办公室',
      });
      // Forty open findings for one agent, one per notice.
      const now = new Date();
      const findings = await setup.getRepository(Finding).save(
        Array.from({ length: 40 }, (_, i) => ({
          dedupeKey: `concurrency-${String(i).padStart(4, '0')}`,
          rule: 'MULTI_LEVEL_RELEASE',
          severity: 'high' as const,
          status: 'open' as const,
          rootCarrierId: null,
          agentUscc: A1,
          prefix: null,
          number: null,
          messageId: null,
          messageRef: null,
          complaintId: null,
          complaintRef: null,
          entityUscc: null,
          detail: `第 ${i} 条`,
          detailEn: `#${i}`,
          evidence: {},
          occurredAt: now,
          firstSeenAt: now,
          lastSeenAt: now,
          lastRunId: 1,
          statusChangedAt: null,
          statusChangedBy: null,
          statusReason: null,
        })),
      );
      connections.push(...(await Promise.all(Array.from({ length: 8 }, () => openDatabase(mariadbUrl)))));
      const issued = await Promise.all(
        findings.map((finding, i) =>
          issueNotice(connections[i % 8], { agentUscc: A1, issuerId: issuer.id, findingIds: [finding.id] }, regulator),
        ),
      );
      const serials = issued.map((n) => n.serial).sort((a, b) => a - b);
      expect(serials).to.deep.equal(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(issued.map((n) => n.documentNumber)).size).to.equal(40);
    } finally {
      await Promise.all(connections.map((c) => c.destroy()));
      await setup.destroy();
    }
  });
});
