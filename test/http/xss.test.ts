import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Finding, LegalInstrument, Message, ProtectedSender } from '../../server/entities/index.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A2, E_GOV, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';
import { auditFromPage, csrfFromPage, signIn, uploadDataset } from '../support/session.ts';

/** Markup that would run if any page put it out unescaped. */
const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>"];
const RAW = [/<script>alert\(/, /<img src=x onerror/, /<svg onload/];

describeEachDatabase('stored XSS payloads', (ctx) => {
  it('are shown as text, never as markup, on every page that displays stored text', async () => {
    const [p1, p2, p3] = PAYLOADS;
    const files = smallDataset();
    const csvCell = (text: string) => `"${text.replace(/"/g, '""')}"`;
    files['carriers.csv'] = `code,name\nCMCC,${csvCell(p1)}\nCUCC,${csvCell(p2)}\n`;
    files['agents.csv'] = files['agents.csv']
      .replace(
        '北京一级通信有限公司,B2-20190001,张三,北京市海淀区',
        `${csvCell(p1)},${csvCell(p2)},${csvCell(p3)},${csvCell(p1)}`,
      )
      .replace('上海二级网络科技有限公司', csvCell(p3));
    files['entities.csv'] = files['entities.csv'].replace(
      '北京市公安局公安交通管理局,北京交警|北京市公安局公安交通管理局',
      `${csvCell(p2)},${csvCell(`${p1}|${p3}`)}`,
    );
    files['allocations.csv'] = files['allocations.csv'].replace('工信部备案A-001', csvCell(p2));
    // Message text reaches the message pages and, through the findings it causes, the finding pages.
    files['messages.csv'] +=
      `M9,10690123450188,2022-03-15T09:30:00+08:00,${csvCell(`【${p1}】${p3} http://t.cn/x ${p2}`)},\n`;
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(files)));

    const app = createApp(ctx.dataSource, { databaseUrl: ctx.database.url });
    const admin = await signIn(app, ctx.dataSource);
    // A refused upload whose bad value is a payload, and a sign-in attempt whose name is one.
    const refused = await uploadDataset(admin, { 'url_lists.csv': `domain,list\nx.cn,${csvCell(p1)}\n` });
    // Reference data typed into the administration forms.
    await admin
      .post('/admin/reference/protected-senders')
      .type('form')
      .send({ name: p1, uscc: '', aliases: `${p2}\n${p3}` })
      .expect(303);
    await admin
      .post('/admin/reference/url-lists')
      .type('form')
      .send({ domain: 'evil.example.com', list: 'block', note: p2 })
      .expect(303);
    await admin
      .post('/admin/reference/legal-instruments')
      .type('form')
      .send({ title: p3, articles: p1, position: '9' })
      .expect(303);
    const form = await request.agent(app).get('/login');
    await request(app)
      .post('/login')
      .set('Cookie', form.headers['set-cookie'])
      .type('form')
      .send({ _csrf: csrfFromPage(form.text), name: p3, password: 'whatever it is' });

    await auditFromPage(admin);
    const messageId = (await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M9' })).id;
    const findingPages = (await ctx.dataSource.getRepository(Finding).find()).map((f) => `/findings/${f.id}`);
    expect(findingPages.length).to.be.greaterThan(3);
    const pages = [
      '/findings',
      '/risk',
      '/audits',
      '/messages',
      `/messages/${messageId}`,
      ...findingPages,
      '/',
      '/carriers',
      '/carriers/CMCC',
      '/agents',
      `/agents/${A1}`,
      `/agents/${A2}`,
      '/entities',
      `/entities/${E_GOV}`,
      // The entity that held M9's number lists the message; the agent filter echoes what was typed.
      `/entities/${E_SHOP}`,
      `/findings?agent=${encodeURIComponent(p1)}`,
      '/messages?flagged=1',
      // The hierarchy draws names inside SVG text and titles, and lists them; the search echoes its text.
      '/tree?carrier=CMCC&at=2022-03-14&depth=8',
      `/tree?carrier=CMCC&at=2022-03-14&q=${encodeURIComponent(p1)}`,
      '/tree/export.svg?carrier=CMCC&at=2022-03-14&depth=8',
      `/agents/${A2}?at=2022-03-14`,
      '/tree/cross-carrier?at=2022-03-14',
      '/lookup?number=106901234502&at=2022-03-14T09:30',
      '/imports',
      refused.location,
      '/admin/audit',
      '/admin/users',
      '/admin/reference/protected-senders',
      '/admin/reference/url-lists',
      '/admin/reference/legal-instruments',
      ...(
        await Promise.all(
          [ProtectedSender, LegalInstrument].map(async (entity) => {
            const rows = await ctx.dataSource.getRepository(entity).find();
            return rows.map(
              (row) =>
                `/admin/reference/${entity === ProtectedSender ? 'protected-senders' : 'legal-instruments'}/${row.id}`,
            );
          }),
        )
      ).flat(),
    ];
    for (const path of pages) {
      const html = (await admin.get(path).expect(200)).text;
      for (const raw of RAW) expect(html, `${path} puts out ${raw}`).not.to.match(raw);
    }
    expect((await admin.get(`/entities/${E_SHOP}`)).text).to.include('【&lt;script&gt;alert(1)&lt;/script&gt;】');
    const tree = (await admin.get('/tree?carrier=CMCC&at=2022-03-14&depth=8')).text;
    expect(tree).to.match(/<text [^>]*font-weight="600"[^>]*>&lt;script&gt;alert\(1\)…<\/text>/);
    expect(tree).to.include('<a href="/agents/91110108MA01AAAA1Q">&lt;script&gt;alert(1)&lt;/script&gt;</a>');
    const agentPage = (await admin.get(`/agents/${A1}`)).text;
    expect(agentPage).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(refused.page).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect((await admin.get('/admin/audit')).text).to.include('&lt;svg onload&#x3D;alert(3)&gt;');
    expect((await admin.get('/admin/reference/protected-senders')).text).to.include(
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });
});
