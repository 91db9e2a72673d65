import path from 'node:path';
import { expect } from 'chai';
import { openDataset } from '../../server/dataset/readers.ts';
import { AuditEvent, AuditRun, Finding } from '../../server/entities/index.ts';
import { dedupeKey, runAudit } from '../../server/services/audit/auditRuns.ts';
import { dismissFinding, listFindings } from '../../server/services/audit/findings.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { EVERYTHING } from '../../server/services/accounts/scope.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { A1, A2, smallDataset, writeDataset } from '../support/fixtures.ts';

describeEachDatabase('audit runs', (ctx) => {
  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
  });

  it('stores what the rules found, with the answerable agent, and records the run', async () => {
    const outcome = await runAudit(ctx.dataSource, { actor: 'tester' });
    expect(outcome.status).to.equal('succeeded');
    const stored = await ctx.dataSource.getRepository(Finding).find();
    expect(stored).to.have.length(outcome.findings.length);
    expect(outcome.newFindings).to.equal(stored.length);
    const release = stored.find((f) => f.rule === 'MULTI_LEVEL_RELEASE');
    expect([release?.prefix, release?.agentUscc, release?.severity, release?.status]).to.deep.equal([
      '106901234501',
      A1,
      'critical',
      'open',
    ]);
    const run = await ctx.dataSource.getRepository(AuditRun).findOneByOrFail({ id: outcome.runId });
    expect([run.status, run.itemsTotal, run.itemsDone, run.findingsTotal]).to.deep.equal([
      'succeeded',
      3,
      3,
      stored.length,
    ]);
    expect(await ctx.dataSource.getRepository(AuditEvent).countBy({ action: 'audit.succeeded' })).to.equal(1);
  });

  it('a second run on the same data adds nothing and updates last_seen of what it saw again', async () => {
    const first = await runAudit(ctx.dataSource, { actor: 'tester' });
    const before = await ctx.dataSource.getRepository(Finding).find({ order: { id: 'ASC' } });
    const second = await runAudit(ctx.dataSource, { actor: 'tester' });
    const after = await ctx.dataSource.getRepository(Finding).find({ order: { id: 'ASC' } });
    expect(second.newFindings).to.equal(0);
    expect(after.map((f) => [f.id, f.dedupeKey, f.firstSeenAt.getTime()])).to.deep.equal(
      before.map((f) => [f.id, f.dedupeKey, f.firstSeenAt.getTime()]),
    );
    expect(new Set(after.map((f) => f.lastRunId))).to.deep.equal(new Set([second.runId]));
    expect(first.runId).not.to.equal(second.runId);
  });

  it('a dismissed finding stays dismissed, with its reason, through later runs', async () => {
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const release = await ctx.dataSource
      .getRepository(Finding)
      .findOneByOrFail({ rule: 'MULTI_LEVEL_RELEASE', agentUscc: A1 });
    await dismissFinding(ctx.dataSource, EVERYTHING, release.id, 'open', '运营商已确认该转租经过报备', 'reviewer');
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const again = await ctx.dataSource.getRepository(Finding).findOneByOrFail({ id: release.id });
    expect([again.status, again.statusReason, again.statusChangedBy]).to.deep.equal([
      'dismissed',
      '运营商已确认该转租经过报备',
      'reviewer',
    ]);
    const open = await listFindings(
      ctx.dataSource,
      EVERYTHING,
      { status: 'open', agent: A1, rule: 'MULTI_LEVEL_RELEASE' },
      1,
      50,
    );
    expect(open.total).to.equal(0);
  });

  it('a cancelled run writes no findings', async () => {
    const outcome = await runAudit(ctx.dataSource, { actor: 'tester', cancelled: () => true });
    expect(outcome.status).to.equal('cancelled');
    expect(await ctx.dataSource.getRepository(Finding).count()).to.equal(0);
    expect((await ctx.dataSource.getRepository(AuditRun).findOneByOrFail({ id: outcome.runId })).status).to.equal(
      'cancelled',
    );
  });

  it("a carrier user sees only the findings in its carrier's tree", async () => {
    await runAudit(ctx.dataSource, { actor: 'tester' });
    const cucc = (await ctx.dataSource.query("SELECT id FROM carriers WHERE code = 'CUCC'"))[0].id;
    const scoped = await listFindings(ctx.dataSource, { carrierId: Number(cucc) }, {}, 1, 100);
    const all = await listFindings(ctx.dataSource, EVERYTHING, {}, 1, 100);
    expect(scoped.rows.every((f) => f.rootCarrierId === Number(cucc))).to.equal(true);
    expect(scoped.rows.map((f) => f.agentUscc)).not.to.include(A2);
    expect(all.total).to.be.greaterThan(scoped.total);
  });
});

