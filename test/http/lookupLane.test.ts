import type { RequestListener } from 'node:http';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { t } from '../../server/i18n/index.ts';
import { withLookupLane } from '../../server/lookupLane.ts';
import { createUser, startSession } from '../../server/services/accounts.ts';
import { importDataset } from '../../server/services/importer.ts';
import { invalidateAllocationIndex } from '../../server/services/lookup.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A3, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';

/** Response headers that differ between any two responses (the clock), or that the tests name. */
function comparable(headers: Record<string, string>, drop: string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date' && !drop.includes(name)));
}

describeEachDatabase('GET /api/lookup through the lookup lane', (ctx) => {
  let app: RequestListener;
  let lane: RequestListener;
  /** Requests the lane passed on to express. */
  let passedOn: string[];
  let admin: string;
  let cucc: string;

  async function sessionCookie(role: 'admin' | 'carrier', carrierCode: string | null): Promise<string> {
    const user = await createUser(ctx.dataSource, { name: `lane-${role}-${carrierCode ?? 'all'}`, role, carrierCode, password: null }, 'test');
    return `sid=${(await startSession(ctx.dataSource, user.id)).token}`;
  }

  /** The same request to the express app alone and to the lane in front of it. */
  async function both(method: 'get' | 'head' | 'post', path: string, headers: Record<string, string> = {}) {
    const send = (handler: RequestListener) => Object.entries(headers).reduce((test, [name, value]) => test.set(name, value), request(handler)[method](path));
    const viaExpress = await send(app);
    const before = passedOn.length;
    const viaLane = await send(lane);
    return { viaExpress, viaLane, passedOn: passedOn.length - before };
  }

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    app = createApp(ctx.dataSource) as unknown as RequestListener;
    passedOn = [];
    lane = withLookupLane(ctx.dataSource, (req, res) => {
      passedOn.push(req.url ?? '');
      app(req, res);
    });
    admin = await sessionCookie('admin', null);
    cucc = await sessionCookie('carrier', 'CUCC');
  });

  it('answers a signed-in lookup itself, with the route\'s status, body and headers', async () => {
    const asked: Array<[string, string]> = [
      [admin, '/api/lookup?number=10690123450188&at=2022-03-14T09:30'],
      [admin, `/api/lookup?number=${encodeURIComponent('1069 0123 4501 88')}&at=${encodeURIComponent('2022-03-14T09:30:00+08:00')}`],
      [admin, '/api/lookup?number=10690999999999&at=2022-03-14T09:30'],
      [admin, '/api/lookup?number=10690123450188&at=2022-03-14T09:30&unrelated=1'],
      [cucc, '/api/lookup?number=10690123450188&at=2022-03-14T09:30'],
      [cucc, '/api/lookup?number=1065512345678&at=2024-01-01T00:00'],
    ];
    for (const [cookie, path] of asked) {
      const { viaExpress, viaLane, passedOn: count } = await both('get', path, { cookie });
      expect(count, path).to.equal(0);
      expect(viaLane.status, path).to.equal(200);
      expect(viaLane.text, path).to.equal(viaExpress.text);
      expect(comparable(viaLane.headers), path).to.deep.equal(comparable(viaExpress.headers));
    }
    const shop = await request(lane).get('/api/lookup?number=10690123450188&at=2022-03-14T09:30').set('cookie', admin).expect(200);
    expect(shop.body.entity.uscc).to.equal(E_SHOP);
    expect(shop.headers['content-security-policy']).to.include("frame-ancestors 'none'");
    const scoped = await request(lane).get('/api/lookup?number=1065512345678&at=2024-01-01T00:00').set('cookie', cucc).expect(200);
    expect(scoped.body.chain.map((link: { lessee: string }) => link.lessee)).to.deep.equal([A3]);
  });

  it('answers a lookup at the present moment as the route does', async () => {
    const { viaExpress, viaLane, passedOn: count } = await both('get', '/api/lookup?number=10690123450188', { cookie: admin });
    expect(count).to.equal(0);
    const withoutMoment = ({ at: _at, ...rest }: Record<string, unknown>) => rest;
    expect(withoutMoment(viaLane.body)).to.deep.equal(withoutMoment(viaExpress.body));
    expect(Math.abs(Date.parse(viaLane.body.at) - Date.parse(viaExpress.body.at))).to.be.below(60_000);
    expect(comparable(viaLane.headers, ['etag'])).to.deep.equal(comparable(viaExpress.headers, ['etag']));
  });

  it('passes every other request to express, which answers it as before', async () => {
    const good = '/api/lookup?number=10690123450188&at=2022-03-14T09:30';
    const { viaLane: first } = await both('get', good, { cookie: admin });
    const cases: Array<{ method?: 'get' | 'head' | 'post'; path: string; headers?: Record<string, string>; status: number }> = [
      { path: good, headers: { accept: 'application/json' }, status: 401 },
      { path: good, headers: { cookie: 'sid=no-such-session', accept: 'application/json' }, status: 401 },
      { path: good, status: 303 },
      { path: '/api/lookup?number=12345&at=2022-03-14T09:30', headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup?number=10690123450188&at=yesterday', headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup?number=10690123450188&number=10655', headers: { cookie: admin }, status: 400 },
      { path: `/api/lookup?number=${'1'.repeat(101)}`, headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup?number=', headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup', headers: { cookie: admin }, status: 400 },
      { path: `${good}&lang=en`, headers: { cookie: admin }, status: 200 },
      { path: good, headers: { cookie: admin, 'if-none-match': first.headers.etag }, status: 304 },
      { path: good.replace('/api/lookup', '/api/lookup/'), headers: { cookie: admin }, status: 200 },
      { method: 'head', path: good, headers: { cookie: admin }, status: 200 },
      { method: 'post', path: good, headers: { cookie: admin, accept: 'application/json' }, status: 403 },
    ];
    for (const { method = 'get', path, headers = {}, status } of cases) {
      const { viaExpress, viaLane, passedOn: count } = await both(method, path, headers);
      const what = `${method.toUpperCase()} ${path} ${JSON.stringify(headers)}`;
      expect(count, what).to.equal(1);
      expect(viaLane.status, what).to.equal(status);
      expect(viaLane.status, what).to.equal(viaExpress.status);
      expect(viaLane.text, what).to.equal(viaExpress.text);
      expect(comparable(viaLane.headers, ['set-cookie', 'location']), what).to.deep.equal(comparable(viaExpress.headers, ['set-cookie', 'location']));
    }
  });

  it('reports a failure and lets express answer it', async () => {
    const errors: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => { errors.push(args); };
    await ctx.dataSource.query('ALTER TABLE allocations RENAME TO allocations_away');
    invalidateAllocationIndex(ctx.dataSource);
    try {
      const response = await request(lane).get('/api/lookup?number=10690123450188').set('cookie', admin).set('accept', 'application/json');
      expect(response.status).to.equal(500);
      expect(response.body).to.deep.equal({ error: t('zh-CN', 'error.internal') });
    } finally {
      console.error = consoleError;
      await ctx.dataSource.query('ALTER TABLE allocations_away RENAME TO allocations');
      invalidateAllocationIndex(ctx.dataSource);
    }
    expect(passedOn).to.have.length(1);
    expect(String(errors[0]?.[0])).to.include('lookup lane');
    expect(errors).to.have.length(2);
  });
});
