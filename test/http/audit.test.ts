import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { User } from '../../server/entities/index.ts';
import { setPassword } from '../../server/services/accounts/accounts.ts';
import { recordAudit } from '../../server/services/accounts/audit.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { csrfFromPage, signIn, uploadDataset } from '../support/session.ts';

describeEachDatabase('audit log', (ctx) => {
  const events = async () =>
    (await ctx.dataSource.query('SELECT actor, action, subject FROM audit_events ORDER BY id')) as Array<{
      actor: string;
      action: string;
      subject: string;
    }>;

  it('records who created a user, who signed in and out, and failed sign-ins', async () => {
    const app = createApp(ctx.dataSource);
    const admin = await signIn(app, ctx.dataSource);
    const form = await request.agent(app).get('/login');
    await request(app)
      .post('/login')
      .set('Cookie', form.headers['set-cookie'])
      .type('form')
      .send({ _csrf: csrfFromPage(form.text), name: admin.name, password: 'wrong password!' });
    await admin.post('/logout').expect(303);
    expect(await events()).to.deep.equal([
      { actor: 'test', action: 'user.created', subject: `user:${admin.name}` },
      { actor: admin.name, action: 'session.signed_in', subject: `user:${admin.name}` },
      { actor: admin.name, action: 'session.sign_in_failed', subject: `user:${admin.name}` },
      { actor: admin.name, action: 'session.signed_out', subject: `user:${admin.name}` },
    ]);
  });

  it('records imports, accepted and refused, with the ids of the import runs', async () => {
    const admin = await signIn(createApp(ctx.dataSource, { databaseUrl: ctx.database.url }), ctx.dataSource);
    await uploadDataset(admin, smallDataset());
    await uploadDataset(admin, { 'url_lists.csv': 'domain,list\nx.cn,grey\n' });
    const runs = (await ctx.dataSource.query('SELECT id, status FROM import_runs ORDER BY id')) as Array<{
      id: number;
      status: string;
    }>;
    const imports = (await events()).filter((e) => e.action.startsWith('import.'));
    expect(imports).to.deep.equal([
      { actor: admin.name, action: 'import.succeeded', subject: `import_run:${runs[0].id}` },
      { actor: admin.name, action: 'import.refused', subject: `import_run:${runs[1].id}` },
    ]);
    const [row] = await ctx.dataSource.query(`SELECT after_state FROM audit_events WHERE action = 'import.succeeded'`);
    expect(JSON.parse(row.after_state).files).to.deep.include({ file: 'allocations.csv', rows: 6, added: 6 });
  });

  it("records a password change with the user's version before and after", async () => {
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource);
    await setPassword(ctx.dataSource, admin.name, 'a brand new password', 'cli:root');
    const [row] = await ctx.dataSource.query(
      `SELECT actor, before_state, after_state FROM audit_events WHERE action = 'user.password_set'`,
    );
    expect(row.actor).to.equal('cli:root');
    expect(JSON.parse(row.after_state).version).to.equal(JSON.parse(row.before_state).version + 1);
  });

  it('shows administrators the log filtered by action and actor, newest first', async () => {
    const app = createApp(ctx.dataSource);
    const admin = await signIn(app, ctx.dataSource);
    const other = await signIn(app, ctx.dataSource, { role: 'regulator' });
    const page = (await admin.get('/admin/audit?action=session.signed_in').expect(200)).text;
    const table = page.slice(page.indexOf('data-testid="audit-events"'));
    expect(table.indexOf(`>${other.name}（监管）</a>`)).to.be.greaterThan(-1);
    expect(table.indexOf(`>${other.name}（监管）</a>`)).to.be.lessThan(table.indexOf(`>${admin.name}（管理员）</a>`));
    expect(table).not.to.include('创建用户');
    const byActor = (await admin.get(`/admin/audit?actor=${other.name}`).expect(200)).text;
    expect(byActor).to.include('共 1 条记录');
    await admin.get('/admin/audit?from=2026-13-01').expect(400);
  });

  it('names who acted in words: a user with role and carrier, the command line by its user, the server itself', async () => {
    const app = createApp(ctx.dataSource);
    const admin = await signIn(app, ctx.dataSource);
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const staff = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CMCC' });
    await setPassword(ctx.dataSource, staff.name, 'a brand new password', 'cli:root');
    await recordAudit(ctx.dataSource, { actor: 'system', action: 'audit.succeeded', subject: 'audit_run:1' });
    const page = (await admin.get('/admin/audit').expect(200)).text;
    expect(page).to.include(`>${staff.name}（运营商，中国移动）</a>`);
    expect(page).to.include('>命令行（系统用户 root）</a>');
    expect(page).to.include('>系统（服务器自动执行）</a>');
    expect(page).not.to.match(/>cli:root</);
  });

  it('shows only the fields a change touched, and cuts a long value with the whole of it one click away', async () => {
    const app = createApp(ctx.dataSource);
    const admin = await signIn(app, ctx.dataSource);
    const other = await signIn(app, ctx.dataSource, { role: 'regulator' });
    const user = await ctx.dataSource.getRepository(User).findOneByOrFail({ name: other.name });
    await admin
      .post(`/admin/users/${user.id}`)
      .type('form')
      .send({ role: 'regulator', carrier: '', disabled: 'on', version: String(user.version) })
      .expect(303);
    const long = '很长的说明'.repeat(40);
    await recordAudit(ctx.dataSource, {
      actor: admin.name,
      action: 'reference.updated',
      subject: 'url-lists:evil.example.com',
      before: { domain: 'evil.example.com', note: 'short', version: 1 },
      after: { domain: 'evil.example.com', note: long, version: 2 },
    });
    const page = (await admin.get('/admin/audit').expect(200)).text;
    const changes = [...page.matchAll(/<table class="changes"[\s\S]*?<\/table>/g)].map((m) => m[0]);
    const fields = (html: string) => [...html.matchAll(/<th scope="row" title="(\w+)">/g)].map((m) => m[1]);
    const disabled = changes.find((html) => html.includes('title="disabled"'))!;
    expect(fields(disabled)).to.deep.equal(['disabled', 'version']);
    expect(disabled).to.include('<th scope="row" title="disabled">已停用</th>');
    expect(disabled).to.match(/<code>否<\/code><\/td>\s*<td><code>是<\/code>/);
    const note = changes.find((html) => html.includes('title="note"'))!;
    expect(fields(note)).to.deep.equal(['note', 'version']);
    expect(note).to.include(`<summary><code>${'很长的说明'.repeat(16)}…</code></summary><code>${long}</code>`);
  });

  it('is for administrators only', async () => {
    const app = createApp(ctx.dataSource);
    await (await signIn(app, ctx.dataSource, { role: 'regulator' })).get('/admin/audit').expect(403);
    await request(app).get('/admin/audit').expect(303);
  });
});
