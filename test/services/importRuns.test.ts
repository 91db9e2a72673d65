import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, ImportRun, ImportRunError } from '../../server/entities/index.ts';
import { ImportRefused, type ImportSummary } from '../../server/services/import/importer.ts';
import { runImport } from '../../server/services/import/importRuns.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';

describeEachDatabase('runImport', (ctx) => {
  const badDataset = async () => {
    const files = smallDataset();
    files['allocations.csv'] = files['allocations.csv'].replace('2021-03-01', '2021-02-30');
    return openDataset(await writeDataset(files));
  };

  it('keeps a refused import as refused with every problem, and audits it', async () => {
    const outcome = await runImport(ctx.dataSource, await badDataset(), { actor: 'tester' });
    expect(outcome.status).to.equal('refused');
    const run = await ctx.dataSource.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
    expect(run).to.include({ status: 'refused', errorCount: 1 });
    const errors = await ctx.dataSource.getRepository(ImportRunError).findBy({ runId: outcome.runId });
    expect(errors.map((e) => [e.file, e.line, e.column, e.value])).to.deep.equal([
      ['allocations.csv', 6, 'valid_from', '2021-02-30'],
    ]);
    expect(
      (await ctx.dataSource.getRepository(AuditEvent).findBy({ action: 'import.refused' })).map((e) => e.subject),
    ).to.deep.equal([`import_run:${outcome.runId}`]);
  });

  it('ends a refused import as failed, with neither its status nor half its report, when the report cannot be stored', async () => {
    const { dataSource } = ctx;
    const transaction = dataSource.transaction;
    dataSource.transaction = (async () => {
      throw new Error('the disk is full');
    }) as typeof dataSource.transaction;
    let failure: unknown = null;
    try {
      await runImport(dataSource, await badDataset(), { actor: 'tester' });
    } catch (error) {
      failure = error;
    } finally {
      dataSource.transaction = transaction;
    }
    expect(failure).to.be.an('error').and.not.be.instanceOf(ImportRefused);
    expect((failure as Error).message).to.equal('the disk is full');
    const [run] = await dataSource.getRepository(ImportRun).find();
    expect(run).to.include({ status: 'failed', failure: 'the disk is full' });
    expect(run.finishedAt).to.be.instanceOf(Date);
    expect(await dataSource.getRepository(ImportRunError).count()).to.equal(0);
    expect(
      (await dataSource.getRepository(AuditEvent).findBy({ action: 'import.failed' })).map((e) => e.subject),
    ).to.deep.equal([`import_run:${run.id}`]);
  });

  it('keeps the summary of an import that passed over many files, its lists cut short to fit import_runs, and records it as succeeded', async () => {
    const files: Record<string, string> = smallDataset();
    for (let i = 0; i < 400; i++) files[`note-${i}-${'x'.repeat(180)}.txt`] = '';
    const outcome = await runImport(ctx.dataSource, await openDataset(await writeDataset(files)), { actor: 'tester' });
    expect(outcome.status).to.equal('succeeded');
    const run = await ctx.dataSource.getRepository(ImportRun).findOneByOrFail({ id: outcome.runId });
    expect(run).to.include({ status: 'succeeded', failure: null });
    const summary = run.summary as ImportSummary & { listsCut?: boolean };
    expect(summary.listsCut).to.equal(true);
    expect(summary.ignoredFiles).to.have.length(10);
    expect(summary.files.map((f) => [f.file, f.rows])).to.deep.include(['allocations.csv', 6]);
  });

  it("ends the run as failed, with the database's words, when the database refuses to record its success", async () => {
    const { dataSource } = ctx;
    const sqlite = dataSource.options.type === 'better-sqlite3';
    await dataSource.query(
      sqlite
        ? "CREATE TRIGGER refuse_success BEFORE UPDATE ON import_runs WHEN NEW.status = 'succeeded' BEGIN SELECT RAISE(ABORT, 'refused by the store'); END"
        : "CREATE TRIGGER refuse_success BEFORE UPDATE ON import_runs FOR EACH ROW BEGIN IF NEW.status = 'succeeded' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the store'; END IF; END",
    );
    let failure: unknown = null;
    try {
      await runImport(dataSource, await openDataset(await writeDataset(smallDataset())), { actor: 'tester' });
    } catch (error) {
      failure = error;
    } finally {
      await dataSource.query('DROP TRIGGER refuse_success');
    }
    expect(String(failure)).to.include('refused by the store');
    const [run] = await dataSource.getRepository(ImportRun).find();
    expect(run.status).to.equal('failed');
    expect(run.failure).to.include('refused by the store');
    expect(run.finishedAt).to.be.instanceOf(Date);
  });
});
