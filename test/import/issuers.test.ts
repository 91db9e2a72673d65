import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { Carrier } from '../../server/entities/index.ts';
import { importDataset, ImportRefused, type ImportIssue } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, snapshot, writeDataset } from '../support/fixtures.ts';

const HEADER = 'code,name,carrier,signatory,copy_to,printed_by\n';
const ISSUERS =
  `${HEADER}京通管,北京市通信管理局,,北京市通信管理局,"工业和信息化部信息通信管理局",北京市通信管理局办公室\n` +
  '移动合规,中国移动通信集团有限公司,CMCC,中国移动合规管理部,,中国移动合规管理部\n';

describeEachDatabase('import of issuers.csv', (ctx) => {
  const importFiles = async (files: Record<string, string>, options = {}) =>
    importDataset(ctx.dataSource, await openDataset(await writeDataset(files)), options);
  const issuers = () =>
    ctx.dataSource.query(
      'SELECT i.code, i.name, c.code AS carrier, i.signatory, i.copy_to, i.printed_by, i.version ' +
        'FROM issuers i LEFT JOIN carriers c ON c.id = i.carrier_id ORDER BY i.code',
    );
  const refusal = async (files: Record<string, string>, options = {}): Promise<ImportIssue[]> => {
    const error = await importFiles(files, options).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).to.be.instanceOf(ImportRefused);
    return (error as ImportRefused).issues;
  };

  it('adds the issuers, a carrier named by the code the same dataset brings', async () => {
    const summary = await importFiles({ ...smallDataset(), 'issuers.csv': ISSUERS });
    expect(summary.files.at(-1)).to.deep.include({ file: 'issuers.csv', rows: 2, added: 2 });
    expect(await issuers()).to.deep.equal([
      {
        code: '京通管',
        name: '北京市通信管理局',
        carrier: null,
        signatory: '北京市通信管理局',
        copy_to: '工业和信息化部信息通信管理局',
        printed_by: '北京市通信管理局办公室',
        version: 1,
      },
      {
        code: '移动合规',
        name: '中国移动通信集团有限公司',
        carrier: 'CMCC',
        signatory: '中国移动合规管理部',
        copy_to: null,
        printed_by: '中国移动合规管理部',
        version: 1,
      },
    ]);
  });

  it('matches issuers on their code: the same file again changes nothing, a changed row is updated with a new version', async () => {
    await importFiles({ ...smallDataset(), 'issuers.csv': ISSUERS });
    const again = await importFiles({ 'issuers.csv': ISSUERS });
    expect(again.files).to.deep.equal([{ file: 'issuers.csv', rows: 2, added: 0, unknownColumns: [] }]);
    expect((await issuers()).map((i: { version: number }) => i.version)).to.deep.equal([1, 1]);
    await importFiles({ 'issuers.csv': ISSUERS.replace('北京市通信管理局办公室', '北京市通信管理局综合处') });
    const [beijing, cmcc] = await issuers();
    expect([beijing.printed_by, beijing.version, cmcc.version]).to.deep.equal(['北京市通信管理局综合处', 2, 1]);
  });

  it('refuses a bad code, an unknown carrier, an empty required cell and a repeated code, writing nothing', async () => {
    await importFiles(smallDataset());
    const before = await snapshot(ctx.dataSource);
    const issues = await refusal({
      'issuers.csv':
        `${HEADER}京 通管,北京市通信管理局,,署名,,印发\n` +
        '移动,中国移动,CTCC,署名,,印发\n' +
        '联通,中国联通,CUCC,,,印发\n' +
        '京通管,北京市通信管理局,,署名,,印发\n' +
        '京通管,北京市通信管理局,,署名,,印发\n',
    });
    expect(issues.map((i) => `${i.line}:${i.column}:${i.value}:${i.code}`)).to.deep.equal([
      '2:code:京 通管:issuer.bad_code',
      '3:carrier:CTCC:issuer.carrier_unknown',
      '4:signatory:null:cell.required',
      '6:code:京通管:row.duplicate_key',
    ]);
    expect(await snapshot(ctx.dataSource)).to.deep.equal(before);
    expect(await issuers()).to.deep.equal([]);
  });

  it('refuses a file without its required columns', async () => {
    const issues = await refusal({ 'issuers.csv': 'code,name\n京通管,北京市通信管理局\n' });
    expect(issues.map((i) => `${i.file}:${i.line}:${i.column}:${i.code}`)).to.deep.equal([
      'issuers.csv:1:signatory:column.missing',
      'issuers.csv:1:printed_by:column.missing',
    ]);
  });

  it("is reference data a carrier's import may not bring", async () => {
    await importFiles(smallDataset());
    const cmcc = await ctx.dataSource.getRepository(Carrier).findOneByOrFail({ code: 'CMCC' });
    const issues = await refusal({ 'issuers.csv': ISSUERS }, { carrier: { id: cmcc.id, code: 'CMCC' } });
    expect(issues).to.deep.equal([
      { file: 'issuers.csv', line: 1, column: null, value: null, code: 'scope.reference_data' },
    ]);
  });
});
