import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import { cli } from '../support/cliInProcess.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { DATASET_LIMITS } from '../../server/dataset/limits.ts';
import { ImportRun, ImportRunError } from '../../server/entities/index.ts';
import { runImport } from '../../server/services/import/importRuns.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, smallDataset, snapshot, writeDataset } from '../support/fixtures.ts';
import { signIn, uploadDataset } from '../support/session.ts';
import { bombWorkbook, sheetPart, workbookParts, zipArchive } from '../support/zipBombs.ts';

describeEachDatabase('import limits: CSV', (ctx) => {
  /** Imports the files through the import service; returns the run as stored and its problems. */
  async function importRun(files: Record<string, string | Buffer>) {
    const outcome = await runImport(ctx.dataSource, await openDataset(await writeDataset(files)), { actor: 'tester' });
    const run = await ctx.dataSource.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
    const errors = await ctx.dataSource
      .getRepository(ImportRunError)
      .find({ where: { runId: outcome.runId }, order: { id: 'ASC' } });
    return {
      run,
      problems: errors.map((e) => ({
        file: e.file,
        line: e.line,
        column: e.column,
        value: e.value,
        ...JSON.parse(e.reason),
      })),
    };
  }

  async function expectRefusedUnchanged(
    files: Record<string, string | Buffer>,
    problem: Record<string, unknown>,
  ): Promise<void> {
    const before = await snapshot(ctx.dataSource);
    const { run, problems } = await importRun(files);
    expect(run).to.include({ status: 'refused', errorCount: 1, summary: null });
    expect(problems).to.deep.equal([problem]);
    expect(await snapshot(ctx.dataSource)).to.deep.equal(before);
  }

  it('refuses a header row of many columns past the limit, naming file and line, and lists none of its columns', async () => {
    const columns = Array.from({ length: 400 }, (_, i) => `extra_column_${i}`);
    const header = ['code', 'name', ...columns].join(',');
    expect(header.length).to.be.above(DATASET_LIMITS.headerChars);
    await expectRefusedUnchanged(
      { 'carriers.csv': `${header}\nCMCC,中国移动\n` },
      {
        file: 'carriers.csv',
        line: 1,
        column: null,
        value: null,
        code: 'file.header_too_long',
        params: { max: DATASET_LIMITS.headerChars },
      },
    );
  });

  it('refuses a one-line header of 2 MB by its oversized cell, before it is kept anywhere', async () => {
    await expectRefusedUnchanged(
      { 'carriers.csv': `code,name,${'x'.repeat(2 * 1024 * 1024)}\nCMCC,中国移动,\n` },
      {
        file: 'carriers.csv',
        line: 1,
        column: null,
        value: null,
        code: 'cell.over_limit',
        params: { max: String(DATASET_LIMITS.cellChars), position: '3' },
      },
    );
  });

  it('refuses a cell past the limit in a column the import ignores, naming file, line and column', async () => {
    const files = smallDataset();
    files['messages.csv'] =
      `sender,sent_at,content,note\n10690123450188,2022-03-14T09:30:00+08:00,短信,ok\n10690123450188,2022-03-14T09:31:00+08:00,短信,"${'长'.repeat(DATASET_LIMITS.cellChars + 1)}"\n`;
    await expectRefusedUnchanged(files, {
      file: 'messages.csv',
      line: 3,
      column: 'note',
      value: null,
      code: 'cell.over_limit',
      params: { max: String(DATASET_LIMITS.cellChars), position: '4' },
    });
  });

  it('refuses a cell past the limit in an allocations file that the quick first pass would read', async () => {
    const files = smallDataset();
    files['allocations.csv'] = files['allocations.csv'].replace(
      `1069012345,CMCC,${A1},2021-01-01,,工信部备案A-001,true`,
      `1069012345,CMCC,${A1},2021-01-01,,${'A'.repeat(DATASET_LIMITS.cellChars + 1)},true`,
    );
    await expectRefusedUnchanged(files, {
      file: 'allocations.csv',
      line: 3,
      column: 'miit_filing_no',
      value: null,
      code: 'cell.over_limit',
      params: { max: String(DATASET_LIMITS.cellChars), position: '6' },
    });
  });

  it('refuses a row past the limit though each of its cells is within it', async () => {
    const cell = 'x'.repeat(DATASET_LIMITS.cellChars);
    // After "CMCC" and "中国移动", the cell that takes the row past the limit.
    const crossing = Math.floor((DATASET_LIMITS.recordChars - 8) / cell.length) + 1;
    const files = {
      'carriers.csv': `code,name\nCMCC,中国移动,${Array(crossing + 1)
        .fill(cell)
        .join(',')}\n`,
    };
    await expectRefusedUnchanged(files, {
      file: 'carriers.csv',
      line: 2,
      column: null,
      value: null,
      code: 'record.over_limit',
      params: { max: String(DATASET_LIMITS.recordChars), position: String(2 + crossing) },
    });
  });
});

