import { expect } from 'chai';
import request from 'supertest';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { capturedLogger, ERROR } from '../support/logs.ts';

describe('a request the server cannot take', () => {
  it('answers a form body over the limit with 413 and a plain page', async () => {
    const dataSource = await openDatabase('sqlite::memory:');
    try {
      const response = await request(createApp(dataSource))
        .post('/login')
        .type('form')
        .send({ name: 'x'.repeat(200_000) })
        .expect(413);
      expect(response.text).to.include('请求无效或过大');
      expect(response.text).not.to.match(/PayloadTooLargeError|\bat .*\.js:\d+/);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('an internal error', () => {
  it("shows a plain message, never the stack trace or the driver's words", async () => {
    const dataSource = await openDatabase('sqlite::memory:');
    const { logger, lines } = capturedLogger();
    const app = createApp(dataSource, { logger });
    await dataSource.destroy();
    // The session lookup needs the database, which is gone: a 500.
    const html = await request(app).get('/').set('Cookie', 'sid=some-token').expect(500);
    expect(html.text).to.include('服务器内部错误');
    expect(html.text).not.to.match(/\bat .*\.ts:\d+|Error:|TypeORM|sqlite/i);
    const json = await request(app)
      .get('/')
      .set('Cookie', 'sid=some-token')
      .set('Accept', 'application/json')
      .expect(500);
    expect(json.body).to.deep.equal({ error: '服务器内部错误，请稍后再试；如果问题持续，请联系管理员' });
    const errors = lines.filter((line) => line.level === ERROR);
    expect(errors, 'the error is logged for the operator').to.have.length(2);
    expect(errors.map((line) => line.req?.id)).to.deep.equal([
      html.headers['x-request-id'],
      json.headers['x-request-id'],
    ]);
    expect(errors[1].err?.stack).to.match(/\bat /);
  });
});
