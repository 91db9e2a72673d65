import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { main } from '../../server/cli.ts';
import { shanghaiDate } from '../../server/numbering/time.ts';
import { createDemoIssuers } from '../../server/services/accounts/demoUsers.ts';
import { uscc, writeDataset } from '../support/fixtures.ts';
import { sms106 } from '../support/sms106.ts';

const quiet = { stdout: () => {}, stderr: () => {} };

/** Eight first-level agents, each with an unfiled segment and no licence: open findings for a notice each. */
const AGENTS = Array.from({ length: 8 }, (_, i) => uscc(`9111010${i}MA01AAAA1`));

async function storeWithEightNoticeableAgents(): Promise<string> {
  const directory = await writeDataset({
    'carriers.csv': 'code,name\nCMCC,中国移动\n',
    'agents.csv': `uscc,name\n${AGENTS.map((a, i) => `${a},代理商${i}有限公司`).join('\n')}\n`,
    'allocations.csv': `prefix,holder,lessee,valid_from\n${AGENTS.map((a, i) => `10690123${i},CMCC,${a},2021-01-01`).join('\n')}\n`,
  });
  const url = `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-writers-')), 'store.sqlite')}`;
  expect(await main(['import', directory, '--db', url], quiet)).to.equal(0);
  expect(await main(['audit', '--db', url], quiet)).to.equal(0);
  const dataSource = await openDatabase(url);
  try {
    await createDemoIssuers(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return url;
}

describe('sms106 processes writing to one SQLite store', function () {
  this.timeout(120_000);

  it('eight notice commands at once all succeed, one notice each with distinct numbers', async () => {
    const url = await storeWithEightNoticeableAgents();
    const results = await Promise.all(
      AGENTS.map((agent) => sms106(['notice', agent, '--issuer', '京通管', '--json', '--db', url])),
    );
    expect(results.map((r) => [r.code, r.stderr])).to.deep.equal(AGENTS.map(() => [0, '']));
    const numbers = results.map((r) => JSON.parse(r.stdout).number as string);
    const dataSource = await openDatabase(url);
    try {
      const stored = (await dataSource.query(
        'SELECT document_number AS number, agent_uscc AS agent FROM notices ORDER BY serial',
      )) as Array<{ number: string; agent: string }>;
      expect(stored.map((n) => n.number)).to.deep.equal(
        Array.from({ length: 8 }, (_, i) => `京通管〔${shanghaiDate(new Date()).slice(0, 4)}〕${i + 1}号`),
      );
      expect(new Set(stored.map((n) => n.agent))).to.deep.equal(new Set(AGENTS));
      expect([...numbers].sort()).to.deep.equal(stored.map((n) => n.number).sort());
    } finally {
      await dataSource.destroy();
    }
  });

  it('a writer still kept waiting after the busy timeout says the store is busy in one line, exit 1', async () => {
    const url = await storeWithEightNoticeableAgents();
    const holder = new Database(url.slice('sqlite:'.length));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const result = await sms106(['notice', AGENTS[0], '--issuer', '京通管', '--db', url]);
      expect([result.code, result.stderr]).to.deep.equal([
        1,
        'sms106: 数据库正被另一个进程写入，等待 15 秒后仍未轮到；请稍后重试\n',
      ]);
    } finally {
      holder.close();
    }
  });

  it('an unexpected failure is one line on stderr and exit 1; DEBUG adds the stack', async () => {
    const url = await storeWithEightNoticeableAgents();
    const dataSource = await openDatabase(url);
    try {
      // A damaged store: the migrations think the schema is complete, but a table is gone.
      await dataSource.query('DROP TABLE notice_counters');
    } finally {
      await dataSource.destroy();
    }
    const plain = await sms106(['notice', AGENTS[0], '--issuer', '京通管', '--db', url, '--lang', 'en']);
    expect([plain.code, plain.stdout]).to.deep.equal([1, '']);
    expect(plain.stderr).to.equal(
      'sms106: unexpected error: SqliteError: no such table: notice_counters (set DEBUG=1 for the details)\n',
    );
    const debug = await sms106(['notice', AGENTS[0], '--issuer', '京通管', '--db', url, '--lang', 'en'], {
      DEBUG: '1',
    });
    expect(debug.code).to.equal(1);
    expect(debug.stderr.split('\n')[0]).to.equal(
      'sms106: unexpected error: SqliteError: no such table: notice_counters',
    );
    expect(debug.stderr).to.match(/\n +at /);
  });
});
