import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { DATASET_LIMITS } from '../../server/dataset/limits.ts';
import { ImportRun, ImportRunError } from '../../server/entities/index.ts';
import { runImport } from '../../server/services/importRuns.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, smallDataset, snapshot, writeDataset } from '../support/fixtures.ts';

describeEachDatabase('import limits: CSV', (ctx) => {
  /** Imports the files through the import service; returns the run as stored and its problems. */
  async function importRun(files: Record<string, string | Buffer>) {
    const outcome = await runImport(ctx.dataSource, await openDataset(await writeDataset(files)), { actor: 'tester' });
    const run = await ctx.dataSource.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
    const errors = await ctx.dataSource.getRepository(ImportRunError).find({ where: { runId: outcome.runId }, order: { id: 'ASC' } });
    return { run, problems: errors.map((e) => ({ file: e.file, line: e.line, column: e.column, value: e.value, ...JSON.parse(e.reason) })) };
  }

  async function expectRefusedUnchanged(files: Record<string, string | Buffer>, problem: Record<string, unknown>): Promise<void> {
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
    await expectRefusedUnchanged({ 'carriers.csv': `${header}\nCMCC,中国移动\n` },
      { file: 'carriers.csv', line: 1, column: null, value: null, code: 'file.header_too_long', params: { max: DATASET_LIMITS.headerChars } });
  });

  it('refuses a one-line header of 2 MB by its oversized cell, before it is kept anywhere', async () => {
    await expectRefusedUnchanged({ 'carriers.csv': `code,name,${'x'.repeat(2 * 1024 * 1024)}\nCMCC,中国移动,\n` },
      { file: 'carriers.csv', line: 1, column: null, value: null, code: 'cell.over_limit', params: { max: String(DATASET_LIMITS.cellChars), position: '3' } });
  });

  it('refuses a cell past the limit in a column the import ignores, naming file, line and column', async () => {
    const files = smallDataset();
    files['messages.csv'] = `sender,sent_at,content,note\n10690123450188,2022-03-14T09:30:00+08:00,短信,ok\n10690123450188,2022-03-14T09:31:00+08:00,短信,"${'长'.repeat(DATASET_LIMITS.cellChars + 1)}"\n`;
    await expectRefusedUnchanged(files,
      { file: 'messages.csv', line: 3, column: 'note', value: null, code: 'cell.over_limit', params: { max: String(DATASET_LIMITS.cellChars), position: '4' } });
  });

  it('refuses a cell past the limit in an allocations file that the quick first pass would read', async () => {
    const files = smallDataset();
    files['allocations.csv'] = files['allocations.csv'].replace(`1069012345,CMCC,${A1},2021-01-01,,工信部备案A-001,true`, `1069012345,CMCC,${A1},2021-01-01,,${'A'.repeat(DATASET_LIMITS.cellChars + 1)},true`);
    await expectRefusedUnchanged(files,
      { file: 'allocations.csv', line: 3, column: 'miit_filing_no', value: null, code: 'cell.over_limit', params: { max: String(DATASET_LIMITS.cellChars), position: '6' } });
  });

  it('refuses a row past the limit though each of its cells is within it', async () => {
    const cell = 'x'.repeat(DATASET_LIMITS.cellChars);
    // After "CMCC" and "中国移动", the cell that takes the row past the limit.
    const crossing = Math.floor((DATASET_LIMITS.recordChars - 8) / cell.length) + 1;
    const files = { 'carriers.csv': `code,name\nCMCC,中国移动,${Array(crossing + 1).fill(cell).join(',')}\n` };
    await expectRefusedUnchanged(files,
      { file: 'carriers.csv', line: 2, column: null, value: null, code: 'record.over_limit', params: { max: String(DATASET_LIMITS.recordChars), position: String(2 + crossing) } });
  });
});
