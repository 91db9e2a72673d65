import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { setPassword } from '../../server/services/accounts/accounts.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset } from '../support/fixtures.ts';
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
    expect(table.indexOf(`<td>${other.name}</td>`)).to.be.greaterThan(-1);
    expect(table.indexOf(`<td>${other.name}</td>`)).to.be.lessThan(table.indexOf(`<td>${admin.name}</td>`));
    expect(table).not.to.include('创建用户');
    const byActor = (await admin.get(`/admin/audit?actor=${other.name}`).expect(200)).text;
    expect(byActor).to.include('共 1 条记录');
    await admin.get('/admin/audit?from=2026-13-01').expect(400);
  });

  it('is for administrators only', async () => {
    const app = createApp(ctx.dataSource);
    await (await signIn(app, ctx.dataSource, { role: 'regulator' })).get('/admin/audit').expect(403);
    await request(app).get('/admin/audit').expect(303);
  });
});
