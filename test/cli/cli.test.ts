import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { verifyPassword } from '../../server/services/accounts/passwords.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { cli, cliWithPassword } from '../support/cliInProcess.ts';
import { E_SHOP, smallDataset, writeDataset } from '../support/fixtures.ts';

const run = promisify(execFile);
const projectRoot = path.join(import.meta.dirname, '..', '..');

for (const kind of ['SQLite', 'MariaDB'] as const) {
  describe(`sms106 command line [${kind}]`, () => {
    let url: string;

    beforeEach(async () => {
      url =
        kind === 'SQLite'
          ? `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-cli-')), 'db.sqlite')}`
          : mariadbUrl;
      const dataSource = await openDatabase(url);
      await clearAllData(dataSource);
      await dataSource.destroy();
    });

    it('import prints a summary and exits 0', async () => {
      const result = await cli('import', await writeDataset(smallDataset()), '--db', url);
      expect(result.code).to.equal(0);
      expect(result.stdout).to.include('allocations.csv：6 行，新增 6');
    });

    it('import of a bad dataset lists every problem on stderr and exits 1', async () => {
      const files = smallDataset();
      files['allocations.csv'] = files['allocations.csv'].replace('2021-03-01', '2021-02-30');
      files['url_lists.csv'] = files['url_lists.csv'].replace('t.cn,block', 't.cn,deny');
      const result = await cli('import', await writeDataset(files), '--db', url, '--lang', 'en');
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include('allocations.csv:6: valid_from "2021-02-30": invalid date');
      expect(result.stderr).to.include('url_lists.csv:2: list "deny": list must be allow or block');
      expect(result.stderr).to.include('import refused: 2 problem(s); nothing was written');
    });

    it('import names a CSV fault in the chosen language, and in the JSON report by its fault', async () => {
      const files = smallDataset();
      files['carriers.csv'] += 'CTCC,"中国\n电信\n';
      const location = await writeDataset(files);
      const chinese = await cli('import', location, '--db', url);
      expect(chinese.stderr).to.include(
        'carriers.csv:4: CSV 格式错误，此文件其后的内容未检查：此行开始的带引号字段缺少结束引号',
      );
      const english = await cli('import', location, '--db', url, '--lang', 'en');
      expect(english.stderr).to.include(
        'carriers.csv:4: malformed CSV; the rest of this file was not examined: a quoted field starts on this line but its closing quote never comes',
      );
      const json = JSON.parse((await cli('import', location, '--db', url, '--json')).stdout);
      expect(json.issues).to.deep.equal([
        {
          file: 'carriers.csv',
          line: 4,
          column: null,
          value: null,
          code: 'csv.syntax',
          params: { fault: 'unclosed_quote' },
          message: 'CSV 格式错误，此文件其后的内容未检查：此行开始的带引号字段缺少结束引号',
        },
      ]);
    });

    it('lookup --json prints the chain and the registered entity as docs/cli.md#lookup says', async () => {
      await cli('import', await writeDataset(smallDataset()), '--db', url);
      const result = await cli('lookup', '10690123450188', '--at', '2022-03-14T09:30:00+08:00', '--json', '--db', url);
      expect(result.code).to.equal(0);
      const answer = JSON.parse(result.stdout);
      expect(Object.keys(answer)).to.deep.equal(['number', 'at', 'chain', 'entity']);
      expect(answer.chain[2]).to.deep.equal({
        prefix: '10690123450188',
        holder: answer.chain[1].lessee,
        lessee: E_SHOP,
        lessee_kind: 'entity',
        level: 2,
      });
      expect(answer.entity).to.deep.equal({ uscc: E_SHOP, name: '杭州某网店有限公司' });
    });

    it('lookup prints the chain as text, and says so when nothing covered the number', async () => {
      await cli('import', await writeDataset(smallDataset()), '--db', url);
      const found = await cli('lookup', '10690123450188', '--at', '2022-03-14', '--db', url);
      expect(found.stdout).to.include('登记使用主体：杭州某网店有限公司');
      const none = await cli('lookup', '10699999999999', '--db', url);
      expect(none.code).to.equal(0);
      expect(none.stdout).to.include('没有任何有效的号段分配覆盖此号码');
    });

    it('lookup of something that is not a 106 number exits 1 with the reason', async () => {
      const result = await cli('lookup', '13800138000', '--db', url);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include('不是 106 号码');
    });

    it('export writes a dataset that imports back', async () => {
      await cli('import', await writeDataset(smallDataset()), '--db', url);
      const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-export-'));
      const exported = await cli('export', directory, '--db', url);
      expect(exported.code).to.equal(0);
      expect(await readFile(path.join(directory, 'carriers.csv'), 'utf8')).to.equal(
        'code,name\nCMCC,中国移动\nCUCC,中国联通\n',
      );
      const again = await cli('import', directory, '--db', url);
      expect(again.stdout).to.include('allocations.csv：6 行，新增 0');
    });

    it('user add creates a carrier user bound to its carrier, and user passwd changes the password', async () => {
      await cli('import', await writeDataset(smallDataset()), '--db', url);
      expect(
        (
          await cliWithPassword(
            'a long enough secret',
            'user',
            'add',
            'zhang.san',
            '--role',
            'carrier',
            '--carrier',
            'CMCC',
            '--db',
            url,
          )
        ).code,
      ).to.equal(0);
      const dataSource = await openDatabase(url);
      try {
        const [user] = await dataSource.query(
          "SELECT u.role, c.code FROM users u JOIN carriers c ON c.id = u.carrier_id WHERE u.name = 'zhang.san'",
        );
        expect(user).to.deep.equal({ role: 'carrier', code: 'CMCC' });
      } finally {
        await dataSource.destroy();
      }
      expect((await cliWithPassword('another long secret', 'user', 'passwd', 'zhang.san', '--db', url)).code).to.equal(
        0,
      );
      const unknown = await cliWithPassword('another long secret', 'user', 'passwd', 'nobody', '--db', url);
      expect([unknown.code, unknown.stderr]).to.deep.equal([1, 'sms106: 没有名为 nobody 的用户\n']);
    });

    it('user add refuses a short password, an unknown role and a carrier user without a carrier', async () => {
      const short = await cliWithPassword('short', 'user', 'add', 'li.si', '--role', 'regulator', '--db', url);
      expect([short.code, short.stderr]).to.deep.equal([1, 'sms106: 密码至少 10 个字符\n']);
      expect(
        (await cliWithPassword('a long enough secret', 'user', 'add', 'li.si', '--role', 'boss', '--db', url)).stderr,
      ).to.include('角色无效');
      expect(
        (await cliWithPassword('a long enough secret', 'user', 'add', 'li.si', '--role', 'carrier', '--db', url))
          .stderr,
      ).to.include('运营商角色必须指定所属运营商（命令行用 --carrier 运营商代码）');
    });

    it('audit --json prints one finding per line as docs/cli.md#audit shows; a second run adds nothing', async () => {
      await cli('import', await writeDataset(smallDataset()), '--db', url);
      const result = await cli('audit', '--json', '--db', url);
      expect(result.code).to.equal(0);
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.map((l) => l.rule).sort()).to.deep.equal([
        'MULTI_LEVEL_RELEASE',
        'SEGMENT_UNFILED',
        'UNLICENSED_LESSEE',
      ]);
      for (const line of lines) {
        expect(Object.keys(line)).to.deep.equal([
          'rule',
          'severity',
          'agent',
          'prefix',
          'number',
          'message',
          'complaint',
          'entity',
          'detail',
        ]);
        expect(['low', 'medium', 'high', 'critical']).to.include(line.severity);
      }
      expect(lines.find((l) => l.rule === 'MULTI_LEVEL_RELEASE')).to.include({
        prefix: '106901234501',
        severity: 'critical',
      });
      const again = await cli('audit', '--db', url);
      expect(again.stdout).to.match(new RegExp(`共 ${lines.length} 条风险线索（新增 0 条）`));
    });

    it("the demo's traffic-police case is found as government impersonation, four agents deep", async function () {
      this.timeout(120_000);
      await cli('seed', '--db', url);
      const lines = (await cli('audit', '--json', '--db', url)).stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const police = lines.filter((l) => l.rule === 'GOV_IMPERSONATION' && l.number === '1069228351067701');
      expect(police.length).to.be.greaterThan(0);
      expect(police[0].severity).to.equal('critical');
      expect(police[0].detail).to.include('深圳市腾跃鑫商贸有限公司');
      const legit = lines.filter((l) => l.number === '10699120112123' && l.rule === 'GOV_IMPERSONATION');
      expect(legit).to.deep.equal([]);
    });

    it('seed loads the demo dataset and gives each demo user a random password, printed once on stderr', async function () {
      this.timeout(120_000);
      const result = await cli('seed', '--db', url, '--json', '--lang', 'en');
      expect(result.code).to.equal(0);
      expect(JSON.parse(result.stdout).status).to.equal('succeeded');
      const printed = Object.fromEntries(
        [...result.stderr.matchAll(/^ {2}([a-z]+) \([a-z]+\) {2}password: (\S+)$/gm)].map(([, name, password]) => [
          name,
          password,
        ]),
      );
      expect(Object.keys(printed)).to.deep.equal(['admin', 'regulator', 'cmcc']);
      const dataSource = await openDatabase(url);
      try {
        const users = await dataSource.query('SELECT name, role, password_hash FROM users ORDER BY name');
        expect(users.map((u: { name: string; role: string }) => [u.name, u.role])).to.deep.equal([
          ['admin', 'admin'],
          ['cmcc', 'carrier'],
          ['regulator', 'regulator'],
        ]);
        for (const user of users) {
          expect(user.password_hash).not.to.include(printed[user.name]);
          expect(await verifyPassword(printed[user.name], user.password_hash), user.name).to.equal(true);
        }
      } finally {
        await dataSource.destroy();
      }
      // A second seed creates no user and prints no password.
      expect((await cli('seed', '--db', url, '--lang', 'en')).stderr).not.to.include('password');
    });
  });
}

