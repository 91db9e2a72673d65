import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { Finding } from '../../server/entities/index.ts';
import { findingText, render } from '../../server/i18n/phrase.ts';
import { runAudit } from '../../server/services/audit/auditRuns.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, smallDataset, writeDataset } from '../support/fixtures.ts';

describeEachDatabase('what a stored finding says', (ctx) => {
  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
  });

  const releaseOf = () =>
    ctx.dataSource.getRepository(Finding).findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE', agentUscc: A1 });

  it('is a catalogue code and parameters, no prose, rendered in either language as the rule said it', async () => {
    const outcome = await runAudit(ctx.dataSource, { actor: 'tester' });
    const release = await releaseOf();
    const draft = outcome.findings.find((f) => f.rule === 'MULTI_LEVEL_RELEASE' && f.agent === A1)!;
    expect([release.detailCode, release.detailParams]).to.deep.equal([draft.text.code, draft.text.params]);
    expect([release.detail, release.detailEn]).to.deep.equal([null, null]);
    expect(findingText('zh-CN', release)).to.equal(render('zh-CN', draft.text)).and.to.include('转租给');
    expect(findingText('en', release)).to.equal(render('en', draft.text)).and.to.include('re-leased');
  });

  it('written as prose before the codes, shows that prose until the next audit rewrites it with its code', async () => {
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const before = await releaseOf();
    await ctx.dataSource
      .createQueryBuilder()
      .update(Finding)
      .set({ detailCode: null, detailParams: null, detail: '旧的说明', detailEn: 'the old wording' })
      .where({ id: before.id })
      .execute();
    const legacy = await releaseOf();
    expect([findingText('zh-CN', legacy), findingText('en', legacy)]).to.deep.equal(['旧的说明', 'the old wording']);
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const after = await releaseOf();
    expect([after.detailCode, after.detailParams, after.detail, after.detailEn]).to.deep.equal([
      before.detailCode,
      before.detailParams,
      null,
      null,
    ]);
    expect([after.id, after.status, after.firstSeenAt.getTime()]).to.deep.equal([
      before.id,
      before.status,
      before.firstSeenAt.getTime(),
    ]);
  });

  it('is not rewritten by an audit that finds the same code and parameters', async () => {
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const { id } = await releaseOf();
    // A rewrite would null the prose: the marker stays only if the run saw nothing changed.
    await ctx.dataSource.createQueryBuilder().update(Finding).set({ detail: 'marker' }).where({ id }).execute();
    await runAudit(ctx.dataSource, { actor: 'tester' });
    expect((await releaseOf()).detail).to.equal('marker');
  });
});