describeEachDatabase('import limits: XLSX', (ctx) => {
  let temporary = '';
  let tmpdirBefore: string | undefined;
  let workbooks = '';

  before(async () => {
    workbooks = await writeDataset({});
  });
  after(() => rm(workbooks, { recursive: true, force: true }));

  /** What is left under the temporary directory, but tsx's compile cache (a worker thread starting makes it). */
  const leftOver = async () => (await readdir(temporary)).filter((name) => !name.startsWith('tsx-'));

  // The upload and anything exceljs spills goes under os.tmpdir(): a directory of this test's own, to see what is left
  // there.
  beforeEach(async () => {
    temporary = await mkdtemp(path.join(os.tmpdir(), 'sms106-limits-'));
    tmpdirBefore = process.env.TMPDIR;
    process.env.TMPDIR = temporary;
  });
  afterEach(async () => {
    if (tmpdirBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdirBefore;
    await rm(temporary, { recursive: true, force: true });
  });

  /** Writes the workbook outside the temporary directory watched. */
  async function workbookFile(name: string, content: Buffer): Promise<string> {
    const file = path.join(await mkdtemp(path.join(workbooks, 'w-')), name);
    await writeFile(file, content);
    return file;
  }

  const bombs: Array<[string, () => Promise<Buffer>, string]> = [
    // 3 MB inflating to 3 GB, as the archive says: refused from its directory, nothing inflated.
    [
      'a sheet declared to inflate to 3 GB',
      () => bombWorkbook(3 * 1024),
      '工作簿 bomb.xlsx 中的 xl/worksheets/sheet1.xml 解压后超过 512 MB，未导入',
    ],
    // Its directory says 1,000 bytes: the inflating stops at the first byte past them.
    [
      'a sheet inflating to 1 GB that declares 1,000 bytes',
      () => bombWorkbook(1024, 1000),
      '工作簿 bomb.xlsx 中的 xl/worksheets/sheet1.xml 解压后超过其登记的大小（1000 字节）：文件已损坏或是“压缩炸弹”，未导入',
    ],
    // Within the size limits, but one cell of 64 MB: refused at its first 256 KB.
    [
      'a sheet within the limits holding a 64 MB text',
      () => bombWorkbook(64),
      '工作簿 bomb.xlsx 中的 xl/worksheets/sheet1.xml 有一段文本超过 256 KB，比任何单元格都长，未导入',
    ],
  ];

  for (const [title, bomb, message] of bombs) {
    it(`refuses through the command line ${title}, naming the file, storing nothing and leaving no temporary file`, async () => {
      const file = await workbookFile('bomb.xlsx', await bomb());
      const url =
        ctx.database.url === 'sqlite::memory:'
          ? `sqlite:${path.join(path.dirname(file), 'store.sqlite')}`
          : ctx.database.url;
      const result = await cli('import', file, '--db', url);
      expect(result).to.deep.include({ code: 1, stdout: '' });
      expect(result.stderr).to.equal(`sms106: ${message}\n`);
      expect(await leftOver()).to.deep.equal([]);
      const store = await openDatabase(url);
      try {
        expect(await store.getRepository(ImportRun).count()).to.equal(0);
        expect(Object.values(await snapshot(store)).flat()).to.deep.equal([]);
      } finally {
        await store.destroy();
      }
    });

    it(`refuses an upload of ${title} with 400 and the file named, storing nothing and leaving no temporary file`, async () => {
      const client = await signIn(createApp(ctx.dataSource, { databaseUrl: ctx.database.url }), ctx.dataSource);
      const before = await snapshot(ctx.dataSource);
      const response = await client
        .post('/imports')
        .attach('files', await bomb(), 'bomb.xlsx')
        .expect(400);
      expect(response.text).to.include(message);
      expect(await ctx.dataSource.getRepository(ImportRun).count()).to.equal(0);
      expect(await snapshot(ctx.dataSource)).to.deep.equal(before);
      expect(await leftOver()).to.deep.equal([]);
    });
  }

  it('removes the upload directory of a workbook once its import has ended', async () => {
    const client = await signIn(createApp(ctx.dataSource, { databaseUrl: ctx.database.url }), ctx.dataSource);
    const workbook = zipArchive([
      ...workbookParts('carriers'),
      sheetPart([
        ['code', 'name'],
        ['CMCC', '中国移动'],
      ]),
    ]);
    const { page } = await uploadDataset(client, { 'carriers.xlsx': workbook });
    expect(page).to.include('导入完成');
    expect(await leftOver()).to.deep.equal([]);
  });

  it('refuses a cell past the limit in a workbook, naming sheet, row and column', async () => {
    const workbook = zipArchive([
      ...workbookParts('messages'),
      sheetPart([
        ['sender', 'sent_at', 'content'],
        ['10690123450188', '2022-03-14T09:30:00+08:00', 'x'.repeat(DATASET_LIMITS.cellChars + 1)],
      ]),
    ]);
    const outcome = await runImport(ctx.dataSource, await openDataset(await workbookFile('long.xlsx', workbook)));
    expect(outcome.status).to.equal('refused');
    const refused = outcome.status === 'refused' ? outcome.refused.issues : [];
    expect(refused).to.deep.equal([
      {
        file: 'long.xlsx: messages',
        line: 2,
        column: 'content',
        value: null,
        code: 'cell.over_limit',
        params: { max: String(DATASET_LIMITS.cellChars), position: '3' },
      },
    ]);
  });
});