describeEachDatabase('an audit over several pages of traffic', (ctx) => {
  it('reads every page (the next read while one is audited) and finds the same with one thread or two', async function () {
    this.timeout(120_000);
    const files = smallDataset();
    // 12,001 messages: three pages, the last one short. Every 1,000th names a number nobody holds.
    const rows = Array.from(
      { length: 12_001 },
      (_, i) =>
        `P${i},${i % 1000 === 0 ? '10699999' : '10690123450188'},2022-03-14T09:30:00+08:00,【某网店】第${i}单已发货,`,
    );
    files['messages.csv'] = `id,sender,sent_at,content,recipient\n${rows.join('\n')}\n`;
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(files)));
    const pages: number[] = [];
    const alone = await runAudit(ctx.dataSource, {
      actor: 'tester',
      threads: 1,
      onProgress: ({ itemsDone }) => pages.push(itemsDone),
    });
    expect(pages.slice(0, 3)).to.deep.equal([5000, 10_000, 12_001]);
    const unallocated = alone.findings.filter((f) => f.rule === 'UNALLOCATED_SENDER').map((f) => f.message?.ref);
    expect(unallocated).to.deep.equal(Array.from({ length: 13 }, (_, k) => `P${k * 1000}`));
    const split = await runAudit(ctx.dataSource, { actor: 'tester', threads: 2 });
    expect(split.findings.map(dedupeKey)).to.deep.equal(alone.findings.map(dedupeKey));
  });
});

describeEachDatabase('texts beyond the basic plane through the pages', (ctx) => {
  it('reach the rules as stored, with one thread or two (MySQL pages carry them as bytes)', async function () {
    this.timeout(120_000);
    const files = smallDataset();
    // Two pages and a bit: a block-listed link in every message, the text around it in CJK, an
    // emoji and a CJK extension B character (four UTF-8 bytes each), a combining accent, a tab.
    const content = (i: number) => `【某网店】😀第${i}单 𠀀é	点击 http://t.cn/A${i} 查看`;
    const rows = Array.from(
      { length: 10_050 },
      (_, i) => `P${i},10690123450188,2022-03-14T09:30:00+08:00,"${content(i)}",`,
    );
    files['messages.csv'] = `id,sender,sent_at,content,recipient\n${rows.join('\n')}\n`;
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(files)));
    for (const threads of [1, 2]) {
      const outcome = await runAudit(ctx.dataSource, { actor: 'tester', threads });
      const seen = outcome.findings
        .filter((f) => f.rule === 'SUSPICIOUS_URL')
        .map((f) => [f.message?.ref, f.evidence.text]);
      expect(seen, `${threads} thread(s)`).to.have.length(10_050);
      expect(seen, `${threads} thread(s)`).to.deep.equal(rows.map((_, i) => [`P${i}`, content(i)]));
    }
  });
});

describeEachDatabase('an audit split across threads', (ctx) => {
  it('finds on the demo data exactly what one thread finds, in the same order for each message', async function () {
    this.timeout(120_000);
    await importDataset(ctx.dataSource, await openDataset(path.join(import.meta.dirname, '..', '..', 'seeds', 'demo')));
    const alone = await runAudit(ctx.dataSource, { actor: 'tester', threads: 1 });
    const split = await runAudit(ctx.dataSource, { actor: 'tester', threads: 2 });
    const rules = new Set(alone.findings.map((f) => f.rule));
    // The demo exercises what a thread concludes by itself and what the threads' parts conclude together.
    for (const rule of [
      'NUMBER_MULTI_ENTITY',
      'HIDDEN_RELEASE',
      'UNFILED_SIGNATURE',
      'GOV_IMPERSONATION',
      'COMPLAINT_CLUSTER',
    ])
      expect(rules, rule).to.include(rule);
    expect(
      alone.findings.filter((f) => f.rule === 'NUMBER_MULTI_ENTITY' && f.key[0] === 'traffic'),
    ).to.have.length.above(0);
    const byKey = (outcome: typeof alone) => new Map(outcome.findings.map((f) => [dedupeKey(f), JSON.stringify(f)]));
    expect(byKey(split)).to.deep.equal(byKey(alone));
    const perMessage = (outcome: typeof alone) =>
      outcome.findings
        .filter((f) => f.message && !['NUMBER_MULTI_ENTITY', 'HIDDEN_RELEASE'].includes(f.rule))
        .map(dedupeKey);
    expect(perMessage(split)).to.deep.equal(perMessage(alone));
    expect(split.newFindings).to.equal(0);
    const run = await ctx.dataSource.getRepository(AuditRun).findOneByOrFail({ id: split.runId });
    expect([run.status, run.itemsDone, run.findingsTotal]).to.deep.equal([
      'succeeded',
      run.itemsTotal,
      alone.findings.length,
    ]);
  });
});
