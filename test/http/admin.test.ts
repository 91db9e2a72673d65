import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, LegalInstrument, ProtectedSender, User, UserSession } from '../../server/entities/index.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { csrfFromPage, signIn, TEST_PASSWORD, type Client } from '../support/session.ts';

/** The version an edit page's form carries. */
function formVersion(html: string): string {
  const match = /name="version" value="(\d+)"/.exec(html);
  if (!match) throw new Error('no version on the page');
  return match[1];
}

describeEachDatabase('administration pages', (ctx) => {
  let admin: Client;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
  });

  describe('reference data', () => {
    it('the legal instruments of docs/domain.md#the-notice are there from the start, in order', async () => {
      const page = (await admin.get('/admin/reference/legal-instruments').expect(200)).text;
      const titles = [
        '《中华人民共和国反电信网络诈骗法》',
        '（工业和信息化部令第31号）',
        '（工业和信息化部令第28号）',
        '《中华人民共和国电信条例》',
        '第二百八十七条之二',
      ];
      const positions = titles.map((title) => page.indexOf(title));
      expect(
        positions.every((p) => p > 0),
        `all five listed: ${positions}`,
      ).to.equal(true);
      expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
    });

    it('adds a protected sender with aliases, shows it, and records the change in the audit log', async () => {
      await admin
        .post('/admin/reference/protected-senders')
        .type('form')
        .send({ name: '杭州市公安局交通管理局', uscc: '', aliases: '杭州交警\n杭州市交管局 | 杭州交警' })
        .expect(303)
        .expect('location', '/admin/reference/protected-senders?done=created');
      const row = await ctx.dataSource
        .getRepository(ProtectedSender)
        .findOneByOrFail({ name: '杭州市公安局交通管理局' });
      expect([row.aliases, row.uscc, row.version]).to.deep.equal([['杭州交警', '杭州市交管局'], null, 1]);
      const event = await ctx.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'reference.created' });
      expect([event.actor, event.subject]).to.deep.equal([admin.name, 'protected-senders:杭州市公安局交通管理局']);
      expect(event.after).to.include({ name: '杭州市公安局交通管理局', version: 1 });
    });

    it('refuses a bad domain and a duplicate with a message naming the field, keeping what was typed', async () => {
      const bad = await admin
        .post('/admin/reference/url-lists')
        .type('form')
        .send({ domain: 'not a domain', list: 'block', note: '备注X' })
        .expect(400);
      expect(bad.text).to.include('以下字段有误：域名');
      expect(bad.text).to.include('value="备注X"');
      await admin
        .post('/admin/reference/url-lists')
        .type('form')
        .send({ domain: 'Evil.Example.COM', list: 'block', note: '' })
        .expect(303);
      const again = await admin
        .post('/admin/reference/url-lists')
        .type('form')
        .send({ domain: 'evil.example.com', list: 'allow', note: '' })
        .expect(409);
      expect(again.text).to.include('“evil.example.com” 已存在');
    });

    it('an edit made from an older version is refused with a message, not written over the newer one', async () => {
      const id = (await ctx.dataSource.getRepository(LegalInstrument).findOneByOrFail({ position: 1 })).id;
      const formA = (await admin.get(`/admin/reference/legal-instruments/${id}`).expect(200)).text;
      const formB = (await admin.get(`/admin/reference/legal-instruments/${id}`).expect(200)).text;
      const title = '《中华人民共和国反电信网络诈骗法》';
      await admin
        .post(`/admin/reference/legal-instruments/${id}`)
        .type('form')
        .send({ version: formVersion(formA), title, articles: '第二十一条 电信业务经营者…', position: '1' })
        .expect(303);
      const stale = await admin
        .post(`/admin/reference/legal-instruments/${id}`)
        .type('form')
        .send({ version: formVersion(formB), title, articles: '过时的内容', position: '1' })
        .expect(409);
      expect(stale.text).to.include('此记录在您打开表单后已被他人修改（当前版本 2）');
      expect(formVersion(stale.text)).to.equal('2');
      const row = await ctx.dataSource.getRepository(LegalInstrument).findOneByOrFail({ id });
      expect([row.articles, row.version]).to.deep.equal(['第二十一条 电信业务经营者…', 2]);
      const updates = await ctx.dataSource.getRepository(AuditEvent).findBy({ action: 'reference.updated' });
      expect(updates).to.have.length(1);
      expect([updates[0].before?.articles, updates[0].after?.articles]).to.deep.equal([
        null,
        '第二十一条 电信业务经营者…',
      ]);
    });

    it('deletes a row only from its current version, and logs it', async () => {
      const sender = await ctx.dataSource
        .getRepository(ProtectedSender)
        .save({ name: '国家税务总局', uscc: null, aliases: [] });
      await admin
        .post(`/admin/reference/protected-senders/${sender.id}/delete`)
        .type('form')
        .send({ version: '7' })
        .expect(409);
      await admin
        .post(`/admin/reference/protected-senders/${sender.id}/delete`)
        .type('form')
        .send({ version: String(sender.version) })
        .expect(303);
      expect(await ctx.dataSource.getRepository(ProtectedSender).existsBy({ id: sender.id })).to.equal(false);
      expect(await ctx.dataSource.getRepository(AuditEvent).countBy({ action: 'reference.deleted' })).to.equal(1);
    });

    it('an import that changes a protected sender bumps its version, one that changes nothing does not', async () => {
      const importSenders = async (aliases: string) => {
        const dir = await writeDataset({
          'protected_senders.csv': `name,uscc,aliases\n深圳市公安局交通管理局,,${aliases}\n`,
        });
        await importDataset(ctx.dataSource, await openDataset(dir));
        return (await ctx.dataSource.getRepository(ProtectedSender).findOneByOrFail({ name: '深圳市公安局交通管理局' }))
          .version;
      };
      expect(await importSenders('深圳交警')).to.equal(1);
      expect(await importSenders('深圳交警')).to.equal(1);
      expect(await importSenders('深圳交警|深圳市交警支队')).to.equal(2);
    });

    it('an unknown table is 404 and a regulator may not edit', async () => {
      await admin.get('/admin/reference/carriers').expect(404);
      const regulator = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'regulator' });
      await regulator
        .post('/admin/reference/url-lists')
        .type('form')
        .send({ domain: 'x.cn', list: 'allow' })
        .expect(403);
    });
  });

  describe('users', () => {
    it('creates a carrier user bound to its carrier, who can then sign in', async () => {
      await admin
        .post('/admin/users')
        .type('form')
        .send({
          name: 'zhang.san',
          role: 'carrier',
          carrier: 'CUCC',
          password: TEST_PASSWORD,
          password_again: TEST_PASSWORD,
        })
        .expect(303);
      const user = await ctx.dataSource
        .getRepository(User)
        .findOneOrFail({ where: { name: 'zhang.san' }, relations: { carrier: true } });
      expect([user.role, user.carrier?.code]).to.deep.equal(['carrier', 'CUCC']);
      const agent = request.agent(createApp(ctx.dataSource));
      const form = await agent.get('/login');
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFromPage(form.text), name: 'zhang.san', password: TEST_PASSWORD })
        .expect(303)
        .expect('location', '/');
    });

    it('refuses mismatched passwords and a carrier user without a carrier, with messages', async () => {
      const differ = await admin
        .post('/admin/users')
        .type('form')
        .send({
          name: 'li.si',
          role: 'regulator',
          carrier: '',
          password: TEST_PASSWORD,
          password_again: 'something else entirely',
        })
        .expect(400);
      expect(differ.text).to.include('两次输入的密码不一致');
      const noCarrier = await admin
        .post('/admin/users')
        .type('form')
        .send({ name: 'li.si', role: 'carrier', carrier: '', password: TEST_PASSWORD, password_again: TEST_PASSWORD })
        .expect(400);
      expect(noCarrier.text).to.include('运营商角色必须指定所属运营商');
      expect(await ctx.dataSource.getRepository(User).existsBy({ name: 'li.si' })).to.equal(false);
    });

    it('switching an account off ends its sessions and refuses its sign-in; the change is audited', async () => {
      const app = createApp(ctx.dataSource);
      const regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
      const user = await ctx.dataSource.getRepository(User).findOneByOrFail({ name: regulator.name });
      await admin
        .post(`/admin/users/${user.id}`)
        .type('form')
        .send({ role: 'regulator', carrier: '', disabled: 'on', version: String(user.version) })
        .expect(303);
      await regulator.get('/').expect(303).expect('location', '/login?next=%2F');
      expect(await ctx.dataSource.getRepository(UserSession).countBy({ userId: user.id })).to.equal(0);
      const agent = request.agent(app);
      const form = await agent.get('/login');
      const refused = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFromPage(form.text), name: regulator.name, password: TEST_PASSWORD });
      expect(refused.text).to.include('该账号已被管理员停用');
      const event = await ctx.dataSource.getRepository(AuditEvent).findOneByOrFail({ action: 'user.updated' });
      expect([event.before?.disabled, event.after?.disabled]).to.deep.equal([false, true]);
    });

    it('a stale user form is refused and the newer change stays', async () => {
      const other = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'regulator' });
      const user = await ctx.dataSource.getRepository(User).findOneByOrFail({ name: other.name });
      const version = String(user.version);
      await admin
        .post(`/admin/users/${user.id}`)
        .type('form')
        .send({ role: 'carrier', carrier: 'CMCC', version })
        .expect(303);
      const stale = await admin
        .post(`/admin/users/${user.id}`)
        .type('form')
        .send({ role: 'admin', carrier: '', version })
        .expect(409);
      expect(stale.text).to.include('此用户在您打开表单后已被他人修改');
      expect((await ctx.dataSource.getRepository(User).findOneByOrFail({ id: user.id })).role).to.equal('carrier');
    });

    it('an administrator cannot switch themselves off or drop their own role', async () => {
      const self = await ctx.dataSource.getRepository(User).findOneByOrFail({ name: admin.name });
      const page = await admin
        .post(`/admin/users/${self.id}`)
        .type('form')
        .send({ role: 'regulator', carrier: '', version: String(self.version) })
        .expect(400);
      expect(page.text).to.include('不能取消自己的管理员角色或停用自己的账号');
      expect((await ctx.dataSource.getRepository(User).findOneByOrFail({ id: self.id })).role).to.equal('admin');
    });

    it('sets a new password from the edit page', async () => {
      const other = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'regulator' });
      const user = await ctx.dataSource.getRepository(User).findOneByOrFail({ name: other.name });
      const page = await admin
        .post(`/admin/users/${user.id}/password`)
        .type('form')
        .send({ password: 'short', password_again: 'short' })
        .expect(400);
      expect(page.text).to.include('密码至少 10 个字符');
      await admin
        .post(`/admin/users/${user.id}/password`)
        .type('form')
        .send({ password: 'a new long password', password_again: 'a new long password' })
        .expect(303);
      const agent = request.agent(createApp(ctx.dataSource));
      const form = await agent.get('/login');
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFromPage(form.text), name: other.name, password: 'a new long password' })
        .expect(303)
        .expect('location', '/');
    });
  });
});