describe('sms106 usage errors', () => {
  it('exits 2 with the usage on stderr when no command is given', async () => {
    const result = await cli();
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('用法：sms106 命令');
    expect((await cli('--lang', 'en')).stderr).to.include('usage: sms106 COMMAND');
  });

  it('exits 2 on an unknown command', async () => {
    expect((await cli('frobnicate')).code).to.equal(2);
  });

  it('exits 2 when a command lacks its argument', async () => {
    const result = await cli('lookup', '--lang', 'en');
    expect([result.code, result.stderr]).to.deep.equal([
      2,
      'sms106: expected: sms106 lookup NUMBER [--at TIME] (sms106 lookup --help)\n',
    ]);
  });

  it('exits 2 on a database URL it cannot use', async () => {
    const result = await cli('lookup', '10690123456789', '--db', 'postgres://x');
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('不支持的数据库类型');
  });

  it('exits 1 when the dataset path does not exist', async () => {
    const result = await cli('import', '/no/such/dataset', '--db', 'sqlite::memory:');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include('找不到数据集');
  });

  it('the installed bin runs from another directory and returns the exit code', async function () {
    this.timeout(60_000);
    const bin = path.join(projectRoot, 'bin', 'sms106.js');
    const ok = await run(process.execPath, [bin, 'lookup', '10690123456789', '--db', 'sqlite::memory:', '--json'], {
      cwd: os.tmpdir(),
    });
    expect(JSON.parse(ok.stdout)).to.deep.include({ number: '10690123456789', chain: [], entity: null });
    const refused = await run(process.execPath, [bin, 'lookup', 'abc', '--db', 'sqlite::memory:'], {
      cwd: os.tmpdir(),
    }).then(
      () => null,
      (error) => error,
    );
    expect(refused?.code).to.equal(1);
    const usage = await run(process.execPath, [bin], { cwd: os.tmpdir() }).then(
      () => null,
      (error) => error,
    );
    expect(usage?.code).to.equal(2);
  });
});
