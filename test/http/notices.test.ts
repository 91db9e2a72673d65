import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Carrier, Finding, Issuer, Notice } from '../../server/entities/index.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { Renderer } from '../../server/services/notices/rendering.ts';
import { issueNotice, LISTED_AFTER } from '../../server/services/notices/notices.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A3, saveFindings, smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, type Client } from '../support/session.ts';

/** supertest's parser for a binary body (a PDF). */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describeEachDatabase('notice pages', (ctx) => {
  let regulator: Client;
  let cucc: Client;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const cuccId = (await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CUCC' })).id;
    await ctx.dataSource.getRepository(Issuer).save([
      {
        code: '京通管',
        name: '北京市通信管理局',
        carrierId: null,
        signatory: '北京市通信管理局',
        copyTo: '工业和信息化部',
        printedBy: '北京市通信管理局办公室',
      },
      {
        code: '联合规',
        name: '中国联合网络通信集团有限公司',
        carrierId: cuccId,
        signatory: '网络与信息安全部',
        copyTo: null,
        printedBy: '办公室',
      },
    ]);
    const app = createApp(ctx.dataSource);
    regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
  });

  async function issueFromPages(client: Client, uscc: string): Promise<Notice> {
    const form = (await client.get(`/agents/${uscc}/notices/new`).expect(200)).text;
    const findings = [...form.matchAll(/name="findings" value="(\d+)"/g)].map((m) => m[1]);
    const instruments = [...form.matchAll(/name="instruments" value="(\d+)"/g)].map((m) => m[1]);
    const deadline = /name="deadline" value="([\d-]+)"/.exec(form)![1];
    const body = new URLSearchParams({ deadline });
    for (const f of findings) body.append('findings', f);
    for (const i of instruments) body.append('instruments', i);
    const before = await ctx.dataSource.getRepository(Notice).count();
    const preview = (
      await client.post(`/agents/${uscc}/notices/preview`).type('form').send(body.toString()).expect(200)
    ).text;
    expect(preview).to.include('预览：尚未签发');
    expect(await ctx.dataSource.getRepository(Notice).count(), 'a preview issues nothing').to.equal(before);
    const { headers } = await client.post(`/agents/${uscc}/notices`).type('form').send(body.toString()).expect(303);
    return ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: Number(headers.location.split('/').pop()) });
  }

  it("records the answer to a regulator office's notice but not to a carrier's, whose page offers it no form", async () => {
    const carriers = await issueFromPages(cucc, A3);
    const own = await issueFromPages(regulator, A1);
    const page = (await regulator.get(`/notices/${carriers.id}`).expect(200)).text;
    expect(page).not.to.include(`action="/notices/${carriers.id}/acknowledge"`);
    await regulator.post(`/notices/${carriers.id}/acknowledge`).type('form').send({ note: '监管代签' }).expect(403);
    await regulator.post(`/notices/${carriers.id}/rectify`).type('form').send({ note: '监管代改' }).expect(403);
    expect((await ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: carriers.id })).status).to.equal('issued');
    await cucc.post(`/notices/${carriers.id}/acknowledge`).type('form').send({ note: '张三签收' }).expect(303);
    expect((await regulator.get(`/notices/${own.id}`).expect(200)).text).to.include(
      `action="/notices/${own.id}/acknowledge"`,
    );
    await regulator.post(`/notices/${own.id}/acknowledge`).type('form').send({ note: '李四签收' }).expect(303);
    expect((await ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: own.id })).status).to.equal(
      'acknowledged',
    );
  });

  it('form → preview → issue; the printable page shows the number, title, QR code and verification code', async () => {
    const notice = await issueFromPages(regulator, A1);
    expect(notice.documentNumber).to.match(/^京通管〔\d{4}〕1号$/);
    const print = (await regulator.get(`/notices/${notice.id}/print`).expect(200)).text;
    expect(print).to.include(notice.documentNumber);
    expect(print).to.include('关于北京一级通信有限公司106短信号码违规问题的整改通知书');
    expect(print).to.include('src="data:image/svg+xml;base64,');
    expect(print).to.include(notice.verificationCode);
    expect(print).not.to.include('class="site-header"');
  });

  it('points the verification link and QR code at PUBLIC_URL when it is set, else at the address asked', async () => {
    const notice = await issueFromPages(regulator, A1);
    const own = (await regulator.get(`/notices/${notice.id}/print`).expect(200)).text;
    expect(own).to.match(new RegExp(`alt="http://127\\.0\\.0\\.1:\\d+/verify/${notice.verificationCode}"`));
    const app = createApp(ctx.dataSource, { config: loadConfig({ PUBLIC_URL: 'https://audit.example.cn/sms106/' }) });
    const behindProxy = await signIn(app, ctx.dataSource, { role: 'regulator' });
    const print = (await behindProxy.get(`/notices/${notice.id}/print`).expect(200)).text;
    expect(print).to.include(`alt="https://audit.example.cn/sms106/verify/${notice.verificationCode}"`);
    expect(print).not.to.include('127.0.0.1');
  });

  it('in production refuses to print a notice whose verification link would point at this machine, naming PUBLIC_URL', async () => {
    const notice = await issueFromPages(regulator, A1);
    const production = createApp(ctx.dataSource, { config: loadConfig({ NODE_ENV: 'production' }) });
    const local = await signIn(production, ctx.dataSource, { role: 'regulator' });
    for (const path of [`/notices/${notice.id}/print`, `/notices/${notice.id}/pdf`]) {
      const refused = await local.get(path).expect(503);
      expect(refused.text, path).to.include('PUBLIC_URL').and.include(`http://127.0.0.1:`);
    }
    // The record page still shows the link, so that staff see what is wrong.
    await local.get(`/notices/${notice.id}`).expect(200);
    const published = createApp(ctx.dataSource, {
      config: loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://audit.example.cn' }),
    });
    const behindProxy = await signIn(published, ctx.dataSource, { role: 'regulator' });
    const print = (await behindProxy.get(`/notices/${notice.id}/print`).expect(200)).text;
    expect(print).to.include(`alt="https://audit.example.cn/verify/${notice.verificationCode}"`);
  });

  it('prints no empty brackets, and a rule with many findings as one point whose attachment lists them', async () => {
    const day = new Date('2026-02-01T10:00:00+08:00');
    const ids = await saveFindings(ctx.dataSource, A1, [
      { rule: 'COMPLAINT_CLUSTER', detail: '多个号码被集中投诉', occurredAt: day },
      ...Array.from({ length: LISTED_AFTER + 1 }, (_, i) => ({
        rule: 'SUSPICIOUS_URL',
        number: '1069012345101',
        detail: `短信含可疑链接 http://t.cn/x${i}`,
        occurredAt: day,
      })),
    ]);
    const regulatorActor = { name: 'inspector', scope: EVERYTHING, role: 'regulator' as const };
    const issuerId = (await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ code: '京通管' })).id;
    const notice = await issueNotice(ctx.dataSource, { agentUscc: A1, issuerId, findingIds: ids }, regulatorActor);
    const print = (await regulator.get(`/notices/${notice.id}/print`).expect(200)).text;
    expect(print).not.to.match(/（\s*）/);
    expect(print).to.include('<span class="num">一、</span>投诉聚集。多个号码被集中投诉（发生时间：2026年2月1日）。');
    expect(print).to.include(`同类问题共${LISTED_AFTER + 1}条，详见附件1。`);
    const list = /<table class="list-table"[^]*?<\/table>/.exec(print)?.[0] ?? '';
    expect(list.match(/<tr>/g)).to.have.length(LISTED_AFTER + 2);
    expect(list).to.include('短信含可疑链接 http://t.cn/x3');
  });

  it('refuses to delete an issuer that has issued notices with a clear 409, and deletes an unused one', async () => {
    const notice = await issueFromPages(regulator, A1);
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    const used = await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ id: notice.issuerId });
    const refused = await admin
      .post(`/admin/reference/issuers/${used.id}/delete`)
      .type('form')
      .send({ version: String(used.version) })
      .expect(409);
    expect(refused.text).to.include('不能删除：该发文机关已签发 1 份整改通知书');
    expect(await ctx.dataSource.getRepository(Issuer).countBy({ id: used.id })).to.equal(1);
    const unused = await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ code: '联合规' });
    await admin
      .post(`/admin/reference/issuers/${unused.id}/delete`)
      .type('form')
      .send({ version: String(unused.version) })
      .expect(303);
    expect(await ctx.dataSource.getRepository(Issuer).countBy({ id: unused.id })).to.equal(0);
  });

  it('verification is public: a valid code shows the notice, an unknown one says so, a superseded one says by which', async () => {
    const notice = await issueFromPages(regulator, A1);
    const anonymous = request(createApp(ctx.dataSource));
    const valid = (await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text;
    expect(valid).to.include(notice.documentNumber);
    expect(valid).to.include(notice.fingerprint);
    expect(valid).to.include('已签发');
    expect((await anonymous.get('/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ').expect(404)).text).to.include(
      '查无此核验码对应的整改通知书',
    );
    const form = (await regulator.get(`/agents/${A1}/notices/new?supersedes=${notice.id}`).expect(200)).text;
    const deadline = /name="deadline" value="([\d-]+)"/.exec(form)![1];
    const body = new URLSearchParams({ deadline, supersedes: String(notice.id) });
    for (const m of form.matchAll(/name="(findings|instruments)" value="(\d+)"/g)) body.append(m[1], m[2]);
    await regulator.post(`/agents/${A1}/notices`).type('form').send(body.toString()).expect(303);
    const superseded = (await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text;
    expect(superseded).to.include('已被更正');
    expect(superseded).to.match(/已被 京通管〔\d{4}〕2号 更正替代/);
  });

  it('a notice keeps the issuer name it was issued under after an administrator renames the issuer', async () => {
    const notice = await issueFromPages(regulator, A1);
    const issuer = await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ id: notice.issuerId });
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    await admin
      .post(`/admin/reference/issuers/${issuer.id}`)
      .type('form')
      .send({
        version: String(issuer.version),
        code: issuer.code,
        name: '首都信息通信监督办公室',
        carrierId: '',
        signatory: issuer.signatory,
        copyTo: issuer.copyTo ?? '',
        printedBy: issuer.printedBy,
      })
      .expect(303);
    expect((await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ id: issuer.id })).name).to.equal(
      '首都信息通信监督办公室',
    );
    const pages = {
      verify: (await request(createApp(ctx.dataSource)).get(`/verify/${notice.verificationCode}`).expect(200)).text,
      record: (await regulator.get(`/notices/${notice.id}`).expect(200)).text,
      print: (await regulator.get(`/notices/${notice.id}/print`).expect(200)).text,
    };
    for (const [name, html] of Object.entries(pages)) {
      expect(html, name).to.include('北京市通信管理局');
      expect(html, name).not.to.include('首都信息通信监督办公室');
    }
    const pdf = (
      await regulator
        .get(`/notices/${notice.id}/pdf`)
        .buffer(true)
        .parse(binary)
        .expect(200)
        .expect('Content-Type', 'application/pdf')
    ).body as Buffer;
    const printed = execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).replace(/\s+/g, '');
    expect(printed).to.include('北京市通信管理局');
    expect(printed).not.to.include('首都信息通信监督办公室');
  });

  it('a notice whose stored content no longer matches its fingerprint is shown as altered, not as genuine', async () => {
    const notice = await issueFromPages(regulator, A1);
    const anonymous = request(createApp(ctx.dataSource));
    const warning = '与签发时记录的内容指纹不符';
    expect((await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text).not.to.include(warning);
    // Someone with the right to drop the triggers (as clearAllData does) rewrites the addressee.
    for (const trigger of ['notices_content_immutable', 'notices_never_deleted'])
      await ctx.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    const forged = notice.content.replaceAll('北京一级通信有限公司', '北京冒名通信有限公司');
    expect(forged).not.to.equal(notice.content);
    await ctx.dataSource.query('UPDATE notices SET content = ? WHERE id = ?', [forged, notice.id]);
    const verify = (await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text;
    expect(verify).to.include(warning);
    expect(verify).not.to.include('此核验码对应一份真实签发的整改通知书');
    expect(verify).not.to.include('北京冒名通信有限公司');
    expect((await regulator.get(`/notices/${notice.id}`).expect(200)).text).to.include(warning);
    expect((await regulator.get(`/notices/${notice.id}/print`).expect(409)).text).to.include('不予打印');
    await regulator.get(`/notices/${notice.id}/pdf`).expect(409);
    // Content that is no longer even JSON is the same warning, not a 500.
    await ctx.dataSource.query('UPDATE notices SET content = ? WHERE id = ?', ['{"issuer":', notice.id]);
    expect((await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text).to.include(warning);
    expect((await regulator.get(`/notices/${notice.id}`).expect(200)).text).to.include(warning);
    // The content put back but a column it is listed by moved (a later deadline): still altered.
    await ctx.dataSource.query('UPDATE notices SET content = ?, deadline = ? WHERE id = ?', [
      notice.content,
      '2099-12-31',
      notice.id,
    ]);
    expect((await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text).to.include(warning);
    await ctx.dataSource.query('UPDATE notices SET deadline = ? WHERE id = ?', [notice.deadline, notice.id]);
    expect((await anonymous.get(`/verify/${notice.verificationCode}`).expect(200)).text).not.to.include(warning);
  });

  it('PDF requests beyond the render queue get 503 with Retry-After; no more than the limit render at once; the server goes on', async () => {
    const notice = await issueFromPages(regulator, A1);
    const renderer = new Renderer({ concurrency: 2, maxWaiting: 3 });
    try {
      const client = await signIn(createApp(ctx.dataSource, { renderer }), ctx.dataSource, { role: 'regulator' });
      // Two renders of the test's own hold both slots, so which requests wait and which are refused depends on nothing
      // else.
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const holders = [renderer.queue.run(() => held), renderer.queue.run(() => held)];
      const responses: request.Response[] = [];
      let refusedAll!: () => void;
      const seventeenBack = new Promise<void>((resolve) => {
        refusedAll = resolve;
      });
      const requests = Array.from({ length: 20 }, () =>
        client
          .get(`/notices/${notice.id}/pdf`)
          .buffer(true)
          .parse(binary)
          .then((response) => {
            responses.push(response);
            if (responses.length === 17) refusedAll();
            return response;
          }),
      );
      await seventeenBack;
      for (const response of responses) {
        expect(response.status).to.equal(503);
        expect(response.headers['retry-after']).to.equal('5');
        expect(response.body.toString()).to.include('服务器正忙于生成其他 PDF 或图片，等候队列已满，请约 5 秒后再试');
      }
      expect([renderer.queue.waitingCount, renderer.queue.rejected]).to.deep.equal([3, 17]);
      release();
      await Promise.all(holders);
      const all = await Promise.all(requests);
      const rendered = all.filter((r) => r.status === 200);
      expect(all.every((r) => r.status === 200 || r.status === 503)).to.equal(true);
      expect(rendered).to.have.length(3);
      for (const r of rendered) expect((r.body as Buffer).subarray(0, 5).toString()).to.equal('%PDF-');
      expect(renderer.queue.peakRunning).to.equal(2);
      // Still serving, PDFs included.
      await client.get('/notices').expect(200);
      const again = await client.get(`/notices/${notice.id}/pdf`).buffer(true).parse(binary).expect(200);
      expect((again.body as Buffer).subarray(0, 5).toString()).to.equal('%PDF-');
      expect([renderer.queue.running, renderer.queue.waitingCount, renderer.queue.peakRunning]).to.deep.equal([
        0, 0, 2,
      ]);
    } finally {
      await renderer.close();
    }
  });

  it('showing a notice starts Chromium and prints it once ahead; the PDF then uses that page, warm', async () => {
    const notice = await issueFromPages(regulator, A1);
    const renderer = new Renderer({ concurrency: 2, maxWaiting: 3 });
    try {
      const client = await signIn(createApp(ctx.dataSource, { renderer }), ctx.dataSource, { role: 'regulator' });
      expect(renderer.pagesMade).to.equal(0);
      await client.get(`/notices/${notice.id}`).expect(200);
      // The page's warm-up runs in the background after the answer: waited for here.
      for (let waited = 0; renderer.pagesMade === 0 && waited < 30_000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(renderer.pagesMade, 'a page made when the notice was shown').to.equal(1);
      // A second notice printed on the same page after the first shows its own text only.
      const other = await issueFromPages(cucc, A3);
      const carrierClient = await signIn(createApp(ctx.dataSource, { renderer }), ctx.dataSource, {
        role: 'carrier',
        carrierCode: 'CUCC',
      });
      for (const [who, printed, not] of [
        [client, notice, other],
        [carrierClient, other, notice],
        [client, notice, other],
      ] as const) {
        const pdf = await who.get(`/notices/${printed.id}/pdf`).buffer(true).parse(binary).expect(200);
        const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.body as Buffer, encoding: 'utf8' });
        expect(text.replace(/\s+/g, '')).to.include(printed.documentNumber).and.not.include(not.documentNumber);
      }
      expect(renderer.pagesMade, 'every PDF printed on the page made ready').to.equal(1);
    } finally {
      await renderer.close();
    }
  });

  it('receipt and rectification are recorded from the notice page; there is no route that edits a notice', async () => {
    const notice = await issueFromPages(regulator, A1);
    await regulator.post(`/notices/${notice.id}/acknowledge`).type('form').send({ note: '李四签收' }).expect(303);
    await regulator.post(`/notices/${notice.id}/rectify`).type('form').send({ note: '已收回转租号段' }).expect(303);
    const page = (await regulator.get(`/notices/${notice.id}`).expect(200)).text;
    expect(page).to.include('已整改');
    for (const path of [`/notices/${notice.id}/edit`, `/notices/${notice.id}`, `/notices/${notice.id}/delete`])
      await regulator.post(path).type('form').send({ content: '{}' }).expect(404);
    const stored = await ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: notice.id });
    expect([stored.content, stored.fingerprint]).to.deep.equal([notice.content, notice.fingerprint]);
  });

  it("a carrier user issues under its own issuer, sees only its notices, and cannot address another carrier's agent", async () => {
    const regulatorNotice = await issueFromPages(regulator, A1);
    await cucc.get(`/agents/${A1}/notices/new`).expect(404);
    await cucc.get(`/notices/${regulatorNotice.id}`).expect(404);
    const own = await issueFromPages(cucc, A3);
    expect(own.documentNumber).to.match(/^联合规〔\d{4}〕1号$/);
    const list = (await cucc.get('/notices').expect(200)).text;
    expect(list).to.include(own.documentNumber);
    expect(list).not.to.include(regulatorNotice.documentNumber);
  });

  it('the form opened from a finding ticks that finding only; a notified one is explained, another agent’s refused', async () => {
    // Two more findings for A1: links to a block-listed domain from the number it serves E_GOV with.
    await importDataset(
      ctx.dataSource,
      await openDataset(
        await writeDataset({
          'messages.csv':
            'id,sender,sent_at,content\nN1,106901234502,2022-06-01T09:00:00+08:00,请点 http://t.cn/N1\n' +
            'N2,106901234502,2022-06-02T09:00:00+08:00,请点 http://t.cn/N2\n',
        }),
      ),
    );
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const open = await ctx.dataSource.getRepository(Finding).find({ where: { agentUscc: A1, status: 'open' } });
    expect(open.length).to.be.greaterThan(2);
    const chosen = open[open.length - 1];
    const form = (await regulator.get(`/agents/${A1}/notices/new?finding=${chosen.id}`).expect(200)).text;
    const ticked = [...form.matchAll(/name="findings" value="(\d+)" checked/g)].map((m) => Number(m[1]));
    const offered = [...form.matchAll(/name="findings" value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ticked).to.deep.equal([chosen.id]);
    expect(offered.sort((a, b) => a - b)).to.deep.equal(open.map((f) => f.id).sort((a, b) => a - b));

    const office = await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ code: '京通管' });
    await issueNotice(
      ctx.dataSource,
      { agentUscc: A1, findingIds: [chosen.id], issuerId: office.id },
      { name: 'cli:root', scope: EVERYTHING, role: 'cli' },
    );
    const notified = (await regulator.get(`/agents/${A1}/notices/new?finding=${chosen.id}`).expect(200)).text;
    expect(notified).to.include(`线索 #${chosen.id} 当前为“已通知”`);
    expect(notified).not.to.include(`name="findings" value="${chosen.id}"`);

    const other = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ agentUscc: A3 });
    const refused = await regulator.get(`/agents/${A1}/notices/new?finding=${other.id}`).expect(400);
    expect(refused.text).to.include('查询参数 finding 无效');
  });

  it('lists the findings a notice covers, and names its issuer: a person with their role, or the issuing office', async () => {
    const fromPages = await issueFromPages(regulator, A3);
    const covered = await ctx.dataSource.getRepository(Finding).findBy({ agentUscc: A3, status: 'notified' });
    expect(covered.length).to.be.greaterThan(0);
    const page = (await regulator.get(`/notices/${fromPages.id}`).expect(200)).text;
    expect(page).to.include(`本通知书所涉风险线索（${covered.length} 条）`);
    for (const finding of covered) expect(page).to.include(`<a href="/findings/${finding.id}">${finding.id}</a>`);
    expect(page).to.include(`data-testid="issued-by">${regulator.name}（监管）</dd>`);

    const fromCli = await issueNotice(
      ctx.dataSource,
      { agentUscc: A1, issuerId: (await ctx.dataSource.getRepository(Issuer).findOneByOrFail({ code: '京通管' })).id },
      { name: 'cli:root', scope: EVERYTHING, role: 'cli' },
    );
    const cliPage = (await regulator.get(`/notices/${fromCli.id}`).expect(200)).text;
    expect(cliPage).to.include('data-testid="issued-by">北京市通信管理局（通过命令行签发，系统用户 root）</dd>');
    expect(cliPage).not.to.include('cli:root');
  });
});
