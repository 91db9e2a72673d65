import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, AuditRun, Finding, Message } from '../../server/entities/index.ts';
import { AUDIT_START_WINDOW_MINUTES, MAX_AUDIT_STARTS } from '../../server/services/audit/auditJobs.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A3, smallDataset, writeDataset } from '../support/fixtures.ts';
import { auditFromPage, csrfFromPage, signIn, TEST_PASSWORD, type Client } from '../support/session.ts';

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
});
