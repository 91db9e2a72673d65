/**
 * The audit's rules measured over traffic in memory, shared by `npm run bench` and
 * bench/auditProfile.ts.
 */
import os from 'node:os';
import type { DataSource } from 'typeorm';
import { AuditPass } from '../server/rules/engine.ts';
import { RULES } from '../server/rules/index.ts';
import type { AuditedMessage, AuditSnapshot } from '../server/rules/types.ts';
import { AuditShares } from '../server/services/audit/auditShares.ts';
import { trialRates } from './stats.ts';
import { pagesOf } from './traffic.ts';

const seconds = (since: number) => (performance.now() - since) / 1000;

/** What one split pass measured. */
export interface SplitPass {
  perSecond: number;
  seconds: number;
  startSeconds: number;
}

/**
 * The rules alone over traffic already in memory: in this thread (after a warm-up on a
 * throw-away pass), then split across one thread per core as runAudit splits a large audit
 * (services/audit/auditShares.ts), fed in pages of 5,000 as runAudit reads them, `splitPasses` times,
 * each with threads of its own. The threads' start (loading the rules, taking in the snapshot)
 * is timed apart; a split pass's rate runs from threads ready to the last finding merged, and
 * every pass must draft the same findings as the one in this thread. The split rate reported is
 * the median pass's (this machine's speed moves between seconds; docs/performance.md), with the
 * slowest and the fastest.
 */
export async function measureAudit(
  snapshot: AuditSnapshot,
  messages: AuditedMessage[],
  threads = os.availableParallelism(),
  splitPasses = 1,
) {
  const warm = new AuditPass(snapshot, RULES);
  for (const m of messages.slice(0, 20_000)) warm.message(m);
  const pass = new AuditPass(snapshot, RULES);
  const started = performance.now();
  let drafts = 0;
  for (const m of messages) drafts += pass.message(m).length;
  drafts += pass.finish().length;
  const oneThreadSeconds = seconds(started);

  if (splitPasses < 1 || splitPasses % 2 === 0)
    throw new Error(`the split audit takes an odd number of passes (its median is one of them), not ${splitPasses}`);
  const passes: SplitPass[] = [];
  for (let i = 0; i < splitPasses; i++) passes.push(await splitPass(snapshot, messages, threads, drafts));
  const rates = trialRates(passes.map((p) => p.perSecond));
  const middle = passes.find((p) => p.perSecond === rates.perSecond)!;
  return {
    oneThread: { perSecond: messages.length / oneThreadSeconds, drafts },
    split: { ...middle, ...rates, passes: passes.length, threads },
  };
}

async function splitPass(
  snapshot: AuditSnapshot,
  messages: AuditedMessage[],
  threads: number,
  drafts: number,
): Promise<SplitPass> {
  let started = performance.now();
  const shares = await AuditShares.start(snapshot, RULES, threads);
  const startSeconds = seconds(started);
  try {
    started = performance.now();
    const main = new AuditPass(snapshot, RULES);
    let splitDrafts = 0;
    for await (const page of shares.auditPages(pagesOf(messages, 5000))) splitDrafts += page.findings.length;
    splitDrafts += (await shares.finish(main)).length;
    splitDrafts += main.finish().length;
    const splitSeconds = seconds(started);
    if (splitDrafts !== drafts)
      throw new Error(`the split audit drafted ${splitDrafts} findings, one thread ${drafts}`);
    return { perSecond: messages.length / splitSeconds, seconds: splitSeconds, startSeconds };
  } finally {
    await shares.close();
  }
}

/**
 * The floor under runAudit's reading: the stored messages as bare SELECTs of the pages it reads
 * (the same five columns, 5,000 rows a page in id order, keyset paging), one after the other,
 * nothing done with the rows.
 */
export async function measureSelect(dataSource: DataSource): Promise<{ perSecond: number; rows: number }> {
  const started = performance.now();
  let rows = 0;
  for (let afterId = 0; ;) {
    const page: Array<{ id: number }> = await dataSource.query(
      'SELECT id, external_id, sender, sent_at, content FROM messages WHERE id > ? ORDER BY id LIMIT 5000',
      [afterId],
    );
    rows += page.length;
    if (page.length < 5000) break;
    afterId = page[page.length - 1].id;
  }
  return { perSecond: rows / seconds(started), rows };
}
