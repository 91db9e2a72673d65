/**
 * The rule pass alone, for profiling: loads the audit snapshot from a database `npm run bench`
 * left behind (its allocations stay), generates the bench's traffic and times AuditPass over it.
 *   node --import tsx [--cpu-prof] bench/auditProfile.ts [--messages N] [--db URL]
 * The database's allocation count decides which numbers the traffic comes from.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../ormconfig.ts';
import { Allocation } from '../server/entities/index.ts';
import { AuditPass } from '../server/rules/engine.ts';
import { RULES } from '../server/rules/index.ts';
import { loadSnapshot } from '../server/services/auditRuns.ts';
import { AuditShares } from '../server/services/auditShares.ts';
import { generatedMessages, pagesOf } from './traffic.ts';

const { values } = parseArgs({ options: { messages: { type: 'string' }, db: { type: 'string' }, threads: { type: 'string' } } });
const dataSource = await openDatabase(values.db ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/bench');
try {
  const allocations = await dataSource.getRepository(Allocation).count();
  if (allocations < 2000) throw new Error(`the database holds ${allocations} allocations: run \`npm run bench\` against it first`);
  const snapshot = await loadSnapshot(dataSource);
  const messages = [...generatedMessages(allocations, Number(values.messages ?? 300_000))];
  const threads = Number(values.threads ?? 1);
  const started = performance.now();
  let drafts = 0;
  if (threads <= 1) {
    const pass = new AuditPass(snapshot, RULES);
    for (const m of messages) drafts += pass.message(m).length;
    drafts += pass.finish().length;
  } else {
    const shares = await AuditShares.start(snapshot, RULES, threads);
    console.log(`${threads} threads ready in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    try {
      const pass = new AuditPass(snapshot, RULES);
      const elu = performance.eventLoopUtilization();
      for await (const page of shares.auditPages(pagesOf(messages, 5000))) drafts += page.findings.length;
      const busy = performance.eventLoopUtilization(elu);
      console.log(`main thread busy ${Math.round(busy.active)} ms of ${Math.round(busy.active + busy.idle)} ms (${(busy.utilization * 100).toFixed(0)}%)`);
      const { findings, gathered } = await shares.finish();
      drafts += findings.length;
      for (const part of gathered) pass.gather(part);
      drafts += pass.finish().length;
    } finally {
      await shares.close();
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(`${threads} thread(s): ${messages.length} messages over ${allocations} allocations: ${Math.round(messages.length / elapsed)} msgs/s, ${drafts} findings drafted`);
} finally {
  await dataSource.destroy();
}
