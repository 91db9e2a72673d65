import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, AuditRun, Finding, Issuer, Message } from '../../server/entities/index.ts';
import { AUDIT_START_WINDOW_MINUTES, MAX_AUDIT_STARTS } from '../../server/services/audit/auditJobs.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { issueNotice } from '../../server/services/notices/notices.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A3, E_GOV, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';
import { auditFromPage, csrfFromPage, signIn, TEST_PASSWORD, type Client } from '../support/session.ts';

/** The rows of a page's table (by its data-testid), header left out. */
function bodyRows(html: string, testId: string): string[] {
  const table = new RegExp(`<table[^>]*data-testid="${testId}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html);
  if (!table) throw new Error(`no table ${testId} on the page`);
  return table[1].match(/<tr[\s\S]*?<\/tr>/g) ?? [];
}

/** An href as the page writes it, decoded (handlebars writes = as &#x3D;, & as &amp;). */
const decoded = (href: string) => href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/**
 * Two messages from E_GOV's number with a block-listed link (two SUSPICIOUS_URL findings about
 * one number for A1), and one from E_SHOP's number signed as the traffic police (GOV_IMPERSONATION).
 */
const REPEATED_MESSAGES = {
  'messages.csv':
    'id,sender,sent_at,content\n' +
    'R1,106901234502,2022-06-01T09:00:00+08:00,违章处理请点 http://t.cn/R1\n' +
    'R2,106901234502,2022-06-02T09:00:00+08:00,违章处理请点 http://t.cn/R2\n' +
    'R3,10690123450188,2022-03-15T09:30:00+08:00,【北京交警】您有一条违章记录待处理\n',
};

describeEachDatabase('findings pages', (ctx) => {
  let regulator: Client;
  let cucc: Client;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const app = createApp(ctx.dataSource);
    regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
  });

  it('an audit started from the page runs in the background and reports what it found', async () => {
    const page = await auditFromPage(regulator);
    const total = await ctx.dataSource.getRepository(Finding).count();
    expect(total).to.be.greaterThan(0);
    expect(page).to.include(`共 ${total} 条风险线索，其中新增 ${total} 条`);
  });

  it("shows a carrier's staff only their own carrier's findings counted on the audit pages, never the store's totals", async () => {
    await auditFromPage(regulator);
    const run = await ctx.dataSource.getRepository(AuditRun).findOneByOrFail({ status: 'succeeded' });
    const cuccId = (await ctx.dataSource.query("SELECT id FROM carriers WHERE code = 'CUCC'"))[0].id;
    const own = await ctx.dataSource.getRepository(Finding).countBy({ rootCarrierId: cuccId });
    const all = await ctx.dataSource.getRepository(Finding).count();
    expect(own, 'the fixture gives CUCC fewer findings than the store').to.be.lessThan(all);
    const page = (await cucc.get(`/audits/${run.id}`).expect(200)).text;
    expect(page).to.include(`您所属运营商范围内共 ${own} 条风险线索，其中新增 ${own} 条`);
    expect(page).not.to.include(`共 ${all} 条风险线索`);
    expect(page).not.to.include(`处理 ${run.itemsDone} 条短信和投诉`);
    const list = (await cucc.get('/audits').expect(200)).text;
    const row = new RegExp(`<a href="/audits/${run.id}">${run.id}</a>.*?</tr>`).exec(list)![0];
    expect(row).to.include(`<td class="num">100%</td><td class="num">${own}</td>`);
    // Everyone else still sees the whole store.
    const regulatorRow = new RegExp(`<a href="/audits/${run.id}">${run.id}</a>.*?</tr>`).exec(
      (await regulator.get('/audits').expect(200)).text,
    )![0];
    expect(regulatorRow).to.include(
      `<td class="num">${run.itemsDone} / ${run.itemsTotal}</td><td class="num">${all}</td>`,
    );
  });

  it(`lets one user start at most ${MAX_AUDIT_STARTS} audits in ${AUDIT_START_WINDOW_MINUTES} minutes, in every server instance; others may go on`, async () => {
    for (let i = 0; i < MAX_AUDIT_STARTS; i++) await auditFromPage(cucc);
    const refused = await cucc.post('/audits').expect(429);
    expect(refused.text).to.include(`您在 ${AUDIT_START_WINDOW_MINUTES} 分钟内已发起 ${MAX_AUDIT_STARTS} 次稽核`);
    expect(Number(refused.headers['retry-after'])).to.be.within(1, AUDIT_START_WINDOW_MINUTES * 60);
    // A new server process counts the same starts: they are the user's rows in audit_runs.
    const elsewhere = request.agent(createApp(ctx.dataSource));
    const login = await elsewhere.get('/login').expect(200);
    await elsewhere
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFromPage(login.text), name: cucc.name, password: TEST_PASSWORD })
      .expect(303);
    const page = await elsewhere.get('/audits').expect(200);
    await elsewhere
      .post('/audits')
      .type('form')
      .send({ _csrf: csrfFromPage(page.text) })
      .expect(429);
    expect(await ctx.dataSource.getRepository(AuditRun).countBy({ actor: cucc.name })).to.equal(MAX_AUDIT_STARTS);
    await auditFromPage(regulator);
  });

  it('a regulator cannot dismiss or reopen a finding, which staff can', async () => {
    await auditFromPage(regulator);
    const finding = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ status: 'open' });
    const form = { reason: '误报，已核实', expected: 'open' };
    await regulator.post(`/findings/${finding.id}/dismiss`).type('form').send(form).expect(403);
    expect((await ctx.dataSource.getRepository(Finding).findOneByOrFail({ id: finding.id })).status).to.equal('open');
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    await admin.post(`/findings/${finding.id}/dismiss`).type('form').send(form).expect(303);
    await regulator
      .post(`/findings/${finding.id}/reopen`)
      .type('form')
      .send({ reason: '重新打开', expected: 'dismissed' })
      .expect(403);
    expect((await ctx.dataSource.getRepository(Finding).findOneByOrFail({ id: finding.id })).status).to.equal(
      'dismissed',
    );
  });

  it('lists findings worst first, filters by rule and agent, and shows one with its chain and evidence', async () => {
    await auditFromPage(regulator);
    const list = (await regulator.get(`/findings?rule=MULTI_LEVEL_RELEASE&agent=${A1}`).expect(200)).text;
    expect(list).to.include('北京一级通信有限公司将号段 106901234501 转租给上海二级网络科技有限公司');
    expect(list).to.include('共 1 条');
    const finding = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE' });
    const show = (await regulator.get(`/findings/${finding.id}`).expect(200)).text;
    expect(show).to.include('data-testid="chain"');
    expect(show).to.include('未申报');
    const unfiled = await ctx.dataSource.getRepository(Finding).findOneBy({ rule: 'UNALLOCATED_SENDER' });
    if (unfiled) await regulator.get(`/findings/${unfiled.id}`).expect(200);
    await regulator.get('/findings?severity=bogus').expect(400);
  });

  it("shows a finding's text in the reader's language: list, finding, agent and message pages", async () => {
    await importDataset(
      ctx.dataSource,
      await openDataset(
        await writeDataset({
          'messages.csv':
            'id,sender,sent_at,content\nM7,10690123450188,2022-03-15T09:30:00+08:00,【某网店】领取红包 http://t.cn/A6abc\n',
        }),
      ),
    );
    await auditFromPage(regulator);
    const release = await ctx.dataSource
      .getRepository(Finding)
      .findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE', agentUscc: A1 });
    const zh = '北京一级通信有限公司将号段 106901234501 转租给上海二级网络科技有限公司';
    const en = '北京一级通信有限公司 re-leased 106901234501 to 上海二级网络科技有限公司';
    for (const path of [`/findings?rule=MULTI_LEVEL_RELEASE&agent=${A1}`, `/findings/${release.id}`, `/agents/${A1}`]) {
      const inZh = (await regulator.get(path).query({ lang: 'zh-CN' }).expect(200)).text;
      const inEn = (await regulator.get(path).query({ lang: 'en' }).expect(200)).text;
      expect(inZh, path).to.include(zh).and.not.include(en);
      expect(inEn, path).to.include(en).and.not.include(zh);
    }
    const message = await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M7' });
    // Twice: what the rule says of the message now, and the finding the audit stored.
    const link = '链接 http://t.cn/A6abc 属于黑名单域名 t.cn';
    const linkEn = 'The link http://t.cn/A6abc is on the block-listed domain t.cn';
    const inZh = (await regulator.get(`/messages/${message.id}`).query({ lang: 'zh-CN' }).expect(200)).text;
    const inEn = (await regulator.get(`/messages/${message.id}`).query({ lang: 'en' }).expect(200)).text;
    expect([inZh.split(link).length - 1, inEn.split(linkEn).length - 1]).to.deep.equal([2, 2]);
  });

  it('lets only its starter or an administrator cancel an audit: another user gets 403 whatever its state', async () => {
    await auditFromPage(regulator);
    const [run] = await ctx.dataSource.getRepository(AuditRun).find();
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    await cucc.post(`/audits/${run.id}/cancel`).expect(403);
    // The starter and an administrator are allowed; the run has ended, so there is nothing to stop.
    await regulator.post(`/audits/${run.id}/cancel`).expect(409);
    await admin.post(`/audits/${run.id}/cancel`).expect(409);
  });

  it('marks each cue of an OFFICIAL_PRETEXT finding in the text, named by what it is', async () => {
    const sample = await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M1' });
    const content = '您的医保账户已停用，请于3月20日前登录 www.yb-check.cn 更新信息';
    await ctx.dataSource
      .getRepository(Message)
      .save({ ...sample, id: undefined, externalId: 'P1', naturalKey: 'id:P1', content });
    await auditFromPage(regulator);
    const finding = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ rule: 'OFFICIAL_PRETEXT' });
    const page = (await regulator.get(`/findings/${finding.id}`).expect(200)).text;
    expect(page).to.include(
      '您的<mark title="事由">医保</mark>账户已<mark title="施压用语">停用</mark>，请于3月20日前登录 <mark title="引导渠道">www.yb-check.cn</mark> 更新信息',
    );
    expect(page).to.include('假借官方事由');
  });

  it('dismissing needs a reason, is logged, and a second dismissal of the same finding is refused', async () => {
    await auditFromPage(regulator);
    // A finding is its carrier's (or an administrator's) to dismiss; a regulator reads it.
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    const finding = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE' });
    const noReason = await admin
      .post(`/findings/${finding.id}/dismiss`)
      .type('form')
      .send({ expected: 'open', reason: '' })
      .expect(400);
    expect(noReason.text).to.include('请填写理由');
    await admin
      .post(`/findings/${finding.id}/dismiss`)
      .type('form')
      .send({ expected: 'open', reason: '已核实为报备转租' })
      .expect(303);
    const again = await admin
      .post(`/findings/${finding.id}/dismiss`)
      .type('form')
      .send({ expected: 'open', reason: '重复提交' })
      .expect(409);
    expect(again.text).to.include('这条线索的状态已被他人改为“已排除”');
    const stored = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ id: finding.id });
    expect([stored.status, stored.statusReason]).to.deep.equal(['dismissed', '已核实为报备转租']);
    expect(await ctx.dataSource.getRepository(AuditEvent).countBy({ action: 'finding.dismissed' })).to.equal(1);
  });

  it("a carrier user sees only its own findings; another carrier's finding is 404 and cannot be dismissed", async () => {
    await auditFromPage(regulator);
    const cmccFinding = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE' });
    await cucc.get(`/findings/${cmccFinding.id}`).expect(404);
    await cucc
      .post(`/findings/${cmccFinding.id}/dismiss`)
      .type('form')
      .send({ expected: 'open', reason: '越权尝试' })
      .expect(404);
    const list = (await cucc.get('/findings').expect(200)).text;
    expect(list).not.to.include('北京一级通信有限公司');
    expect(list).to.include('深圳无证信息技术有限公司');
    const risk = (await cucc.get('/risk').expect(200)).text;
    expect(risk).to.include(A3);
    expect(risk).not.to.include(A1);
  });

  it('ranks agents by their open findings', async () => {
    await auditFromPage(regulator);
    const risk = (await regulator.get('/risk').expect(200)).text;
    expect(risk.indexOf(A1)).to.be.greaterThan(0);
    expect(risk.indexOf(A1)).to.be.lessThan(risk.indexOf(A3));
  });

  it("the message explorer says for a message why each rule did or did not fire, within the user's scope", async () => {
    const message = await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M1' });
    const page = (await regulator.get(`/messages/${message.id}`).expect(200)).text;
    expect(page).to.include('这条短信没有触发任何规则');
    expect(page).to.include('签名 【某网店】 均已由登记使用主体杭州某网店有限公司报备');
    expect(page).to.include('发送时号码登记给使用主体杭州某网店有限公司（10690123450188）');
    expect(page).to.include('短信中没有链接');
    const list = (await regulator.get('/messages?sender=1069012345').expect(200)).text;
    expect(list).to.include(`/messages/${message.id}`);
    await cucc.get(`/messages/${message.id}`).expect(404);
    expect((await cucc.get('/messages').expect(200)).text).not.to.include(`/messages/${message.id}`);
    await regulator.get('/messages?sender=abc').expect(400);
  });

  it('a flagged message shows the rule that fired and the stored finding', async () => {
    await importDataset(
      ctx.dataSource,
      await openDataset(
        await writeDataset({
          'messages.csv':
            'id,sender,sent_at,content\nM7,10690123450188,2022-03-15T09:30:00+08:00,【某网店】领取红包 http://t.cn/A6abc\n',
        }),
      ),
    );
    await auditFromPage(regulator);
    const message = await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M7' });
    const page = (await regulator.get(`/messages/${message.id}`).expect(200)).text;
    expect(page).to.include('这条短信触发了风险规则');
    expect(page).to.include('可疑链接');
    expect(page).to.include('稽核已存储的相关风险线索');
  });

  it("names the agent and the carrier of each finding, and finds an agent's findings by part of its name", async () => {
    await auditFromPage(regulator);
    const ofA1 = await ctx.dataSource.getRepository(Finding).countBy({ agentUscc: A1 });
    expect(ofA1).to.be.greaterThan(0);
    const list = (await regulator.get('/findings').query({ agent: '一级通信' }).expect(200)).text;
    expect(list).to.include(`共 ${ofA1} 条`);
    const rows = bodyRows(list, 'findings');
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) {
      expect(row).to.include(`<a href="/agents/${A1}">北京一级通信有限公司</a>`);
      expect(row).to.include('<td class="nowrap">中国移动</td>');
    }
    expect((await regulator.get('/findings').query({ agent: A1.toLowerCase() }).expect(200)).text).to.include(
      `共 ${ofA1} 条`,
    );
    const none = (await regulator.get('/findings').query({ agent: '没有这家代理商' }).expect(200)).text;
    expect(none).to.include('没有符合条件的风险线索');
  });

  it('shows near-identical findings (same agent, rule and number) as one row with their count, linking to each', async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(REPEATED_MESSAGES)));
    await auditFromPage(regulator);
    const same = await ctx.dataSource
      .getRepository(Finding)
      .find({ where: { rule: 'SUSPICIOUS_URL', number: '106901234502' }, order: { id: 'ASC' } });
    expect(same.map((f) => f.agentUscc)).to.deep.equal([A1, A1]);
    const list = (await regulator.get('/findings').query({ rule: 'SUSPICIOUS_URL' }).expect(200)).text;
    const rows = bodyRows(list, 'findings').filter((row) => row.includes('106901234502'));
    expect(rows, 'one row for the two').to.have.length(1);
    expect(rows[0]).to.include('共 2 条相同线索');
    expect(list).to.include('相同代理商、规则和号码的线索合为一行');
    const link = decoded(/<a class="badge badge-group" href="([^"]+)"/.exec(rows[0])![1]);
    expect(link).to.match(/^\/findings\?rule=SUSPICIOUS_URL&similar=\d+$/);
    const members = (await regulator.get(link).expect(200)).text;
    expect(members).to.include('data-testid="similar"');
    expect(members).to.include('共 2 条');
    const memberRows = bodyRows(members, 'findings');
    expect(memberRows).to.have.length(2);
    for (const finding of same) expect(members).to.include(`<a href="/findings/${finding.id}">${finding.id}</a>`);
    await regulator.get('/findings?similar=999999').expect(400);
  });

  it("a finding's page names its agent and entity, words its facts, and offers the reader's next steps", async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(REPEATED_MESSAGES)));
    await auditFromPage(regulator);
    const release = await ctx.dataSource
      .getRepository(Finding)
      .findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE', agentUscc: A1 });
    const page = (await regulator.get(`/findings/${release.id}`).expect(200)).text;
    expect(page).to.match(new RegExp(`data-testid="finding-agent"><a href="/agents/${A1}">北京一级通信有限公司</a>`));
    expect(page).to.include('<dt>已报备</dt><dd>否</dd>');
    expect(page).not.to.match(/<dd>(true|false)<\/dd>/);
    expect(decoded(page)).to.include(`href="/agents/${A1}/notices/new?finding=${release.id}"`);
    expect(decoded(page)).to.include('href="/tree?carrier=CMCC&at=2021-06-01&q=106901234501"');
    // A regulator reads findings; dismissing is a carrier's staff's (or an administrator's).
    expect(page).not.to.include('data-testid="dismiss-form"');
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    expect((await admin.get(`/findings/${release.id}`).expect(200)).text).to.include('data-testid="dismiss-form"');

    const impersonation = await ctx.dataSource
      .getRepository(Finding)
      .findOneByOrFail({ rule: 'GOV_IMPERSONATION', entityUscc: E_SHOP });
    const claim = (await regulator.get(`/findings/${impersonation.id}`).expect(200)).text;
    expect(claim).to.include(`<a href="/entities/${E_SHOP}">杭州某网店有限公司</a>`);
    expect(claim).to.match(/<dt>匹配方式<\/dt><dd>[^<]*[\u4e00-\u9fff][^<]*<\/dd>/);
    expect(claim).not.to.match(/<dd>(exact|normalised|abbreviation|lookalike|pattern|none)<\/dd>/);
    expect(E_GOV).not.to.equal(E_SHOP);
  });

  it('counts open and notified findings by one definition on the risk ranking and the notice form', async () => {
    await auditFromPage(regulator);
    await ctx.dataSource.getRepository(Issuer).save({
      code: '京通管',
      name: '北京市通信管理局',
      carrierId: null,
      signatory: '北京市通信管理局',
      copyTo: null,
      printedBy: '北京市通信管理局办公室',
    });
    const open = await ctx.dataSource.getRepository(Finding).countBy({ agentUscc: A1, status: 'open' });
    expect(open).to.be.greaterThan(0);
    const a1Row = async () =>
      bodyRows((await regulator.get('/risk').expect(200)).text, 'risk').find((row) => row.includes(A1))!;
    expect(await a1Row())
      .to.include(`待处理 ${open} 条</a> · <a`)
      .and.include('已通知 0 条');
    const form = (await regulator.get(`/agents/${A1}/notices/new`).expect(200)).text;
    expect([...form.matchAll(/name="findings" value="\d+" checked/g)]).to.have.length(open);

    await issueNotice(ctx.dataSource, { agentUscc: A1 }, { name: 'cli:root', scope: EVERYTHING, role: 'cli' });
    expect(await a1Row())
      .to.include('待处理 0 条')
      .and.include(`已通知 ${open} 条`);
    const after = (await regulator.get(`/agents/${A1}/notices/new`).expect(200)).text;
    expect(after).to.include('北京一级通信有限公司没有待处理的风险线索');
    expect(after).to.include(`另有 ${open} 条线索已在整改通知书中通知`);
  });

  it("gives each message in the list the audit's verdict, and keeps only the flagged ones on request", async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(REPEATED_MESSAGES)));
    const unaudited = (await regulator.get('/messages').expect(200)).text;
    expect(bodyRows(unaudited, 'messages').every((row) => row.includes('尚未稽核'))).to.equal(true);
    await auditFromPage(regulator);
    const flaggedIds = new Set(
      (await ctx.dataSource.getRepository(Finding).find())
        .filter((f) => f.messageId !== null && f.status !== 'dismissed')
        .map((f) => f.messageId!),
    );
    const messages = await ctx.dataSource.getRepository(Message).find();
    expect(flaggedIds.size).to.be.greaterThan(0).and.lessThan(messages.length);
    const list = (await regulator.get('/messages').expect(200)).text;
    for (const message of messages) {
      const row = bodyRows(list, 'messages').find((r) => r.includes(`href="/messages/${message.id}"`))!;
      expect(row, message.externalId ?? '').to.include(flaggedIds.has(message.id) ? '被标记（' : '未发现问题');
    }
    const flagged = (await regulator.get('/messages?flagged=1').expect(200)).text;
    expect(flagged).to.include(`共 ${flaggedIds.size} 条`);
    expect(bodyRows(flagged, 'messages')).to.have.length(flaggedIds.size);
    // A dismissed finding no longer flags its message.
    const r3 = messages.find((m) => m.externalId === 'R3')!;
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    for (const finding of await ctx.dataSource.getRepository(Finding).findBy({ messageId: r3.id }))
      await admin
        .post(`/findings/${finding.id}/dismiss`)
        .type('form')
        .send({ expected: finding.status, reason: '核实为本单位授权' })
        .expect(303);
    const after = (await regulator.get('/messages?flagged=1').expect(200)).text;
    expect(after).not.to.include(`href="/messages/${r3.id}"`);
  });
});
