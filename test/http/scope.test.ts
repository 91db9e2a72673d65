import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { ROUTES } from '../../server/routes/index.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import type { Role } from '../../server/entities/User.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A2, A3, E_GOV, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, waitForRun, type Client } from '../support/session.ts';

// In the small dataset CMCC's tree holds A1, A2 and every entity; CUCC's holds only A3's segment 10655.
describeEachDatabase('per-carrier scope', (ctx) => {
  let cucc: Client;
  let regulator: Client;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    const app = createApp(ctx.dataSource);
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
    regulator = await signIn(app, ctx.dataSource, { role: 'regulator' });
  });

  it("a carrier user who types another carrier's agent, entity or carrier address gets 404", async () => {
    await cucc.get(`/agents/${A1}`).expect(404);
    await cucc.get(`/agents/${A2}`).expect(404);
    await cucc.get(`/entities/${E_GOV}`).expect(404);
    await cucc.get('/carriers/CMCC').expect(404);
    await cucc.get(`/agents/${A3}`).expect(200);
    await cucc.get('/carriers/CUCC').expect(200);
  });

  it("lists only the carrier user's own carrier, agents and entities", async () => {
    const carriers = (await cucc.get('/carriers').expect(200)).text;
    expect(carriers).to.include('/carriers/CUCC');
    expect(carriers).not.to.include('/carriers/CMCC');
    const agents = (await cucc.get('/agents').expect(200)).text;
    expect(agents).to.include(A3);
    expect(agents).not.to.include(A1);
    const entities = (await cucc.get('/entities').expect(200)).text;
    expect(entities).not.to.include(E_SHOP);
    const dashboard = (await cucc.get('/').expect(200)).text;
    expect(dashboard).not.to.include('中国移动');
  });

  it("a lookup of another carrier's number shows nothing to a carrier user, in the page and the JSON API", async () => {
    const page = (await cucc.get('/lookup?number=10690123450188&at=2022-03-14T09:30').expect(200)).text;
    expect(page).to.include('您所属运营商的号段内没有任何有效分配覆盖号码 10690123450188');
    expect(page).not.to.include('杭州某网店有限公司');
    const json = (await cucc.get('/api/lookup?number=10690123450188&at=2022-03-14T09:30').expect(200)).body;
    expect([json.chain, json.entity]).to.deep.equal([[], null]);
    const own = (await cucc.get('/api/lookup?number=1065512345678').expect(200)).body;
    expect(own.chain.map((c: { lessee: string }) => c.lessee)).to.deep.equal([A3]);
  });

  it("a regulator sees every carrier's data", async () => {
    await regulator.get(`/agents/${A1}`).expect(200);
    await regulator.get('/carriers/CMCC').expect(200);
    const json = (await regulator.get('/api/lookup?number=10690123450188&at=2022-03-14T09:30').expect(200)).body;
    expect(json.entity.uscc).to.equal(E_SHOP);
  });

  const matrix: Array<[string, string, Record<Role | 'public', number>]> = [
    ['GET', '/', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/lookup', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/carriers', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/agents', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/entities', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/imports', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['POST', '/imports', { public: 401, admin: 400, regulator: 403, carrier: 400 }],
    ['GET', '/imports/999999', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    ['GET', '/api/lookup?number=1065512345678', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/carriers/CUCC', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', `/agents/${A1}`, { public: 303, admin: 200, regulator: 200, carrier: 404 }],
    ['GET', `/entities/${E_GOV}`, { public: 303, admin: 200, regulator: 200, carrier: 404 }],
    // The hierarchy: a carrier's staff get their own carrier's tree by default and 404 for another's.
    ['GET', '/tree', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/tree?carrier=CMCC', { public: 303, admin: 200, regulator: 200, carrier: 404 }],
    ['GET', '/tree/export.csv', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/tree/export.svg?carrier=CMCC', { public: 303, admin: 200, regulator: 200, carrier: 404 }],
    ['GET', '/tree/export.png?carrier=CMCC', { public: 303, admin: 200, regulator: 200, carrier: 404 }],
    ['GET', '/tree/cross-carrier', { public: 303, admin: 200, regulator: 200, carrier: 403 }],
    ['GET', '/admin/audit', { public: 303, admin: 200, regulator: 403, carrier: 403 }],
    ['GET', '/findings', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/findings/999999', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    // A carrier's findings workflow is its own: a regulator reads findings but does not dismiss them.
    ['POST', '/findings/999999/dismiss', { public: 401, admin: 404, regulator: 403, carrier: 404 }],
    ['POST', '/findings/999999/reopen', { public: 401, admin: 404, regulator: 403, carrier: 404 }],
    ['GET', '/risk', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/notices', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/notices/999999', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    ['GET', '/notices/999999/print', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    ['GET', '/notices/999999/pdf', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    ['POST', '/notices/999999/acknowledge', { public: 401, admin: 404, regulator: 404, carrier: 404 }],
    ['POST', '/notices/999999/rectify', { public: 401, admin: 404, regulator: 404, carrier: 404 }],
    ['GET', `/agents/${A1}/notices/new`, { public: 303, admin: 200, regulator: 200, carrier: 404 }],
    ['POST', `/agents/${A1}/notices/preview`, { public: 401, admin: 400, regulator: 400, carrier: 404 }],
    ['POST', `/agents/${A1}/notices`, { public: 401, admin: 400, regulator: 400, carrier: 404 }],
    // The verification page is public (issue "Rectification notices").
    ['GET', '/verify', { public: 200, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/verify/AAAA-BBBB-CCCC-DDDD', { public: 404, admin: 404, regulator: 404, carrier: 404 }],
    ['GET', '/messages', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/messages/999999', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    // Staff label messages; a regulator reads them but changes nothing.
    ['POST', '/messages/999999/label', { public: 401, admin: 404, regulator: 403, carrier: 404 }],
    ['GET', '/audits', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    // Every role may run the audit (its findings stay scoped); each run is followed to its end below.
    ['POST', '/audits', { public: 401, admin: 303, regulator: 303, carrier: 303 }],
    ['GET', '/audits/999999', { public: 303, admin: 404, regulator: 404, carrier: 404 }],
    ['POST', '/audits/999999/cancel', { public: 401, admin: 404, regulator: 404, carrier: 404 }],
    ['GET', '/admin/users', { public: 303, admin: 200, regulator: 403, carrier: 403 }],
    ['POST', '/admin/users', { public: 401, admin: 400, regulator: 403, carrier: 403 }],
    ['GET', '/admin/users/999999', { public: 303, admin: 404, regulator: 403, carrier: 403 }],
    ['POST', '/admin/users/999999', { public: 401, admin: 404, regulator: 403, carrier: 403 }],
    ['POST', '/admin/users/999999/password', { public: 401, admin: 404, regulator: 403, carrier: 403 }],
    ['GET', '/admin/reference', { public: 303, admin: 302, regulator: 403, carrier: 403 }],
    ['GET', '/admin/reference/url-lists', { public: 303, admin: 200, regulator: 403, carrier: 403 }],
    ['POST', '/admin/reference/url-lists', { public: 401, admin: 400, regulator: 403, carrier: 403 }],
    ['GET', '/admin/reference/url-lists/999999', { public: 303, admin: 404, regulator: 403, carrier: 403 }],
    ['POST', '/admin/reference/url-lists/999999', { public: 401, admin: 404, regulator: 403, carrier: 403 }],
    ['POST', '/admin/reference/url-lists/999999/delete', { public: 401, admin: 404, regulator: 403, carrier: 403 }],
    ['GET', '/docs/dataset-format', { public: 303, admin: 200, regulator: 200, carrier: 200 }],
    ['GET', '/login', { public: 200, admin: 303, regulator: 303, carrier: 303 }],
    // Without the login form's CSRF cookie a sign-in is refused; signed-in users get the form back.
    ['POST', '/login', { public: 403, admin: 400, regulator: 400, carrier: 400 }],
    ['GET', '/favicon.ico', { public: 204, admin: 204, regulator: 204, carrier: 204 }],
    // Last: it ends the sessions the rows above use.
    ['POST', '/logout', { public: 401, admin: 303, regulator: 303, carrier: 303 }],
  ];
  it('the matrix below visits every route the app has', () => {
    const app = createApp(ctx.dataSource) as unknown as {
      router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
    };
    const visited = matrix.map(([method, path]) => `${method} ${path.split('?')[0]}`);
    const missing = app.router.stack
      .flatMap((layer) =>
        layer.route ? Object.keys(layer.route.methods).map((m) => [m.toUpperCase(), layer.route!.path] as const) : [],
      )
      .filter(([method, pattern]) => {
        const re = new RegExp(`^${method} ${pattern.replace(/:[a-z]+/g, '[^/]+')}$`);
        return !visited.some((v) => re.test(v));
      });
    expect(missing).to.deep.equal([]);
  });

  it("expects 403 exactly where the route's declared roles leave a role out", () => {
    const declared = (method: string, path: string) =>
      ROUTES.find(
        (route) =>
          route.method === method.toLowerCase() &&
          new RegExp(`^${route.path.replace(/:[a-z]+/g, '[^/]+')}$`).test(path.split('?')[0]),
      );
    const disagreements = matrix.flatMap(([method, path, statuses]) =>
      (['admin', 'regulator', 'carrier'] as const).flatMap((role) => {
        const access = declared(method, path)?.access;
        const shut = Array.isArray(access) && !access.includes(role);
        return shut !== (statuses[role] === 403)
          ? [`${method} ${path} ${role}: declared ${JSON.stringify(access)}, matrix ${statuses[role]}`]
          : [];
      }),
    );
    expect(disagreements).to.deep.equal([]);
  });

  it('answers every route with the status each role is allowed', async () => {
    const admin = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'admin' });
    const clients: Record<Role, Client> = { admin, regulator, carrier: cucc };
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const [method, path, statuses] of matrix) {
      for (const who of ['public', 'admin', 'regulator', 'carrier'] as const) {
        const response =
          who === 'public'
            ? await (method === 'GET'
                ? request(createApp(ctx.dataSource)).get(path)
                : request(createApp(ctx.dataSource)).post(path))
            : await (method === 'GET' ? clients[who].get(path) : clients[who].post(path));
        seen.push(`${method} ${path} ${who} ${response.status}`);
        if (who !== 'public' && response.status === 303 && /^\/audits\/\d+$/.test(response.headers.location))
          await waitForRun(clients[who], response.headers.location);
        wanted.push(`${method} ${path} ${who} ${statuses[who]}`);
      }
    }
    expect(seen).to.deep.equal(wanted);
  });
});
