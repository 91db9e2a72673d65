import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { Finding, ImportRun, Message, User } from '../../server/entities/index.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { createReference } from '../../server/services/reference/referenceData.ts';
import { clearAllData, testDatabases } from '../support/databases.ts';
import { A1, E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';
import { signIn, waitForRun, type Client } from '../support/session.ts';

// Every GET route that reads its query string (server/routes/*.ts), each parameter with values it
// must refuse with 400 naming the parameter, and values it must still take.

type Values = Array<string | string[]>;
interface Kind {
  bad: Values;
  /** Values to take; a function of the seed for ids that exist only once it is made. */
  good: Values | ((seed: Seed) => Values);
}

const PAGE: Kind = {
  bad: ['-1', '0', '1.5', 'NaN', '1e3', '100000000000000000000', '1000001', ['1', '2']],
  good: ['1', '2'],
};
const DAY: Kind = {
  bad: ['0001-01-01', '1989-12-31', '2101-01-01', '2022-02-30', 'yesterday', '2023-07-01T09:30'],
  good: ['1990-01-01', '2023-07-01', '2100-12-31'],
};
const MOMENT: Kind = {
  bad: ['0001-01-01', '9999-12-31', '2101-01-01T00:00', '2022-02-30', 'noon'],
  good: ['1990-01-01', '2022-03-14T09:30', '2100-12-31 23:59'],
};
const ID: Kind = { bad: ['0', '-1', '1.5', 'abc', '9007199254740992'], good: ['1'] };
const text = (max: number, good = 'abc'): Kind => ({ bad: ['x'.repeat(max + 1), 'a\u0000b', 'a\nb'], good: [good] });
const choice = (good: string): Kind => ({ bad: ['bogus', [good, good]], good: [good] });

interface Row {
  /** The route as registered, for the test's title. */
  route: string;
  name: string;
  kind: Kind;
  /** The address with the route's own parameters filled in. */
  path: (seed: Seed) => string;
  /** What a good value answers, when not 200 (an unknown verification code is 404). */
  goodStatus?: number;
  /** The route answers JSON whatever the request accepts. */
  json?: boolean;
  /** Good values are not tried (the PNG export needs Chromium; bad ones are refused before it). */
  badOnly?: boolean;
  anonymous?: boolean;
}

interface Seed {
  userId: number;
  messageId: number;
  importRunId: number;
  /** A finding of A1's. */
  findingId: number;
}

const fixed = (path: string) => () => path;

const ROWS: Row[] = [
  { route: '/', name: 'lang', kind: { bad: ['fr', ['en', 'en']], good: ['en', 'zh-CN'] }, path: fixed('/') },
  { route: '/login', name: 'next', kind: text(4000, '/findings'), path: fixed('/login'), anonymous: true },
  { route: '/admin/audit', name: 'action', kind: choice('import.succeeded'), path: fixed('/admin/audit') },
  { route: '/admin/audit', name: 'actor', kind: text(100), path: fixed('/admin/audit') },
  { route: '/admin/audit', name: 'from', kind: DAY, path: fixed('/admin/audit') },
  { route: '/admin/audit', name: 'to', kind: DAY, path: fixed('/admin/audit') },
  { route: '/admin/audit', name: 'page', kind: PAGE, path: fixed('/admin/audit') },
  { route: '/admin/users', name: 'done', kind: choice('created'), path: fixed('/admin/users') },
  { route: '/admin/users/:id', name: 'done', kind: choice('password'), path: (s) => `/admin/users/${s.userId}` },
  {
    route: '/admin/reference/:table',
    name: 'done',
    kind: choice('deleted'),
    path: fixed('/admin/reference/protected-senders'),
  },
  { route: '/findings', name: 'rule', kind: choice('MULTI_LEVEL_RELEASE'), path: fixed('/findings') },
  { route: '/findings', name: 'severity', kind: choice('high'), path: fixed('/findings') },
  { route: '/findings', name: 'status', kind: choice('open'), path: fixed('/findings') },
  {
    route: '/findings',
    name: 'carrier',
    kind: { bad: ['NOPE', 'x'.repeat(17)], good: ['CMCC'] },
    path: fixed('/findings'),
  },
  {
    route: '/findings',
    name: 'agent',
    kind: { bad: ['x'.repeat(101), 'a\u0000b'], good: [A1, A1.toLowerCase(), '北京一级', '123'] },
    path: fixed('/findings'),
  },
  {
    route: '/findings',
    name: 'number',
    kind: { bad: ['12a', '1'.repeat(21)], good: ['106901234502'] },
    path: fixed('/findings'),
  },
  {
    route: '/findings',
    name: 'entity',
    kind: { bad: ['123', 'x'.repeat(41)], good: [E_SHOP, E_SHOP.toLowerCase()] },
    path: fixed('/findings'),
  },
  {
    route: '/findings',
    name: 'similar',
    kind: { bad: [...ID.bad, '999999'], good: (s) => [String(s.findingId)] },
    path: fixed('/findings'),
  },
  { route: '/findings', name: 'from', kind: DAY, path: fixed('/findings') },
  { route: '/findings', name: 'to', kind: DAY, path: fixed('/findings') },
  { route: '/findings', name: 'page', kind: PAGE, path: fixed('/findings') },
  {
    route: '/verify',
    name: 'code',
    kind: text(40, 'ABCD-EFGH-JKLM-NPQR'),
    path: fixed('/verify'),
    goodStatus: 404,
    anonymous: true,
  },
  { route: '/agents/:uscc/notices/new', name: 'supersedes', kind: ID, path: fixed(`/agents/${A1}/notices/new`) },
  {
    route: '/agents/:uscc/notices/new',
    name: 'finding',
    kind: { bad: [...ID.bad, '999999'], good: (s) => [String(s.findingId)] },
    path: fixed(`/agents/${A1}/notices/new`),
  },
  { route: '/notices', name: 'status', kind: choice('overdue'), path: fixed('/notices') },
  {
    route: '/notices',
    name: 'issuer',
    kind: { bad: ['NOPE', 'x'.repeat(21)], good: ['京通管'] },
    path: fixed('/notices'),
  },
  {
    route: '/notices',
    name: 'carrier',
    kind: { bad: ['NOPE', 'x'.repeat(17)], good: ['CUCC'] },
    path: fixed('/notices'),
  },
  { route: '/notices', name: 'agent', kind: { bad: ['123'], good: [A1] }, path: fixed('/notices') },
  { route: '/notices', name: 'from', kind: DAY, path: fixed('/notices') },
  { route: '/notices', name: 'to', kind: DAY, path: fixed('/notices') },
  { route: '/notices', name: 'page', kind: PAGE, path: fixed('/notices') },
  {
    route: '/messages',
    name: 'sender',
    kind: { bad: ['12a', '1'.repeat(21)], good: ['1069', ' 1069 '] },
    path: fixed('/messages'),
  },
  { route: '/messages', name: 'text', kind: text(100, '订单'), path: fixed('/messages') },
  { route: '/messages', name: 'flagged', kind: choice('1'), path: fixed('/messages') },
  { route: '/messages', name: 'page', kind: PAGE, path: fixed('/messages') },
  { route: '/messages/:id', name: 'labelled', kind: choice('1'), path: (s) => `/messages/${s.messageId}` },
  { route: '/lookup', name: 'number', kind: text(100, '10690123450188'), path: fixed('/lookup') },
  { route: '/lookup', name: 'at', kind: MOMENT, path: fixed('/lookup?number=10690123450188') },
  { route: '/api/lookup', name: 'number', kind: text(100, '10690123450188'), path: fixed('/api/lookup'), json: true },
  { route: '/api/lookup', name: 'at', kind: MOMENT, path: fixed('/api/lookup?number=10690123450188'), json: true },
  { route: '/imports/:id', name: 'page', kind: PAGE, path: (s) => `/imports/${s.importRunId}` },
  { route: '/carriers/:code', name: 'page', kind: PAGE, path: fixed('/carriers/CMCC') },
  ...['/tree', '/tree/export.csv', '/tree/export.svg', '/tree/export.png'].flatMap((route): Row[] =>
    [
      { route, name: 'carrier', kind: text(16, 'CMCC'), path: fixed(route) },
      { route, name: 'at', kind: DAY, path: fixed(route) },
      { route, name: 'depth', kind: { bad: ['0', '9', '1.5', 'deep'], good: ['1', '8'] }, path: fixed(route) },
      { route, name: 'toggle', kind: { bad: ['1;2', ',', 'x'.repeat(2001)], good: ['1,2'] }, path: fixed(route) },
      { route, name: 'q', kind: text(100, '北京'), path: fixed(route) },
    ].map((row) => ({ ...row, badOnly: route === '/tree/export.png' })),
  ),
  { route: '/tree/cross-carrier', name: 'at', kind: DAY, path: fixed('/tree/cross-carrier') },
  { route: '/agents', name: 'q', kind: text(100, '北京'), path: fixed('/agents') },
  { route: '/agents', name: 'page', kind: PAGE, path: fixed('/agents') },
  { route: '/agents/:uscc', name: 'holds_page', kind: PAGE, path: fixed(`/agents/${A1}`) },
  { route: '/agents/:uscc', name: 'grants_page', kind: PAGE, path: fixed(`/agents/${A1}`) },
  { route: '/agents/:uscc', name: 'at', kind: DAY, path: fixed(`/agents/${A1}`) },
  { route: '/entities', name: 'q', kind: text(100, '杭州'), path: fixed('/entities') },
  { route: '/entities', name: 'page', kind: PAGE, path: fixed('/entities') },
  { route: '/entities/:uscc', name: 'page', kind: PAGE, path: fixed(`/entities/${E_SHOP}`) },
  { route: '/entities/:uscc', name: 'messages_page', kind: PAGE, path: fixed(`/entities/${E_SHOP}`) },
  { route: '/entities/:uscc', name: 'complaints_page', kind: PAGE, path: fixed(`/entities/${E_SHOP}`) },
];

/** `path` with `name` set to `value` (repeated when it is a list). */
function withParameter(path: string, name: string, value: string | string[]): string {
  const [base, search = ''] = path.split('?');
  const params = new URLSearchParams(search);
  for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  return `${base}?${params.toString()}`;
}

/** A response body as text: the page, or the JSON's error message. */
function bodyText(response: request.Response): string {
  return typeof response.body?.error === 'string' ? response.body.error : (response.text ?? '');
}

// Every request here only reads, so one store per database serves them all (seeding it per test took minutes).
for (const database of testDatabases)
  describe(`query parameters [${database.name}]`, () => {
    const ctx = {} as { dataSource: DataSource };
    let app: ReturnType<typeof createApp>;
    let admin: Client;
    let seed: Seed;
    after(async () => {
      await ctx.dataSource?.destroy();
    });
    before(async () => {
      ctx.dataSource = await openDatabase(database.url);
      await clearAllData(ctx.dataSource);
      await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
      await runAudit(ctx.dataSource, { actor: 'test' });
      await createReference(
        ctx.dataSource,
        'issuers',
        {
          code: '京通管',
          name: '北京市通信管理局',
          carrierId: null,
          signatory: '局长',
          copyTo: null,
          printedBy: '办公室',
        },
        'test',
      );
      app = createApp(ctx.dataSource, { databaseUrl: database.url });
      admin = await signIn(app, ctx.dataSource);
      const [run] = await ctx.dataSource.getRepository(ImportRun).save([
        {
          source: 'carriers.csv',
          status: 'refused' as const,
          startedAt: new Date(),
          finishedAt: new Date(),
          rowsRead: 1,
          carrierId: null,
          summary: null,
          errorCount: 0,
          failure: null,
        },
      ]);
      seed = {
        userId: (await ctx.dataSource.getRepository(User).findOneByOrFail({ name: admin.name })).id,
        messageId: (await ctx.dataSource.getRepository(Message).find({ order: { id: 'ASC' }, take: 1 }))[0].id,
        importRunId: run.id,
        findingId: (await ctx.dataSource.getRepository(Finding).findOneByOrFail({ agentUscc: A1, status: 'open' })).id,
      };
    });

    const get = (row: Row, url: string) => (row.anonymous ? request(app).get(url) : admin.get(url));

    for (const row of ROWS) {
      it(`${row.route}: refuses a bad ${row.name} with 400 naming it`, async () => {
        for (const value of row.kind.bad) {
          const url = withParameter(row.path(seed), row.name, value);
          const response = await get(row, url);
          expect(response.status, url).to.equal(400);
          const text = bodyText(response);
          expect(text, url).to.match(new RegExp(`查询参数 ${row.name} (无效：应为|只能给出一次)`));
          expect(text, url).not.to.match(/\bat .*\.ts:\d+|Error:/);
          if (row.json) expect(response.body.parameter, url).to.equal(row.name);
        }
      });

      if (row.badOnly) continue;
      it(`${row.route}: still takes a good ${row.name}`, async () => {
        const good = typeof row.kind.good === 'function' ? row.kind.good(seed) : row.kind.good;
        for (const value of good) {
          const url = withParameter(row.path(seed), row.name, value);
          const response = await get(row, url);
          expect(response.status, `${url}: ${bodyText(response).slice(0, 300)}`).to.equal(row.goodStatus ?? 200);
        }
      });
    }

    it("says what a bad page number is, and what is accepted, in the reader's language", async () => {
      const chinese = await admin.get('/agents?page=0').expect(400);
      expect(chinese.text).to.include('查询参数 page 无效：应为介于 1 和 1000000 之间的整数');
      try {
        const english = await admin.get('/agents?page=0&lang=en').expect(400);
        expect(english.text).to.include('Query parameter page is invalid: expected a whole number from 1 to 1000000');
      } finally {
        // The switch is remembered in a cookie; the other tests read Chinese.
        await admin.get('/?lang=zh-CN').expect(200);
      }
    });

    it('answers a client that asks for JSON with the message as JSON', async () => {
      const response = await admin
        .get('/agents/' + A1 + '?at=0001-01-01')
        .set('Accept', 'application/json')
        .expect(400);
      expect(response.body.error).to.equal(
        '查询参数 at 无效：应为格式为 YYYY-MM-DD、在 1990 至 2100 年间真实存在的日期，例如 2023-07-01',
      );
    });

    describe('upload file names', () => {
      /**
       * One file posted as the browser does, its Content-Disposition written out by hand so any byte can be in the
       * name.
       */
      function upload(disposition: string, content: Buffer = Buffer.from('code,name\nCMCC,中国移动\n')) {
        const boundary = 'sms106-upload-name';
        const body = Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="files"; ${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          content,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return admin.post('/imports').set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
      }

      /** Runs `post` with uploads going to a directory of the test's own; returns what the post left there. */
      async function leftBehind(
        post: () => Promise<request.Response>,
      ): Promise<{ response: request.Response; files: string[]; runs: number }> {
        const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-names-'));
        const before = await ctx.dataSource.getRepository(ImportRun).count();
        const tmpdir = process.env.TMPDIR;
        process.env.TMPDIR = directory;
        try {
          const response = await post();
          return {
            response,
            files: await readdir(directory, { recursive: true }),
            runs: (await ctx.dataSource.getRepository(ImportRun).count()) - before,
          };
        } finally {
          if (tmpdir === undefined) delete process.env.TMPDIR;
          else process.env.TMPDIR = tmpdir;
          await rm(directory, { recursive: true, force: true });
        }
      }

      it('refuses a part header with a raw NUL byte in the file name as a malformed upload, with 400', async () => {
        const { response, files, runs } = await leftBehind(() => upload('filename="data\u0000.xlsx"'));
        expect(response.status).to.equal(400);
        expect(response.text).to.include('上传的表单无法解析');
        expect(files).to.deep.equal([]);
        expect(runs).to.equal(0);
      });

      const controlNames: Array<[string, string]> = [
        ['an encoded NUL', "filename*=UTF-8''data%00.xlsx"],
        ['an encoded line break', "filename*=UTF-8''data%0A.xlsx"],
        ['an encoded escape', "filename*=UTF-8''carriers%1B.csv"],
      ];
      for (const [what, disposition] of controlNames) {
        it(`refuses a file name with ${what} with 400 and a message, leaving nothing behind`, async () => {
          const { response, files, runs } = await leftBehind(() => upload(disposition));
          expect(response.status).to.equal(400);
          expect(response.text).to.include('文件名含有控制字符（如 NUL 或换行）：请改名后再上传');
          expect(files).to.deep.equal([]);
          expect(runs).to.equal(0);
        });
      }

      const longNames: Array<[string, string]> = [
        ['300 characters', `${'x'.repeat(295)}.xlsx`],
        ['100 Chinese characters (300 bytes)', `${'数'.repeat(95)}.xlsx`],
      ];
      for (const [what, name] of longNames) {
        it(`refuses a file name of ${what} with 400 and a message, leaving nothing behind`, async () => {
          const { response, files, runs } = await leftBehind(() =>
            upload(`filename*=UTF-8''${encodeURIComponent(name)}`),
          );
          expect(response.status).to.equal(400);
          expect(response.text).to.include('文件名过长：最多 255 字节');
          expect(files).to.deep.equal([]);
          expect(runs).to.equal(0);
        });
      }

      it('takes a file name of exactly 255 bytes', async () => {
        const workbook = new ExcelJS.Workbook();
        workbook.addWorksheet('carriers').addRows([
          ['code', 'name'],
          ['CMCC', '中国移动'],
        ]);
        const content = Buffer.from(await workbook.xlsx.writeBuffer());
        // Not through leftBehind: the import reads the upload after the answer, from where it was stored.
        const response = await upload(`filename="${'x'.repeat(250)}.xlsx"`, content);
        expect(response.status, response.text).to.equal(303);
        expect(await waitForRun(admin, response.headers.location)).to.include('已完成');
      });
    });

    it('treats a blank parameter as one not given', async () => {
      await admin.get('/agents?page=&q=').expect(200);
      await admin.get(`/agents/${A1}?at=`).expect(200);
      await admin.get('/lookup?number=10690123450188&at=').expect(200);
    });
  });
