import { writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { sms106 } from '../support/sms106.ts';

/** An address nothing listens on: port 1 of this host refuses at once. */
const UNREACHABLE = 'mysql://auditor:s3cret-pw@127.0.0.1:1/sms106';

describe('sms106 and the store it is pointed at', function () {
  this.timeout(60_000);

  it('--help and help work whatever DATABASE_URL says', async () => {
    const runs: Array<[string, string[]]> = [
      ['nonsense://x', ['--help']],
      ['nonsense://x', ['help']],
      ['nonsense://x', ['help', 'export']],
      [UNREACHABLE, ['export', '--help']],
    ];
    for (const [url, args] of runs) {
      const result = await sms106(args, { DATABASE_URL: url });
      expect([result.code, result.stderr], `${args.join(' ')} with DATABASE_URL=${url}`).to.deep.equal([0, '']);
      expect(result.stdout).to.include('用法：sms106');
    }
  });

  it('a command that needs the store names a DATABASE_URL it cannot use in one line, exit 1', async () => {
    const result = await sms106(['lookup', '10690123456789'], { DATABASE_URL: 'nonsense://x' });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'sms106: 环境变量 DATABASE_URL 给出的数据库地址 nonsense://x 无法使用：不支持的数据库类型（可用 mysql://用户:密码@主机:3306/库名、sqlite:路径 或 sqlite::memory:）\n',
    );
  });

  it('an unreachable database is one line naming DATABASE_URL and the problem, without the password, exit 1', async () => {
    const result = await sms106(['audit', '--lang', 'en'], { DATABASE_URL: UNREACHABLE });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.equal(
      'sms106: cannot open the database at mysql://auditor:***@127.0.0.1:1/sms106 (from DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1\n',
    );
  });

  it('a password in a URL it cannot parse is not echoed either', async () => {
    const result = await sms106(['audit'], { DATABASE_URL: 'mysql://auditor:s3cret-pw@127.0.0.1:3306/' });
    expect(result.code).to.equal(1);
    expect(result.stderr).not.to.include('s3cret-pw');
    expect(result.stderr).to.include('mysql://auditor:***@127.0.0.1:3306/');
    expect(result.stderr.split('\n')).to.have.length(2);
  });

  it('a SQLite file that is not a database is one line naming it, exit 1', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-notdb-')), 'store.sqlite');
    await writeFile(file, 'this is a spreadsheet, not a database\n'.repeat(200));
    const result = await sms106(['audit', '--lang', 'en'], { DATABASE_URL: `sqlite:${file}` });
    expect([result.code, result.stderr]).to.deep.equal([
      1,
      `sms106: cannot open the database at sqlite:${file} (from DATABASE_URL): file is not a database\n`,
    ]);
  });
});
