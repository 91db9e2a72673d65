import { expect } from 'chai';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditRun, Carrier, Finding, ImportRun, Issuer, Message, User } from '../../server/entities/index.ts';
import { ROUTES } from '../../server/routes/index.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { issueNotice } from '../../server/services/notices/notices.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A2, E_GOV, E_LOGI, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, uploadDataset, type Client } from '../support/session.ts';

/**
 * What a step of the walk expects: a status and, for a page that answers, that none of the other
 * carrier's names or ids shows. `shows` names what a page may show of it and why.
 */
interface Step {
  route: string;
  url: string;
  status: number;
  shows?: string;
}

/** The other carrier's ids, made in the store before the walk. */
interface Theirs {
  findingId: number;
  noticeId: number;
  noticeNumber: string;
  verificationCode: string;
  messageId: number;
  importRunId: number;
  auditRunId: number;
  userId: number;
}

const AT = 'at=2022-03-14T09:30';

/** Every GET route, as a CUCC user, pointed at CMCC's ids wherever the route takes one. */
function walk(theirs: Theirs): Step[] {
  const clean = (route: string, url = route): Step => ({ route, url, status: 200 });
  const notFound = (route: string, url: string): Step => ({ route, url, status: 404 });
  const forbidden = (route: string, url = route): Step => ({ route, url, status: 403 });
  return [
    { route: '/login', url: '/login', status: 303 },
    clean('/'),
    forbidden('/admin/audit'),
    forbidden('/admin/users'),
    forbidden('/admin/users/:id', `/admin/users/${theirs.userId}`),
    forbidden('/admin/reference'),
    forbidden('/admin/reference/:table', '/admin/reference/url-lists'),
    forbidden('/admin/reference/:table/:id', '/admin/reference/url-lists/1'),
    clean('/audits'),
    // Every role sees every run; a carrier's staff see it counted for their carrier only.
    clean('/audits/:id', `/audits/${theirs.auditRunId}`),
    clean('/findings'),
    clean('/findings', `/findings?agent=${A1}`),
    // A name typed into the agent filter finds nothing of CMCC's, and shows none of its names.
    clean('/findings', `/findings?agent=${encodeURIComponent('北京一级')}`),
    { route: '/findings', url: `/findings?similar=${theirs.findingId}`, status: 400 },
    { route: '/findings', url: '/findings?carrier=CMCC', status: 400 },
    notFound('/findings/:id', `/findings/${theirs.findingId}`),
    clean('/risk'),
    clean('/verify'),
    {
      route: '/verify/:code',
      url: `/verify/${theirs.verificationCode}`,
      status: 200,
      shows: 'the public check of a notice, for anyone holding its code',
    },
    notFound('/agents/:uscc/notices/new', `/agents/${A1}/notices/new`),
    notFound('/agents/:uscc/notices/new', `/agents/${A1}/notices/new?finding=${theirs.findingId}`),
    clean('/notices'),
    clean('/notices', `/notices?agent=${A1}`),
    { route: '/notices', url: '/notices?carrier=CMCC', status: 400 },
    notFound('/notices/:id', `/notices/${theirs.noticeId}`),
    notFound('/notices/:id/print', `/notices/${theirs.noticeId}/print`),
    notFound('/notices/:id/pdf', `/notices/${theirs.noticeId}/pdf`),
    clean('/messages'),
    clean('/messages', '/messages?sender=1069'),
    clean('/messages', '/messages?flagged=1'),
    notFound('/messages/:id', `/messages/${theirs.messageId}`),
    clean('/lookup', `/lookup?number=10690123450188&${AT}`),
    clean('/api/lookup', `/api/lookup?number=10690123450188&${AT}`),
    clean('/api/lookup', `/api/lookup?number=106901234502&${AT}`),
    clean('/imports'),
    notFound('/imports/:id', `/imports/${theirs.importRunId}`),
    {
      route: '/docs/dataset-format',
      url: '/docs/dataset-format',
      status: 200,
      shows: "the format's examples (CMCC as a sample code)",
    },
    clean('/carriers'),
    notFound('/carriers/:code', '/carriers/CMCC'),
    clean('/tree'),
    clean('/tree', `/tree?q=10690123450188&date=2022-03-14`),
    clean('/tree', `/tree?q=${A1}`),
    notFound('/tree', '/tree?carrier=CMCC'),
    clean('/tree/export.csv'),
    notFound('/tree/export.csv', '/tree/export.csv?carrier=CMCC'),
    notFound('/tree/export.svg', '/tree/export.svg?carrier=CMCC'),
    notFound('/tree/export.png', '/tree/export.png?carrier=CMCC'),
    forbidden('/tree/cross-carrier'),
    clean('/agents'),
    clean('/agents', '/agents?q=北京'),
    notFound('/agents/:uscc', `/agents/${A1}`),
    notFound('/agents/:uscc', `/agents/${A2}`),
    clean('/entities'),
    clean('/entities', '/entities?q=杭州'),
    notFound('/entities/:uscc', `/entities/${E_SHOP}`),
    notFound('/entities/:uscc', `/entities/${E_GOV}`),
  ];
}

