import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { ImportRun } from '../../server/entities/index.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { signIn, waitForRun, type Client } from '../support/session.ts';

const CARRIERS = 'code,name\nCMCC,中国移动\n';

/** A multipart body with the given parts in order, as a browser sends a form. */
function multipart(parts: Array<{ name: string; value: string; filename?: string }>): { type: string; body: Buffer } {
  const boundary = 'sms106-csrf';
  const chunks = parts.map(({ name, value, filename }) => {
    const disposition = `form-data; name="${name}"${filename === undefined ? '' : `; filename="${filename}"`}`;
    return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${filename === undefined ? '' : 'Content-Type: text/csv\r\n'}\r\n${value}\r\n`;
  });
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`),
  };
}

describeEachDatabase('CSRF tokens', (ctx) => {
  let admin: Client;
  beforeEach(async () => {
    admin = await signIn(createApp(ctx.dataSource, { databaseUrl: ctx.database.url }), ctx.dataSource);
  });
  const runs = () => ctx.dataSource.getRepository(ImportRun).count();

  it('refuses a sign-out whose token is only in the address, and the session stays', async () => {
    const response = await admin.agent.post(`/logout?_csrf=${encodeURIComponent(admin.csrfToken)}`).expect(403);
    expect(response.text).to.include('表单已过期或来源不明');
    await admin.get('/').expect(200);
  });

  it('refuses an upload whose token is only in the address, storing nothing', async () => {
    await admin.agent
      .post(`/imports?_csrf=${encodeURIComponent(admin.csrfToken)}`)
      .attach('files', Buffer.from(CARRIERS), 'carriers.csv')
      .expect(403);
    expect(await runs()).to.equal(0);
  });

  it('renders the upload form with no token in its address and the token as its first field', async () => {
    const page = (await admin.get('/imports').expect(200)).text;
    const form = /<form method="post" action="([^"]*)" enctype="multipart\/form-data"[^>]*>([\s\S]*?)<\/form>/.exec(
      page,
    );
    expect(form, 'the upload form').to.not.equal(null);
    expect(form![1]).to.equal('/imports');
    expect(page).not.to.match(/action="[^"]*csrf/i);
    expect(
      form![2].trim().startsWith(`<input type="hidden" name="_csrf" value="${admin.csrfToken}">`),
      form![2],
    ).to.equal(true);
  });

  it("takes an upload whose token is the form's first field, as a browser sends it", async () => {
    const { type, body } = multipart([
      { name: '_csrf', value: admin.csrfToken },
      { name: 'files', value: CARRIERS, filename: 'carriers.csv' },
    ]);
    const response = await admin.agent.post('/imports').set('Content-Type', type).send(body).expect(303);
    expect(await waitForRun(admin, response.headers.location)).to.include('已完成');
  });

  it('refuses an upload whose token field is wrong, or comes after a file, storing nothing', async () => {
    const wrong = multipart([
      { name: '_csrf', value: `${admin.csrfToken}x` },
      { name: 'files', value: CARRIERS, filename: 'carriers.csv' },
    ]);
    await admin.agent.post('/imports').set('Content-Type', wrong.type).send(wrong.body).expect(403);
    const late = multipart([
      { name: 'files', value: CARRIERS, filename: 'carriers.csv' },
      { name: '_csrf', value: admin.csrfToken },
    ]);
    await admin.agent.post('/imports').set('Content-Type', late.type).send(late.body).expect(403);
    const none = multipart([{ name: 'files', value: CARRIERS, filename: 'carriers.csv' }]);
    await admin.agent.post('/imports').set('Content-Type', none.type).send(none.body).expect(403);
    expect(await runs()).to.equal(0);
  });

  it('does not let a multipart body stand in for the token on a form that is not an upload', async () => {
    const { type, body } = multipart([{ name: '_csrf', value: admin.csrfToken }]);
    await admin.agent.post('/audits').set('Content-Type', type).send(body).expect(403);
  });
});
