import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { MAX_FAILED_LOGINS } from '../../server/services/accounts.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { csrfFromPage, signIn, TEST_PASSWORD } from '../support/session.ts';

describeEachDatabase('sign-in and the defences around it', (ctx) => {
  const app = () => createApp(ctx.dataSource);

  /** Posts the login form as a browser would: token from the form, cookie kept by the agent. */
  async function tryLogin(agent: ReturnType<typeof request.agent>, name: string, password: string) {
    const form = await agent.get('/login').expect(200);
    return agent.post('/login').type('form').send({ _csrf: csrfFromPage(form.text), name, password });
  }

  it('sends a visitor who is not signed in to the login page, keeping where they were going', async () => {
    const response = await request(app()).get('/agents?q=上海').expect(303);
    expect(response.headers.location).to.equal(`/login?next=${encodeURIComponent(`/agents?q=${encodeURIComponent('上海')}`)}`);
  });

  it('answers an API call without a session with 401 and no data', async () => {
    const response = await request(app()).get('/api/lookup?number=10690123450188').set('Accept', 'application/json').expect(401);
    expect(response.body).to.deep.equal({ error: '请先登录' });
  });

  it('signs in with the right password and out again, after which the session no longer works', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const page = await client.get('/').expect(200);
    expect(page.text).to.include(`${client.name}（管理员）`);
    await client.post('/logout').expect(303);
    await client.get('/').expect(303);
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
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) expect((await tryLogin(agent, client.name, `wrong ${i}`)).status).to.equal(401);
    const locked = await tryLogin(agent, client.name, 'wrong again');
    expect(locked.status).to.equal(429);
    expect(locked.text).to.include('该账号因多次密码错误已被锁定');
    expect((await tryLogin(agent, client.name, TEST_PASSWORD)).status).to.equal(429);
  });

  it('refuses a state-changing request without the CSRF token, or with a wrong one', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const missing = await client.agent.post('/imports').attach('files', Buffer.from('code,name\n'), 'carriers.csv').expect(403);
    expect(missing.text).to.include('表单已过期或来源不明');
    await client.agent.post('/logout?_csrf=forged').expect(403);
    await client.agent.post('/logout').type('form').send({ _csrf: `${client.csrfToken}x` }).expect(403);
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
    const response = await agent.post('/login').type('form').send({ _csrf: csrfFromPage(form.text), name: client.name, password: TEST_PASSWORD, next: '//evil.example/' }).expect(303);
    expect(response.headers.location).to.equal('/');
  });

  it('sets a strict Content-Security-Policy and HttpOnly, SameSite=Lax session cookies', async () => {
    const client = await signIn(app(), ctx.dataSource);
    const page = await client.get('/').expect(200);
    expect(page.headers['content-security-policy']).to.include("script-src 'self'");
    expect(page.headers['content-security-policy']).to.include("frame-ancestors 'none'");
    const agent = request.agent(app());
    const form = await agent.get('/login');
    const login = await agent.post('/login').type('form').send({ _csrf: csrfFromPage(form.text), name: client.name, password: TEST_PASSWORD }).expect(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).to.match(/sid=[^;]+;.*HttpOnly/);
    expect(cookie).to.include('SameSite=Lax');
  });
});