/** What must not show of CMCC: its name, its agents and entities (by name and USCC), its traffic, its notice. */
function secretsOf(theirs: Theirs): string[] {
  return [
    '中国移动',
    A1,
    A2,
    E_SHOP,
    E_LOGI,
    '北京一级通信有限公司',
    '上海二级网络科技有限公司',
    '杭州某网店有限公司',
    '杭州某物流有限公司',
    '您的订单已发货',
    '违章记录',
    theirs.noticeNumber,
    theirs.verificationCode,
  ];
}

const pattern = (route: string) => new RegExp(`^${route.replace(/:[a-z]+/g, '[^/]+')}$`);

// In the small dataset CMCC's tree holds A1, A2 and every entity; CUCC's holds only A3's segment 10655.
describeEachDatabase("a CUCC user walking every GET route with CMCC's ids", (ctx) => {
  let cucc: Client;
  let theirs: Theirs;

  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const cmccId = (await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CMCC' })).id;
    await ctx.dataSource.getRepository(Issuer).save({
      code: '移动合规',
      name: '中国移动通信集团有限公司',
      carrierId: cmccId,
      signatory: '信息安全部',
      copyTo: null,
      printedBy: '办公室',
    });
    const notice = await issueNotice(
      ctx.dataSource,
      { agentUscc: A1 },
      { name: 'cmcc clerk', scope: { carrierId: cmccId }, role: 'carrier' },
    );
    const app = createApp(ctx.dataSource);
    const admin = await signIn(app, ctx.dataSource, { role: 'admin' });
    cucc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
    const cmcc = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CMCC' });
    const upload = await uploadDataset(cmcc, {
      'messages.csv':
        'id,sender,sent_at,content\nM7,106901234502,2024-01-02T08:00:00+08:00,【北京交警】您有一条违章记录\n',
    });
    theirs = {
      findingId: (await ctx.dataSource.getRepository(Finding).findOneByOrFail({ rootCarrierId: cmccId })).id,
      noticeId: notice.id,
      noticeNumber: notice.documentNumber,
      verificationCode: notice.verificationCode,
      messageId: (await ctx.dataSource.getRepository(Message).findOneByOrFail({ externalId: 'M1' })).id,
      importRunId: (
        await ctx.dataSource
          .getRepository(ImportRun)
          .findOneByOrFail({ id: Number(upload.location.split('/').pop()), carrierId: cmccId })
      ).id,
      auditRunId: (await ctx.dataSource.getRepository(AuditRun).find({ order: { id: 'ASC' }, take: 1 }))[0].id,
      userId: (await ctx.dataSource.getRepository(User).findOneByOrFail({ name: admin.name })).id,
    };
  });

  it("has a step for every GET route in ROUTES, and each step's URL is its route's", () => {
    const steps = walk(theirs);
    const routes = ROUTES.filter((route) => route.method === 'get').map((route) => route.path);
    expect(
      routes.filter((route) => !steps.some((step) => step.route === route)),
      'routes the walk misses',
    ).to.deep.equal([]);
    expect(
      steps.filter((step) => !routes.includes(step.route) || !pattern(step.route).test(step.url.split('?')[0])),
      'stray steps',
    ).to.deep.equal([]);
  });

  it("the other carrier's data really is there to leak: a regulator sees it on the pages walked", async () => {
    const regulator = await signIn(createApp(ctx.dataSource), ctx.dataSource, { role: 'regulator' });
    for (const url of [
      `/findings/${theirs.findingId}`,
      `/notices/${theirs.noticeId}`,
      `/messages/${theirs.messageId}`,
      '/carriers/CMCC',
    ]) {
      await regulator.get(url).expect(200);
    }
    expect((await regulator.get(`/findings?agent=${A1}`).expect(200)).text).to.include('北京一级通信有限公司');
    expect((await regulator.get('/notices').expect(200)).text).to.include(theirs.noticeNumber);
  });

  it('answers each step with its status and shows nothing of the other carrier', async () => {
    const secrets = secretsOf(theirs);
    const seen: string[] = [];
    const wanted: string[] = [];
    for (const step of walk(theirs)) {
      const response = await cucc.get(step.url);
      const text = response.text ?? '';
      // A filter echoes what the user typed (A1's USCC in the search box); its name still must not show.
      const leaks =
        step.shows || response.status >= 300
          ? []
          : secrets.filter((secret) => !decodeURIComponent(step.url).includes(secret) && text.includes(secret));
      seen.push(`${step.url} ${response.status} ${leaks.join(' ')}`.trim());
      wanted.push(`${step.url} ${step.status}`);
    }
    expect(seen).to.deep.equal(wanted);
  });
});
