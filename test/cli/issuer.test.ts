import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { clearAllData, mariadbUrl } from '../support/databases.ts';
import { cli } from '../support/cliInProcess.ts';
import { A3, smallDataset, writeDataset } from '../support/fixtures.ts';

const BEIJING = [
  '京通管',
  '--name',
  '北京市通信管理局',
  '--signatory',
  '北京市通信管理局',
  '--printed-by',
  '北京市通信管理局办公室',
];
const CUCC = ['联通合规', '--name', '中国联通', '--signatory', '中国联通合规部', '--printed-by', '中国联通合规部'];

for (const kind of ['SQLite', 'MariaDB'] as const) {
  describe(`sms106 issuer [${kind}]`, () => {
    let url: string;

    beforeEach(async () => {
      url =
        kind === 'SQLite'
          ? `sqlite:${path.join(await mkdtemp(path.join(os.tmpdir(), 'sms106-issuer-')), 'db.sqlite')}`
          : mariadbUrl;
      const dataSource = await openDatabase(url);
      await clearAllData(dataSource);
      await dataSource.destroy();
      expect((await cli('import', await writeDataset(smallDataset()), '--db', url)).code).to.equal(0);
    });

    it('issuer add adds an issuer, audited, and issuer list prints them, as text and as JSON', async () => {
      expect(await cli('issuer', 'list', '--db', url)).to.deep.equal({
        code: 0,
        stdout: '尚无签发机关：可用 sms106 issuer add 添加，或导入含 issuers.csv 的数据集\n',
        stderr: '',
      });
      const added = await cli('issuer', 'add', ...BEIJING, '--db', url);
      expect(added).to.deep.equal({ code: 0, stdout: '已添加签发机关 京通管（北京市通信管理局）\n', stderr: '' });
      const cucc = await cli(
        'issuer',
        'add',
        ...CUCC,
        '--carrier',
        'CUCC',
        '--copy-to',
        '集团办公室',
        '--json',
        '--db',
        url,
      );
      expect(JSON.parse(cucc.stdout)).to.deep.equal({
        code: '联通合规',
        name: '中国联通',
        carrier: 'CUCC',
        signatory: '中国联通合规部',
        copy_to: '集团办公室',
        printed_by: '中国联通合规部',
      });
      const listed = await cli('issuer', 'list', '--db', url, '--lang', 'en');
      expect(listed.stdout).to.equal(
        "京通管  北京市通信管理局  [regulator's office]  signatory: 北京市通信管理局; printed by: 北京市通信管理局办公室\n" +
          '联通合规  中国联通  [carrier CUCC]  signatory: 中国联通合规部; printed by: 中国联通合规部\n',
      );
      const json = (await cli('issuer', 'list', '--json', '--db', url)).stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(json.map((issuer) => [issuer.code, issuer.carrier, issuer.copy_to])).to.deep.equal([
        ['京通管', null, null],
        ['联通合规', 'CUCC', '集团办公室'],
      ]);
      const dataSource = await openDatabase(url);
      try {
        const events = await dataSource.query("SELECT subject FROM audit_events WHERE action = 'reference.created'");
        expect(events.map((e: { subject: string }) => e.subject).sort()).to.deep.equal([
          'issuers:京通管',
          'issuers:联通合规',
        ]);
      } finally {
        await dataSource.destroy();
      }
    });

    it('issuer add refuses what issuers.csv would, naming each flag, and a code taken, exit 1, adding nothing', async () => {
      const bad = await cli(
        'issuer',
        'add',
        '京 通管',
        '--name',
        '北京市通信管理局',
        '--signatory',
        ' ',
        '--printed-by',
        '办公室',
        '--carrier',
        'CTCC',
        '--db',
        url,
        '--lang',
        'en',
      );
      expect([bad.code, bad.stdout, bad.stderr]).to.deep.equal([
        1,
        '',
        'sms106: --signatory: required value is empty\n' +
          'sms106: CODE "京 通管": an issuer\'s code (代字) has only Chinese characters, letters and digits\n' +
          'sms106: --carrier "CTCC": not a known carrier code (leave it empty for a regulator\'s office)\n',
      ]);
      expect((await cli('issuer', 'add', ...BEIJING, '--db', url)).code).to.equal(0);
      expect(await cli('issuer', 'add', ...BEIJING, '--db', url)).to.deep.equal({
        code: 1,
        stdout: '',
        stderr: 'sms106: “京通管” 已存在\n',
      });
      expect((await cli('issuer', 'list', '--json', '--db', url)).stdout.trim().split('\n')).to.have.length(1);
    });

    it('issuer add without its required flags is wrong usage, exit 2', async () => {
      const result = await cli('issuer', 'add', '京通管', '--name', '北京市通信管理局', '--db', url, '--lang', 'en');
      expect(result.code).to.equal(2);
      expect(result.stderr).to.match(/^sms106: expected: sms106 issuer add CODE --name NAME --signatory TEXT/);
    });

    it('notice names --issuer and the codes there are when it is missing or unknown, and says how to add one when there is none', async () => {
      await cli('audit', '--db', url);
      expect(await cli('notice', A3, '--db', url)).to.deep.equal({
        code: 1,
        stdout: '',
        stderr:
          'sms106: 尚无签发机关：请先用 sms106 issuer add 添加（或导入含 issuers.csv 的数据集），再用 --issuer 指定\n',
      });
      await cli('issuer', 'add', ...BEIJING, '--db', url);
      await cli('issuer', 'add', ...CUCC, '--carrier', 'CUCC', '--db', url);
      expect((await cli('notice', A3, '--db', url, '--lang', 'en')).stderr).to.equal(
        'sms106: name the issuer with --issuer CODE; the codes: 京通管, 联通合规\n',
      );
      const unknown = await cli('notice', A3, '--issuer', '沪通管', '--db', url);
      expect([unknown.code, unknown.stderr]).to.deep.equal([
        1,
        'sms106: --issuer 沪通管：没有此代字的签发机关；可用的代字：京通管、联通合规\n',
      ]);
    });

    it('a store made with the command line alone issues a notice: issuers.csv in the dataset, then audit and notice', async () => {
      const issuers =
        'code,name,carrier,signatory,copy_to,printed_by\n粤通管,广东省通信管理局,,广东省通信管理局,,广东省通信管理局办公室\n';
      const imported = await cli('import', await writeDataset({ 'issuers.csv': issuers }), '--db', url);
      expect(imported.stdout).to.include('issuers.csv：1 行，新增 1');
      expect((await cli('audit', '--db', url)).code).to.equal(0);
      const notice = await cli('notice', A3, '--json', '--db', url);
      expect(notice.code, notice.stderr).to.equal(0);
      const { number, path: page } = JSON.parse(notice.stdout);
      expect(number).to.match(/^粤通管〔\d{4}〕1号$/);
      expect(page).to.match(/^\/notices\/\d+\/print$/);
    });
  });
}
