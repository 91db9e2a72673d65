import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { t } from '../../server/i18n/index.ts';
import { withLookupLane } from '../../server/lookupLane.ts';
import { createUser, startSession } from '../../server/services/accounts/accounts.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { invalidateAllocationIndex } from '../../server/services/lookup/lookup.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { capturedLogger, ERROR, type LogLine } from '../support/logs.ts';
import { A3, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';

interface Answer {
  status: number;
  /**
   * The response's header lines as sent, [name, value] in order, without Date (the clock); X-Request-Id's value is a
   * new one each time, and shown as `<id>`.
   */
  headers: Array<[string, string]>;
  requestId: string | undefined;
  body: string;
}

/** One request over a real socket, the path sent exactly as given (a `#` too). */
function send(
  server: Server,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
    const sent = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, ...length }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const lines: Array<[string, string]> = [];
          for (let i = 0; i < response.rawHeaders.length; i += 2)
            lines.push([response.rawHeaders[i], response.rawHeaders[i + 1]]);
          const headers = lines
            .filter(([name]) => name !== 'Date')
            .map(([name, value]): [string, string] => [name, name === 'X-Request-Id' ? '<id>' : value]);
          resolve({
            status: response.statusCode!,
            headers,
            requestId: response.headers['x-request-id'] as string | undefined,
            body: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

/** Header lines but those named (lower case). */
function without(headers: Array<[string, string]>, ...names: string[]): Array<[string, string]> {
  return headers.filter(([name]) => !names.includes(name.toLowerCase()));
}

describeEachDatabase('GET /api/lookup through the lookup lane', (ctx) => {
  let app: Server;
  let lane: Server;
  /** Requests the lane passed on to express. */
  let passedOn: string[];
  let admin: string;
  let cucc: string;
  /** What the app and the lane logged. */
  let logged: LogLine[];

  async function sessionCookie(role: 'admin' | 'carrier', carrierCode: string | null): Promise<string> {
    const user = await createUser(
      ctx.dataSource,
      { name: `lane-${role}-${carrierCode ?? 'all'}`, role, carrierCode, password: null },
      'test',
    );
    return `sid=${(await startSession(ctx.dataSource, user.id)).token}`;
  }

  function listen(handler: RequestListener): Promise<Server> {
    return new Promise((resolve) => {
      const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
    });
  }

  /** The same request to the express app alone and to the lane in front of it. */
  async function both(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    const viaExpress = await send(app, method, path, headers, body);
    const before = passedOn.length;
    const viaLane = await send(lane, method, path, headers, body);
    return { viaExpress, viaLane, passedOn: passedOn.length - before };
  }

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const { logger, lines } = capturedLogger();
    logged = lines;
    const express = createApp(ctx.dataSource, { logger }) as unknown as RequestListener;
    passedOn = [];
    app = await listen(express);
    lane = await listen(
      withLookupLane(
        ctx.dataSource,
        (req, res) => {
          passedOn.push(req.url ?? '');
          express(req, res);
        },
        { logger },
      ),
    );
    admin = await sessionCookie('admin', null);
    cucc = await sessionCookie('carrier', 'CUCC');
  });

  afterEach(async () => {
    for (const server of [app, lane]) await new Promise((resolve) => server.close(resolve));
  });

  it("answers a signed-in lookup itself, with the route's status, body and header lines", async () => {
    const asked: Array<[string, string]> = [
      [admin, '/api/lookup?number=10690123450188&at=2022-03-14T09:30'],
      [
        admin,
        `/api/lookup?number=${encodeURIComponent('1069 0123 4501 88')}&at=${encodeURIComponent('2022-03-14T09:30:00+08:00')}`,
      ],
      [admin, '/api/lookup?number=10690999999999&at=2022-03-14T09:30'],
      [admin, '/api/lookup?number=10690123450188&at=2022-03-14T09:30&unrelated=1'],
      [cucc, '/api/lookup?number=10690123450188&at=2022-03-14T09:30'],
      [cucc, '/api/lookup?number=1065512345678&at=2024-01-01T00:00'],
    ];
    for (const [cookie, path] of asked) {
      const { viaExpress, viaLane, passedOn: count } = await both('GET', path, { cookie });
      expect(count, path).to.equal(0);
      expect(viaLane.status, path).to.equal(200);
      expect(viaLane.body, path).to.equal(viaExpress.body);
      expect(viaLane.headers, path).to.deep.equal(viaExpress.headers);
    }
    const shop = await send(lane, 'GET', '/api/lookup?number=10690123450188&at=2022-03-14T09:30', { cookie: admin });
    expect(JSON.parse(shop.body).entity.uscc).to.equal(E_SHOP);
    expect(shop.headers).to.deep.include([
      'Content-Security-Policy',
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'",
    ]);
    const scoped = await send(lane, 'GET', '/api/lookup?number=1065512345678&at=2024-01-01T00:00', { cookie: cucc });
    expect(JSON.parse(scoped.body).chain.map((link: { lessee: string }) => link.lessee)).to.deep.equal([A3]);
  });

  it('answers a lookup at the present moment as the route does', async () => {
    const {
      viaExpress,
      viaLane,
      passedOn: count,
    } = await both('GET', '/api/lookup?number=10690123450188', { cookie: admin });
    expect(count).to.equal(0);
    const [lane, route] = [JSON.parse(viaLane.body), JSON.parse(viaExpress.body)];
    expect({ ...lane, at: null }).to.deep.equal({ ...route, at: null });
    expect(Math.abs(Date.parse(lane.at) - Date.parse(route.at))).to.be.below(60_000);
    expect(without(viaLane.headers, 'etag')).to.deep.equal(without(viaExpress.headers, 'etag'));
  });

  it('passes every other request to express, which answers it as before', async () => {
    const good = '/api/lookup?number=10690123450188&at=2022-03-14T09:30';
    const { viaLane: first } = await both('GET', good, { cookie: admin });
    const etag = first.headers.find(([name]) => name === 'ETag')![1];
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cases: Array<{
      method?: string;
      path: string;
      headers?: Record<string, string>;
      body?: string;
      status: number;
    }> = [
      { path: good, headers: { accept: 'application/json' }, status: 401 },
      { path: good, headers: { cookie: 'sid=no-such-session', accept: 'application/json' }, status: 401 },
      { path: good, headers: { cookie: 'sid=%', accept: 'application/json' }, status: 401 },
      { path: good, status: 303 },
      { path: '/api/lookup?number=12345&at=2022-03-14T09:30', headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup?number=10690123450188&at=yesterday', headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup?number=10690123450188&number=10655', headers: { cookie: admin }, status: 400 },
      { path: `/api/lookup?number=${'1'.repeat(101)}`, headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup?number=', headers: { cookie: admin }, status: 400 },
      { path: '/api/lookup', headers: { cookie: admin }, status: 400 },
      { path: `${good}&lang=en`, headers: { cookie: admin }, status: 200 },
      { path: good, headers: { cookie: admin, 'if-none-match': etag }, status: 304 },
      { path: good.replace('/api/lookup', '/api/lookup/'), headers: { cookie: admin }, status: 200 },
      { path: good.replace('/api/lookup', '/API/lookup'), headers: { cookie: admin }, status: 200 },
      // Express drops the fragment, and with it the moment: its answer is for now.
      { path: '/api/lookup?number=10690123450188&z=#&at=2022-03-14T09:30', headers: { cookie: admin }, status: 200 },
      { path: good, headers: { cookie: admin, ...form }, body: 'a=1', status: 200 },
      { path: good, headers: { cookie: admin, ...form }, body: `a=${'x'.repeat(200_000)}`, status: 413 },
      { method: 'HEAD', path: good, headers: { cookie: admin }, status: 200 },
      { method: 'POST', path: good, headers: { cookie: admin, accept: 'application/json' }, status: 403 },
    ];
    for (const { method = 'GET', path, headers = {}, body, status } of cases) {
      const { viaExpress, viaLane, passedOn: count } = await both(method, path, headers, body);
      const what = `${method} ${path.slice(0, 120)} ${JSON.stringify(headers)}`;
      expect(count, what).to.equal(1);
      expect(viaLane.status, what).to.equal(status);
      expect(viaLane.status, what).to.equal(viaExpress.status);
      expect(viaLane.body, what).to.equal(viaExpress.body);
      expect(without(viaLane.headers, 'set-cookie', 'location', 'etag'), what).to.deep.equal(
        without(viaExpress.headers, 'set-cookie', 'location', 'etag'),
      );
    }
  });

  it('logs each request once, answered by the lane or passed on to express, with its request id', async () => {
    const good = '/api/lookup?number=10690123450188&at=2022-03-14T09:30';
    const answered = await send(lane, 'GET', good, { cookie: admin, 'x-request-id': 'carrier-gw-7' });
    const refused = await send(lane, 'GET', '/api/lookup?number=12345', { cookie: admin });
    expect([answered.status, refused.status, passedOn.length]).to.deep.equal([200, 400, 1]);
    expect(answered.requestId).to.equal('carrier-gw-7');
    expect(refused.requestId).to.match(/^[0-9a-f-]{36}$/);
    expect(logged.map((line) => [line.req?.id, line.req?.method, line.req?.path, line.res?.statusCode])).to.deep.equal([
      ['carrier-gw-7', 'GET', '/api/lookup', 200],
      [refused.requestId, 'GET', '/api/lookup', 400],
    ]);
    expect(logged.every((line) => typeof line.responseTime === 'number')).to.equal(true);
  });

  it('reports a failure and lets express answer it', async () => {
    await ctx.dataSource.query('ALTER TABLE allocations RENAME TO allocations_away');
    invalidateAllocationIndex(ctx.dataSource);
    let answer: Answer;
    try {
      answer = await send(lane, 'GET', '/api/lookup?number=10690123450188', {
        cookie: admin,
        accept: 'application/json',
      });
    } finally {
      await ctx.dataSource.query('ALTER TABLE allocations_away RENAME TO allocations');
      invalidateAllocationIndex(ctx.dataSource);
    }
    expect(answer.status).to.equal(500);
    expect(JSON.parse(answer.body)).to.deep.equal({ error: t('zh-CN', 'error.internal') });
    expect(passedOn).to.have.length(1);
    const errors = logged.filter((line) => line.level === ERROR);
    expect(
      errors.map((line) => [line.msg.includes('lookup lane'), line.req?.id, line.res?.statusCode ?? null]),
    ).to.deep.equal([
      [true, answer.requestId, null],
      [false, answer.requestId, 500],
    ]);
    expect(errors.every((line) => line.err?.stack)).to.equal(true);
  });
});
