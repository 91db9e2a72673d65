import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { readyUrl } from '../../server/index.ts';
import { runningProcess, startServer as start, stopServer as stop, stoppedProcessId } from '../support/processes.ts';
import { networkAddress } from '../support/network.ts';

const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'sms106.js');

/** Signs in through the login form as a browser would; resolves with the answer's status and where it leads. */
async function signInOver(baseUrl: string, name: string, password: string): Promise<[number, string | null]> {
  const form = await fetch(`${baseUrl}/login`);
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const answer = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, name, password, next: '/' }),
  });
  return [answer.status, answer.headers.get('location')];
}

/** The demo users and passwords a start printed: `  admin（管理员）  密码：xxxx-…`, or the same in English. */
function printedPasswords(log: string): Record<string, string> {
  const lines = log.matchAll(/^ {2}([a-z]+)[（(][^)）]+[)）] {2}(?:密码：|password: )([0-9a-z-]+)$/gm);
  return Object.fromEntries([...lines].map(([, name, password]) => [name, password]));
}

describe('sms106 serve --demo-if-empty (npm start)', function () {
  this.timeout(180_000);

  it('creates and loads a new embedded database once, saying each step, serves it, never reloads the demo over it, and ends only the imports whose process stopped', async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-start-')), 'data', 'sms106.sqlite')}`;
    // No LANG: the command line speaks Chinese.
    const first = await start(url, { LANG: undefined });
    try {
      const steps = first
        .log()
        .split('\n')
        .map((line) =>
          line
            .replace(/\d+/g, 'N')
            .replace(/sqlite:\S+/, 'sqlite:PATH')
            .replace(/(密码：)\S+/, '$1…'),
        );
      expect(steps.slice(0, 14)).to.deep.equal([
        '正在打开数据库 sqlite:PATH 并更新其数据表……',
        '已创建或更新数据表：执行了 N 个迁移',
        '数据库为空：正在载入演示数据集（seeds/demo）……',
        '演示数据集已载入：N 个文件，共 N 行',
        '已创建演示用户，各有一个随机密码，仅在此显示这一次：',
        '  admin（管理员）  密码：…',
        '  regulator（监管）  密码：…',
        '  cmcc（运营商）  密码：…',
        '请妥善保存；如需修改：npx smsN user passwd 用户名',
        '正在对演示数据运行稽核……',
        '稽核完成：N 条风险线索',
        '正在载入号段分配索引（供查询使用）……',
        '就绪：http://localhost:N（仅本机可访问；设置 HOST=N.N.N.N 可供其他机器访问）',
        '',
      ]);
      const dashboard = await fetch(`${first.baseUrl}/`, { redirect: 'manual' });
      expect([dashboard.status, dashboard.headers.get('location')]).to.deep.equal([303, '/login?next=%2F']);
      // Until a demo user signs in, the sign-in page says where the passwords are, and shows none of them.
      const passwords = printedPasswords(first.log());
      expect(Object.keys(passwords)).to.deep.equal(['admin', 'regulator', 'cmcc']);
      expect(new Set(Object.values(passwords)).size).to.equal(3);
      for (const password of Object.values(passwords)) expect(password).to.match(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
      const before = await (await fetch(`${first.baseUrl}/login`)).text();
      expect(before).to.include('演示用户 admin、regulator、cmcc 的密码');
      for (const password of Object.values(passwords)) expect(before).not.to.include(password);
      expect(await signInOver(first.baseUrl, 'regulator', 'not the password')).to.deep.equal([401, null]);
      expect(await signInOver(first.baseUrl, 'regulator', passwords.regulator)).to.deep.equal([303, '/']);
      expect(await (await fetch(`${first.baseUrl}/login`)).text()).not.to.include('data-testid="demo-hint"');
    } finally {
      expect(await stop(first.child)).to.equal(0);
    }
    // Two imports left running: one by a process that has stopped, one by `sms106 import` still at it.
    const stopped = await stoppedProcessId();
    const importing = runningProcess();
    const before = await openDatabase(url);
    try {
      for (const [source, pid] of [
        ['stopped', stopped],
        ['importing', importing.pid],
      ]) {
        await before.query(
          "INSERT INTO import_runs (source, status, started_at, rows_read, error_count, owner) VALUES (?, 'running', '2026-01-01 00:00:00', 0, 0, ?)",
          [source, `pid:${pid}@${os.hostname()}`],
        );
      }
    } finally {
      await before.destroy();
    }
    const second = await start(url, { LANG: 'en_US.UTF-8' });
    try {
      expect(second.log()).to.include('tables up to date\n');
      expect(second.log()).not.to.include('loading the demo dataset');
      expect(second.log()).not.to.include('password');
    } finally {
      await stop(second.child);
      await importing.stop();
    }
    const dataSource = await openDatabase(url);
    try {
      const left = await dataSource.query(
        "SELECT source, status FROM import_runs WHERE source IN ('stopped', 'importing') ORDER BY source",
      );
      expect(left).to.deep.equal([
        { source: 'importing', status: 'running' },
        { source: 'stopped', status: 'failed' },
      ]);
      const runs = await dataSource.query("SELECT COUNT(*) AS n FROM import_runs WHERE status = 'succeeded'");
      expect(Number(runs[0].n)).to.equal(1);
      const carriers = await dataSource.query('SELECT code FROM carriers ORDER BY code');
      expect(carriers.map((c: { code: string }) => c.code)).to.deep.equal(['CBN', 'CMCC', 'CTCC', 'CUCC']);
    } finally {
      await dataSource.destroy();
    }
  });

  it('listens on this machine only unless HOST says otherwise, and says which at start', async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-host-')), 'sms106.sqlite')}`;
    const elsewhere = (baseUrl: string) => baseUrl.replace('localhost', networkAddress());
    const local = await start(url, { LANG: 'en' });
    try {
      expect(local.log()).to.match(/^ready: http:\/\/localhost:\d+ \(this machine only;/m);
      expect((await fetch(`${local.baseUrl}/login`)).status).to.equal(200);
      const refused = await fetch(`${elsewhere(local.baseUrl)}/login`).then(
        () => 'answered',
        (error: Error) => (error.cause as { code?: string })?.code,
      );
      expect(refused).to.equal('ECONNREFUSED');
    } finally {
      expect(await stop(local.child)).to.equal(0);
    }
    const everywhere = await start(url, { HOST: '0.0.0.0', LANG: 'en' });
    try {
      expect(everywhere.log()).to.match(
        /^ready: http:\/\/localhost:\d+ \(bound to 0\.0\.0\.0: other machines can reach it\)$/m,
      );
      expect((await fetch(`${elsewhere(everywhere.baseUrl)}/login`)).status).to.equal(200);
    } finally {
      expect(await stop(everywhere.child)).to.equal(0);
    }
  });

  it('names the address to open: localhost for the loopback address or every interface, else the bound address', () => {
    expect(
      [
        ['127.0.0.1', 3000],
        ['0.0.0.0', 3000],
        ['::', 8080],
        ['10.0.0.5', 80],
        ['fd00::5', 3000],
      ].map(([host, port]) => readyUrl(host as string, port as number)),
    ).to.deep.equal([
      'http://localhost:3000',
      'http://localhost:3000',
      'http://localhost:8080',
      'http://10.0.0.5:80',
      'http://[fd00::5]:3000',
    ]);
  });

  it("does not start with a TRUST_PROXY that would trust any client's X-Forwarded-For", async () => {
    const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-proxy-')), 'sms106.sqlite')}`;
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', url], {
      cwd: os.tmpdir(),
      env: { ...process.env, TRUST_PROXY: '1' },
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).to.equal(2);
    expect(stderr.trim().split('\n')).to.have.length(1);
    expect(stderr).to.include('TRUST_PROXY="1"');
  });
});
