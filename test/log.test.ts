import { expect } from 'chai';
import request from 'supertest';
import { openDatabase } from '../ormconfig.ts';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { capturedLogger } from './support/logs.ts';

describe('logging', () => {
  it('reads LOG_LEVEL: info when unset, any pino level by name, and refuses anything else', () => {
    const level = (raw: string | undefined) => loadConfig({ LOG_LEVEL: raw }).logLevel;
    expect([level(undefined), level(''), level(' WARN '), level('silent')]).to.deep.equal([
      'info',
      'info',
      'warn',
      'silent',
    ]);
    expect(() => level('verbose')).to.throw(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"',
    );
  });

  it('logs a request once with method, path without the query, status, duration and the id it answers with', async () => {
    const dataSource = await openDatabase('sqlite::memory:');
    try {
      const { logger, lines } = capturedLogger();
      const app = createApp(dataSource, { logger });
      const page = await request(app).get('/login?next=%2Fnumbers%2F10690123450188').expect(200);
      const forged = await request(app)
        .get('/nowhere')
        .set('X-Request-Id', 'forged id {"level":60}')
        .set('Cookie', 'sid=secret-token');
      expect(lines.map((line) => [line.req, line.res?.statusCode, typeof line.responseTime])).to.deep.equal([
        [{ id: page.headers['x-request-id'], method: 'GET', path: '/login' }, 200, 'number'],
        [{ id: forged.headers['x-request-id'], method: 'GET', path: '/nowhere' }, forged.status, 'number'],
      ]);
      expect(forged.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(lines)).not.to.include('secret-token');
    } finally {
      await dataSource.destroy();
    }
  });
});
