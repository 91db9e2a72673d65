import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { AuditEvent, SignInAttempt, User } from '../../server/entities/index.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { MAX_FAILED_LOGINS, MAX_FAILURES_PER_IP, setPassword } from '../../server/services/accounts/accounts.ts';
import { createDemoUsers } from '../../server/services/accounts/demoUsers.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csrfFromPage, signIn, TEST_PASSWORD } from '../support/session.ts';
import { networkAddress } from '../support/network.ts';

describeEachDatabase('sign-in and the defences around it', (ctx) => {
  const app = () => createApp(ctx.dataSource);

  /** Posts the login form as a browser would: token from the form, cookie kept by the agent. */
  async function tryLogin(agent: ReturnType<typeof request.agent>, name: string, password: string) {
    const form = await agent.get('/login').expect(200);
    return agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFromPage(form.text), name, password });
  }

  it('sends a visitor who is not signed in to the login page, keeping where they were going', async () => {
    const response = await request(app()).get('/agents?q=上海').expect(303);
    expect(response.headers.location).to.equal(
      `/login?next=${encodeURIComponent(`/agents?q=${encodeURIComponent('上海')}`)}`,
    );
  });

  it('answers an API call without a session with 401 and no data', async () => {
    const response = await request(app())
      .get('/api/lookup?number=10690123450188')
      .set('Accept', 'application/json')
      .expect(401);
    expect(response.body).to.deep.equal({ error: '请先登录' });
  });

  it('signs in with the right password and out again, after which the session no longer works', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const page = await client.get('/').expect(200);
    expect(page.text).to.include(`${client.name}（管理员）`);
    await client.post('/logout').expect(303);
    await client.get('/').expect(303);
  });

  it('points the sign-in page to the console for the demo passwords until a demo user signs in, never showing one', async () => {
    const hint = async () =>
      /data-testid="demo-hint">([^<]*)</.exec((await request(app()).get('/login').expect(200)).text);
    expect(await hint()).to.equal(null);
    const demo = await createDemoUsers(ctx.dataSource, 'test');
    // No carrier CMCC in an empty store: no cmcc user.
    expect(demo.map((user) => user.name)).to.deep.equal(['admin', 'regulator']);
    expect((await hint())?.[1])
      .to.include('演示用户 admin、regulator 的密码')
      .and.include('npx sms106 user passwd');
    const page = (await request(app()).get('/login').expect(200)).text;
    for (const user of demo) expect(page).not.to.include(user.password);
    await signIn(app(), ctx.dataSource);
    expect(await hint(), 'after another user signed in').not.to.equal(null);
    const regulator = request.agent(app());
    expect((await tryLogin(regulator, 'regulator', demo[1].password)).status).to.equal(303);
    expect(await hint(), 'after a demo user signed in').to.equal(null);
  });

  it('refuses a wrong password without saying whether the name exists', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const wrong = await tryLogin(request.agent(app()), client.name, 'not the password');
    const unknown = await tryLogin(request.agent(app()), 'nobody-here', 'not the password');
    expect([wrong.status, unknown.status]).to.deep.equal([401, 401]);
    expect(wrong.text).to.include('用户名或密码错误');
    expect(unknown.text).to.include('用户名或密码错误');
  });

  it(`locks an account after ${MAX_FAILED_LOGINS} wrong passwords in a row, even against the right one`, async () => {
    const client = await signIn(app(), ctx.dataSource);
    const agent = request.agent(app());
    for (let i = 1; i < MAX_FAILED_LOGINS; i++)
      expect((await tryLogin(agent, client.name, `wrong ${i}`)).status).to.equal(401);
    const locked = await tryLogin(agent, client.name, 'wrong again');
    expect(locked.status).to.equal(429);
    expect(locked.text).to.include('该账号因多次密码错误已被锁定');
    expect((await tryLogin(agent, client.name, TEST_PASSWORD)).status).to.equal(429);
  });

  /** `count` login forms fetched first, then all posted at once: a burst as an attacker fires it. */
  async function burst(attempts: Array<{ name: string; password: string }>) {
    const ready = await Promise.all(
      attempts.map(async (attempt) => {
        const agent = request.agent(app());
        const form = await agent.get('/login').expect(200);
        return { agent, token: csrfFromPage(form.text), ...attempt };
      }),
    );
    return Promise.all(
      ready.map(({ agent, token, name, password }) =>
        agent.post('/login').type('form').send({ _csrf: token, name, password }),
      ),
    );
  }

  it(`checks at most ${MAX_FAILED_LOGINS} passwords of a burst of 30 against one account, then keeps it locked`, async () => {
    const client = await signIn(app(), ctx.dataSource);
    const responses = await burst(
      Array.from({ length: 30 }, (_, i) => ({ name: client.name, password: `wrong ${i}` })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).to.be.at.most(MAX_FAILED_LOGINS - 1);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).to.equal(true);
    expect(await ctx.dataSource.getRepository(AuditEvent).countBy({ action: 'session.sign_in_failed' })).to.be.at.most(
      MAX_FAILED_LOGINS,
    );
    expect((await tryLogin(request.agent(app()), client.name, TEST_PASSWORD)).status).to.equal(429);
  });

  it(`refuses an address after ${MAX_FAILURES_PER_IP} failures even in a parallel burst over many names, in every server instance`, async () => {
    const client = await signIn(app(), ctx.dataSource);
    const responses = await burst(Array.from({ length: 40 }, (_, i) => ({ name: `nobody${i}`, password: 'wrong' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).to.be.at.most(MAX_FAILURES_PER_IP);
    expect(statuses.filter((s) => s === 429).length).to.be.at.least(40 - MAX_FAILURES_PER_IP);
    // A fresh app (another process, or a restart) sees the same count: it lives in the store.
    const again = await tryLogin(request.agent(createApp(ctx.dataSource)), client.name, TEST_PASSWORD);
    expect(again.status).to.equal(429);
    expect(again.text).to.include('此地址登录失败次数过多');
  });

  describe('behind a proxy (TRUST_PROXY)', () => {
    /** Serves a fresh app on every interface, for a client that connects from this machine's own network address. */
    async function servedOnAllInterfaces(trustProxy: string): Promise<{ server: Server; port: number }> {
      const app = createApp(ctx.dataSource, { config: loadConfig({ TRUST_PROXY: trustProxy }) });
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '0.0.0.0', () => resolve(s));
      });
      return { server, port: (server.address() as AddressInfo).port };
    }

    it('refuses a hop count, which would trust X-Forwarded-For from any client', () => {
      for (const value of ['1', '2', 'true', 'loopback,1', 'not-an-address']) {
        expect(() => loadConfig({ TRUST_PROXY: value }), value).to.throw(ConfigError, 'TRUST_PROXY');
      }
    });

    it("counts a direct client by its own address however it rotates X-Forwarded-For, and a proxy's client by the header", async () => {
      const { server, port } = await servedOnAllInterfaces('loopback');
      try {
        const direct = request.agent(`http://${networkAddress()}:${port}`);
        const statuses: number[] = [];
        for (let i = 0; i <= MAX_FAILURES_PER_IP; i++) {
          const form = await direct.get('/login').expect(200);
          const answer = await direct
            .post('/login')
            .set('X-Forwarded-For', `203.0.113.${i}`)
            .type('form')
            .send({ _csrf: csrfFromPage(form.text), name: `nobody${i}`, password: 'wrong' });
          statuses.push(answer.status);
        }
        expect(statuses.slice(0, MAX_FAILURES_PER_IP).every((status) => status === 401)).to.equal(true);
        expect(statuses.at(-1)).to.equal(429);
        // Through the proxy (a loopback connection) the header names the client.
        const proxied = request.agent(`http://127.0.0.1:${port}`);
        const form = await proxied.get('/login').expect(200);
        await proxied
          .post('/login')
          .set('X-Forwarded-For', '198.51.100.7')
          .type('form')
          .send({ _csrf: csrfFromPage(form.text), name: 'someone', password: 'wrong' })
          .expect(401);
        const addresses = (await ctx.dataSource.getRepository(SignInAttempt).find()).map((attempt) => attempt.ip);
        expect(new Set(addresses)).to.deep.equal(new Set([networkAddress(), '198.51.100.7']));
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  it('answers an unknown name exactly as a known one through the lock', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const answers = async (name: string) => {
      const agent = request.agent(app());
      const out: number[] = [];
      for (let i = 0; i <= MAX_FAILED_LOGINS; i++) out.push((await tryLogin(agent, name, `wrong ${i}`)).status);
      return out;
    };
    expect(await answers('nobody-here')).to.deep.equal(await answers(client.name));
  });

  it("tells a switched-off account so, with its own status, and setting a password ends the user's sessions", async () => {
    const client = await signIn(app(), ctx.dataSource);
    await setPassword(ctx.dataSource, client.name, 'a brand new password', 'test');
    await client.get('/').expect(303);
    const user = await ctx.dataSource.getRepository(User).findOneByOrFail({ name: client.name });
    await ctx.dataSource.getRepository(User).update(user.id, { disabledAt: new Date() });
    const disabled = await tryLogin(request.agent(app()), client.name, 'a brand new password');
    expect(disabled.status).to.equal(403);
    expect(disabled.text).to.include('该账号已被管理员停用');
  });

  it('refuses a state-changing request without the CSRF token, or with a wrong one', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const missing = await client.agent
      .post('/imports')
      .attach('files', Buffer.from('code,name\n'), 'carriers.csv')
      .expect(403);
    expect(missing.text).to.include('表单已过期或来源不明');
    await client.agent.post('/logout?_csrf=forged').expect(403);
    await client.agent
      .post('/logout')
      .type('form')
      .send({ _csrf: `${client.csrfToken}x` })
      .expect(403);
    await client.get('/').expect(200);
  });

  it('refuses a login form posted without its token', async () => {
    const client = await signIn(app(), ctx.dataSource);
    await request(app()).post('/login').type('form').send({ name: client.name, password: TEST_PASSWORD }).expect(403);
  });

  it('keeps a session across a server restart: sessions live in the database', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const cookie = (await client.get('/').expect(200)).request.cookies;
    const restarted = createApp(ctx.dataSource);
    await request(restarted).get('/').set('Cookie', cookie).expect(200);
  });

  it('never sends the user to another site after sign-in', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const agent = request.agent(app());
    const form = await agent.get('/login?next=//evil.example/').expect(200);
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFromPage(form.text), name: client.name, password: TEST_PASSWORD, next: '//evil.example/' })
      .expect(303);
    expect(response.headers.location).to.equal('/');
  });

  it('sets a strict Content-Security-Policy and HttpOnly, SameSite=Lax session cookies', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const page = await client.get('/').expect(200);
    expect(page.headers['content-security-policy']).to.include("script-src 'self'");
    expect(page.headers['content-security-policy']).to.include("frame-ancestors 'none'");
    const agent = request.agent(app());
    const form = await agent.get('/login');
    const login = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFromPage(form.text), name: client.name, password: TEST_PASSWORD })
      .expect(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).to.match(/sid=[^;]+;.*HttpOnly/);
    expect(cookie).to.include('SameSite=Lax');
  });
});
