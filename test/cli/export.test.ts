import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { cli } from '../support/cliInProcess.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';

async function readAll(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(directory)).sort())
    files[name] = await readFile(path.join(directory, name), 'utf8');
  return files;
}

const HYPERLINK = '=HYPERLINK("http://x.example","点我")';

/** The small dataset with cells a spreadsheet would run: an agent's name, a message's text. */
function datasetWithFormulas(): Record<string, string> {
  const files = smallDataset();
  files['agents.csv'] = files['agents.csv'].replace('上海二级网络科技有限公司', `"${HYPERLINK.replace(/"/g, '""')}"`);
  files['messages.csv'] = files['messages.csv'].replace('【北京交警】您有一条违章记录', "@SUM(1+1)*cmd|' /C calc'!A0");
  return files;
}

for (const kind of ['SQLite', 'MariaDB'] as const) {
  describe(`sms106 export [${kind}]`, () => {
    let url: string;

    beforeEach(async () => {
      url =
        kind === 'SQLite'
          ? `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-export-cli-')), 'db.sqlite')}`
          : mariadbUrl;
      const dataSource = await openDatabase(url);
      await clearAllData(dataSource);
      await dataSource.destroy();
      expect((await cli('import', await writeDataset(datasetWithFormulas()), '--db', url)).code).to.equal(0);
    });

    it('refuses a directory that holds anything, writing nothing; --force writes into it and drops a stale labels file', async () => {
      const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-export-'));
      await writeFile(path.join(directory, 'notes.txt'), 'mine\n');
      await writeFile(path.join(directory, 'message_labels.csv'), 'from an earlier export\n');
      const refused = await cli('export', directory, '--db', url);
      expect([refused.code, refused.stdout]).to.deep.equal([1, '']);
      expect(refused.stderr).to.equal(
        `sms106: 目录 ${directory} 不是空的（2 项），未写入任何内容；要写入其中（同名的数据集文件将被覆盖）请加 --force\n`,
      );
      expect((await readdir(directory)).sort()).to.deep.equal(['message_labels.csv', 'notes.txt']);

      const forced = await cli('export', directory, '--force', '--db', url);
      expect(forced.code).to.equal(0);
      expect((await readdir(directory)).sort()).to.deep.equal([
        'agents.csv',
        'allocations.csv',
        'carriers.csv',
        'complaints.csv',
        'entities.csv',
        'issuers.csv',
        'messages.csv',
        'notes.txt',
        'protected_senders.csv',
        'url_lists.csv',
      ]);
      expect(await readFile(path.join(directory, 'notes.txt'), 'utf8')).to.equal('mine\n');
    });

    it('refuses a path that is a file, and exports into a directory it creates', async () => {
      const parent = await mkdtemp(path.join(os.tmpdir(), 'sms106-export-'));
      await writeFile(path.join(parent, 'taken'), '');
      const refused = await cli('export', path.join(parent, 'taken'), '--db', url, '--lang', 'en');
      expect([refused.code, refused.stderr]).to.deep.equal([
        1,
        `sms106: ${path.join(parent, 'taken')} is not a directory; nothing was written\n`,
      ]);
      expect((await cli('export', path.join(parent, 'new', 'dir'), '--db', url)).code).to.equal(0);
      expect(await readdir(path.join(parent, 'new', 'dir'))).to.include('agents.csv');
    });

    it('by default writes formula-like cells as they are, and the export imports back to the same files', async () => {
      const first = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-export-')), 'first');
      expect((await cli('export', first, '--db', url)).code).to.equal(0);
      const files = await readAll(first);
      expect(files['agents.csv']).to.include(`,"${HYPERLINK.replace(/"/g, '""')}",`);
      expect(files['messages.csv']).to.include(",@SUM(1+1)*cmd|' /C calc'!A0,+8613900139000\n");

      const dataSource = await openDatabase(url);
      try {
        await clearAllData(dataSource);
      } finally {
        await dataSource.destroy();
      }
      expect((await cli('import', first, '--db', url)).code).to.equal(0);
      const second = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-export-')), 'second');
      expect((await cli('export', second, '--db', url)).code).to.equal(0);
      expect(await readAll(second)).to.deep.equal(files);
    });

    it('--safe-for-excel prefixes formula-like cells with a quote and keeps signed numbers', async () => {
      const directory = path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-export-')), 'excel');
      expect((await cli('export', directory, '--safe-for-excel', '--db', url)).code).to.equal(0);
      const files = await readAll(directory);
      expect(files['agents.csv']).to.include(`,"'${HYPERLINK.replace(/"/g, '""')}",`);
      expect(files['agents.csv']).not.to.match(/,"?=HYPERLINK/);
      expect(files['messages.csv']).to.include(",'@SUM(1+1)*cmd|' /C calc'!A0,+8613900139000\n");
      expect(files['carriers.csv']).to.equal('code,name\nCMCC,中国移动\nCUCC,中国联通\n');
    });
  });
}

describe('sms106 export --help', () => {
  it('documents --force and --safe-for-excel', async () => {
    const help = await cli('export', '--help', '--lang', 'en');
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('usage: sms106 export DIR [--force] [--safe-for-excel]');
    expect(help.stdout).to.match(/--force +write into a DIR that already holds files/);
    expect(help.stdout).to.match(/--safe-for-excel +put ' before cells a spreadsheet would run as formulas/);
  });
});
