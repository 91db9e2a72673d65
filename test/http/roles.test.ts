import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Carrier, Finding, Issuer, Notice } from '../../server/entities/index.ts';
import { ROLES } from '../../server/entities/User.ts';
import { ROUTES } from '../../server/routes/index.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A3, smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, type Client } from '../support/session.ts';

const readme = path.join(import.meta.dirname, '..', '..', 'README.md');

describe('declared route roles', () => {
  it('every route that changes something, and every admin page, names the roles that may use it', () => {
    // Open to any signed-in user on purpose: leaving.
    const openOnPurpose = new Set(['post /logout', 'post /login']);
    const undeclared = ROUTES.filter(
      (route) => (route.method !== 'get' || route.path.startsWith('/admin')) && !Array.isArray(route.access),
    )
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !openOnPurpose.has(route));
    expect(undeclared).to.deep.equal([]);
    const adminRoutes = ROUTES.filter((route) => route.path.startsWith('/admin'));
    expect(
      adminRoutes.filter((route) => JSON.stringify(route.access) !== '["admin"]').map((route) => route.path),
    ).to.deep.equal([]);
  });

  it('README\'s "who may change what" table is the declarations, row for row', async () => {
    const text = await readFile(readme, 'utf8');
    const block = /<!-- roles:begin -->([\s\S]*?)<!-- roles:end -->/.exec(text);
    expect(block, 'README has the roles table').to.not.equal(null);
    const documented = block![1]
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, 5)
          .map((cell) => cell.trim())
          .join(' '),
      );
    const declared = ROUTES.filter((route) => route.method === 'post' || Array.isArray(route.access)).map((route) => {
      const cells = ROLES.map((role) => (!Array.isArray(route.access) || route.access.includes(role) ? '✓' : '—'));
      return [`\`${route.method.toUpperCase()} ${route.path}\``, ...cells].join(' ');
    });
    expect(ROLES).to.deep.equal(['admin', 'carrier', 'regulator']);
    expect(documented).to.deep.equal(declared);
  });
});

describeEachDatabase('what a regulator may change', (ctx) => {
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
        copyTo: null,
        printedBy: '办公室',
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

  /** Issues a notice to `uscc` through the pages, with every finding and instrument the form offers. */
  async function issue(client: Client, uscc: string): Promise<Notice> {
    const form = (await client.get(`/agents/${uscc}/notices/new`).expect(200)).text;
    const body = new URLSearchParams({ deadline: /name="deadline" value="([\d-]+)"/.exec(form)![1] });
    for (const [, id] of form.matchAll(/name="findings" value="(\d+)"/g)) body.append('findings', id);
    for (const [, id] of form.matchAll(/name="instruments" value="(\d+)"/g)) body.append('instruments', id);
    const { headers } = await client.post(`/agents/${uscc}/notices`).type('form').send(body.toString()).expect(303);
    return ctx.dataSource.getRepository(Notice).findOneByOrFail({ id: Number(headers.location.split('/').pop()) });
  }

  it("records the answer to a regulator office's notice but not to a carrier's, whose page offers it no form", async () => {
    const carriers = await issue(cucc, A3);
    const own = await issue(regulator, A1);
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

  it('cannot dismiss or reopen a finding, which staff can', async () => {
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
});
